"""CSV export of a filtered customers list, written row by row for streaming.

Columns: the identifiers, names, company and tags, then one column per active
property key. Values are written in their wire form (values.to_json): numbers
as numbers, booleans as true/false, dates as ISO 8601 UTC, collections as
comma-separated items, the form an import reads back.
"""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from customers import values
from customers.models import Account, Customer
from customers.selectors import customers_in_batches, definitions_active

CUSTOMER_COLUMNS = (
    "customer_id",
    "customer_uuid",
    "email",
    "user_id",
    "visitor_id",
    "phone",
    "first_name",
    "last_name",
    "company",
    "tags",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, for csv.writer without a buffer."""

    def write(self, value: str) -> str:
        return value


def customers_csv(*, account: Account, customers: QuerySet[Customer]) -> Iterator[str]:
    """Yield the CSV lines of `customers`: a header, then one line per customer, newest first."""
    keys = [d.key for d in definitions_active(account=account)]
    writer = csv.writer(_Echo())
    yield writer.writerow([*CUSTOMER_COLUMNS, *keys])
    for batch in customers_in_batches(customers):
        for customer in batch:
            yield writer.writerow(_row(customer, keys))


def _row(customer: Customer, keys: list[str]) -> list:
    cells = [
        customer.pk,
        customer.uuid,
        *(_text(getattr(customer, name) or "") for name in ("email", "user_id", "visitor_id")),
        # E.164, validated on write: "+" and digits only, which must stay as they are.
        customer.phone or "",
        _text(customer.first_name),
        _text(customer.last_name),
        _text(customer.company),
        _text(", ".join(tag.name for tag in customer.tag_list)),
    ]
    for key in keys:
        typed = customer.property_values.get(key)
        cells.append("" if typed is None else _cell(*typed))
    return cells


def _cell(type_: values.PropertyType, stored) -> object:
    wire = values.to_json(stored, type_)
    if isinstance(wire, bool):
        return "true" if wire else "false"
    if isinstance(wire, list):
        return _text(", ".join(wire))
    if isinstance(wire, int | float):
        return wire
    return _text(str(wire))


def _text(text: str) -> str:
    """Return text that a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
