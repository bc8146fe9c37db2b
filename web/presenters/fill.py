"""How many of the account's customers hold a property, as a bar and a percentage."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Fill:
    """A property's fill: `rate` (0..1), the bar's `width` (0..100) and its `label` ("42%")."""

    rate: float
    width: float
    label: str


def fill_of(customer_count: int, customer_total: int) -> Fill:
    """Return the fill of a property `customer_count` of `customer_total` customers hold."""
    rate = customer_count / customer_total if customer_total else 0.0
    if rate == 0:
        label = "0%"
    elif rate < 0.01:
        label = "<1%"
    else:
        label = f"{math.floor(rate * 100)}%" if rate < 1 else "100%"
    return Fill(rate=rate, width=round(rate * 100, 1), label=label)
