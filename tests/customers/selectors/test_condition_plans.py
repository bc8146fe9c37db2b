"""customers.selectors.conditions on PostgreSQL: whichever plan the sample chooses (a rare
condition's ids, customers checked one by one, two rare conditions intersected, or joined),
the customers found are exactly those meeting every condition. On SQLite there is one plan;
the same answers are asserted."""

import random

import pytest

from customers.conditions import Condition, Operator
from customers.models import Customer
from customers.selectors import conditions as condition_reads
from customers.selectors import customers_filtered, customers_page
from customers.services import PropertyWrite
from tests.factories import make_customer

PLANS = {
    "driver": {"DRIVER_MAX": 10_000, "SCAN_MAX": 0},
    "one by one": {"DRIVER_MAX": 0, "SCAN_MAX": 10**9},
    "intersected": {"DRIVER_MAX": 1, "SCAN_MAX": 0},
    "joined": {"DRIVER_MAX": 0, "SCAN_MAX": 0},
}
PLANS_OF = ["ivy", "oak", "elm"]
ITEMS = ["golf", "chess", "Yoga"]


@pytest.fixture
def crowd(account):
    """Forty customers with random plans, payments, vip flags and interests; who holds what."""
    rng = random.Random(11)
    held = {}
    for n in range(40):
        values = {}
        if rng.random() < 0.8:
            values["plan"] = rng.choice(PLANS_OF)
        if rng.random() < 0.7:
            values["payments"] = rng.randint(0, 20)
        if rng.random() < 0.6:
            values["vip"] = rng.random() < 0.3
        if rng.random() < 0.7:
            values["interests"] = rng.sample(ITEMS, rng.randint(1, 2))
        writes = [
            PropertyWrite("plan", values["plan"], "text") if "plan" in values else None,
            PropertyWrite("payments", values["payments"], "integer")
            if "payments" in values
            else None,
            PropertyWrite("vip", values["vip"], "boolean") if "vip" in values else None,
            PropertyWrite("interests", values["interests"], "collection")
            if "interests" in values
            else None,
        ]
        customer = make_customer(account, f"p{n}@example.com", [w for w in writes if w])
        held[customer.pk] = values
    return held


CASES = [
    [Condition("plan", Operator.EQUALS, "oak")],
    [Condition("interests", Operator.CONTAINS, "yoga")],
    [Condition("interests", Operator.CONTAINS, "knitting")],
    [Condition("payments", Operator.GREATER_OR_EQUAL, "15")],
    [
        Condition("plan", Operator.EQUALS, "ivy"),
        Condition("vip", Operator.EQUALS, "true"),
        Condition("payments", Operator.LESS, "12"),
    ],
    [
        Condition("interests", Operator.CONTAINS, "GOLF"),
        Condition("plan", Operator.NOT_EQUALS, "elm"),
        Condition("vip", Operator.IS_SET),
    ],
    [Condition("payments", Operator.IS_NOT_SET), Condition("plan", Operator.IS_SET)],
    [Condition("vip", Operator.NOT_EQUALS, "true")],
]


def meets(values: dict, condition: Condition) -> bool:
    held = values.get(condition.key)
    match condition.operator:
        case Operator.IS_SET:
            return held is not None
        case Operator.IS_NOT_SET:
            return held is None
        case Operator.NOT_EQUALS:
            return not (held is not None and _equal(held, condition.value))
        case Operator.EQUALS:
            return held is not None and _equal(held, condition.value)
        case Operator.CONTAINS:
            return held is not None and condition.value.lower() in [i.lower() for i in held]
        case Operator.GREATER_OR_EQUAL:
            return held is not None and held >= float(condition.value)
        case Operator.LESS:
            return held is not None and held < float(condition.value)
    raise AssertionError(condition)


def _equal(held, wanted: str) -> bool:
    if isinstance(held, bool):
        return held is (wanted == "true")
    return held == wanted


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("conditions", CASES, ids=lambda c: "&".join(f"{x.key}" for x in c))
def test_every_plan_finds_exactly_the_customers_meeting_every_condition(
    account, crowd, monkeypatch, plan, conditions
):
    for name, value in PLANS[plan].items():
        monkeypatch.setattr(condition_reads, name, value)
    monkeypatch.setattr(condition_reads, "SAMPLE_CUSTOMERS", 10)

    found = customers_filtered(account=account, conditions=conditions)
    first_page = customers_page(found, size=5)

    expected = sorted(
        (pk for pk, values in crowd.items() if all(meets(values, c) for c in conditions)),
        reverse=True,
    )
    assert list(found.values_list("pk", flat=True)) == expected
    assert [c.pk for c in first_page.customers] == expected[:5]
    assert Customer.objects.filter(pk__in=expected, account=account).count() == len(expected)
