"""Retently's customer objects and list envelope, as its API reference documents them.

A customer is `{"id": "<string>", "email", "firstName", "lastName", "companyName",
"companyId", "tags", "createdDate", "properties": [{label, name, type, value}]}`; a
list is `{"message": "Success.", "data": {"subscribers": [...], "page", "limit",
"pages", "total", "sort"}}`. This service keeps no company records, so `companyId` is
always null.
"""

import math
from dataclasses import dataclass

from rest_framework.exceptions import ValidationError

from compat.retently import mapping
from customers.models import Customer

SUCCESS = "Success."
# The offset, (page - 1) * limit, stays far below what a database row offset holds
# (PostgreSQL's bigint).
MAX_PAGE, MAX_LIMIT = 1_000_000, 1000
DEFAULT_LIMIT = 20
# Retently's sort fields -> our columns; a leading "-" sorts descending.
SORT_COLUMNS = {
    "createdDate": "created_at",
    "email": "email",
    "firstName": "first_name",
    "lastName": "last_name",
    "companyName": "company",
}
DEFAULT_SORT = "-createdDate"


@dataclass(frozen=True)
class Page:
    number: int
    limit: int
    sort: str

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.limit

    def ordering(self) -> tuple[str, str]:
        """Return the order_by of this sort, the customer id breaking ties the same way."""
        descending = self.sort.startswith("-")
        column = SORT_COLUMNS[self.sort.lstrip("-")]
        return (f"-{column}", "-id") if descending else (column, "id")


def page_from(params) -> Page:
    """Read `page`, `limit` and `sort` of a list request, refusing what is out of range."""
    sort = (params.get("sort") or DEFAULT_SORT).strip()
    if sort.lstrip("-") not in SORT_COLUMNS:
        raise ValidationError(
            {"sort": [f"sort is one of {', '.join(SORT_COLUMNS)}, with - for descending."]}
        )
    return Page(
        number=_positive(params, "page", 1, MAX_PAGE),
        limit=_positive(params, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        sort=sort,
    )


def _positive(params, name: str, default: int, maximum: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    # Only ASCII digits: isdigit() also passes "²", which int() refuses; the length
    # check comes before int(), which refuses over 4,300 digits.
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else 0
    if not 1 <= number <= maximum:
        raise ValidationError({name: [f"{name} is a whole number from 1 to {maximum}."]})
    return number


def list_data(customers: list[Customer], labels: dict, page: Page, total: int) -> dict:
    """Return the `data` of a list response; `customers_with_values` must have run."""
    return {
        "subscribers": [subscriber_json(c, labels) for c in customers],
        "page": page.number,
        "limit": page.limit,
        "pages": math.ceil(total / page.limit),
        "total": total,
        "sort": page.sort,
    }


def subscriber_json(customer: Customer, labels: dict) -> dict:
    """Return one customer as Retently lists it; `customers_with_values` must have run."""
    return {
        "id": str(customer.pk),
        "email": customer.email,
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "companyName": customer.company,
        "companyId": None,
        "tags": [t.name for t in customer.tag_list],
        "createdDate": customer.created_at.isoformat(),
        "unsubscribed": customer.unsubscribed_at is not None,
        "properties": [
            mapping.property_json(labels.get(key, key), key, type_, stored)
            for key, (type_, stored) in customer.property_values.items()
        ],
    }
