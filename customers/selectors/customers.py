"""Reads of customers: filtered, keyset pages, batches for export, one customer, tags.

Every read runs a fixed number of queries, whatever the number of customers,
values or tags; nothing here counts the whole customer table.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet, Value
from django.db.models.functions import Upper

from customers import statements
from customers.conditions import Condition
from customers.errors import CustomerNotFound
from customers.models import Account, Customer, Tag, customer_search_text
from customers.selectors.conditions import customers_matching
from customers.selectors.sqlite_search import searched_customers
from customers.values import PropertyType

# Customer states kept as the time they began (Customer.io suppress, Retently unsubscribe).
CUSTOMER_STATES = ("suppressed", "unsubscribed")


def customers_filtered(
    *,
    account: Account,
    identifiers: dict[str, object] | None = None,
    tags: list[str] | None = None,
    search: str = "",
    conditions: list[Condition] | None = None,
    states: dict[str, bool] | None = None,
) -> QuerySet[Customer]:
    """Return the account's customers matching every filter, newest first (lazy).

    `states` keeps customers who are (True) or are not (False) "suppressed" or
    "unsubscribed".
    """
    queryset = Customer.objects.filter(account=account, **(identifiers or {}))
    for state, held in (states or {}).items():
        if state not in CUSTOMER_STATES:
            raise ValueError(f"Unknown customer state {state!r}")
        queryset = queryset.filter(**{f"{state}_at__isnull": not held})
    for tag in tags or []:
        queryset = queryset.filter(tags__account=account, tags__name=tag)
    if search:
        # Every identifier and contact field as one upper-cased text, which PostgreSQL
        # answers from a trigram index (migration 0005); SQLite finds the candidates in its
        # FTS5 trigram table (migration 0009) and tests their text. The needle is
        # upper-cased by the same database function.
        queryset = queryset.alias(search_text=customer_search_text()).filter(
            searched_customers(search), search_text__contains=Upper(Value(search))
        )
    queryset = customers_matching(queryset, account=account, conditions=conditions or [])
    return queryset.order_by("-id")


def customers_with_values(customers: list[Customer]) -> list[Customer]:
    """Attach `property_values` ({key: (type, stored)}) and `tag_list` to a page (two queries).

    Values are read as tuples, not model instances: a page of 50 customers may hold
    thousands of values.
    """
    if not customers:
        return customers
    ids = [c.pk for c in customers]
    by_customer: dict[int, dict] = {pk: {} for pk in ids}
    for customer_id, key, type_, stored, _ in statements.active_values_of(ids, updated_at=False):
        by_customer[customer_id][key] = (PropertyType(type_), stored)
    tags_by_customer: dict[int, list[Tag]] = {pk: [] for pk in ids}
    for customer_id, tag in statements.tags_of(ids):
        tags_by_customer[customer_id].append(tag)
    for customer in customers:
        customer.property_values = by_customer[customer.pk]
        customer.tag_list = sorted(tags_by_customer[customer.pk], key=lambda t: t.name)
    return customers


@dataclass
class CustomerPage:
    """One keyset page of customers, newest first, with values and tags attached."""

    customers: list[Customer] = field(default_factory=list)
    has_next: bool = False
    has_previous: bool = False

    @property
    def next_after(self) -> int | None:
        return self.customers[-1].pk if self.has_next and self.customers else None

    @property
    def previous_before(self) -> int | None:
        return self.customers[0].pk if self.has_previous and self.customers else None


def customers_page(
    queryset: QuerySet[Customer],
    *,
    size: int,
    after: int | None = None,
    before: int | None = None,
) -> CustomerPage:
    """Return the page of `queryset` after (older than) or before (newer than) a customer id.

    Reads one row more than `size` to know whether another page follows, so no
    COUNT(*) is ever needed: three queries with the values and tags.
    """
    if before is not None:
        rows = list(queryset.filter(pk__gt=before).order_by("id")[: size + 1])
        has_more = len(rows) > size
        rows = list(reversed(rows[:size]))
        page = CustomerPage(rows, has_next=True, has_previous=has_more)
    else:
        if after is not None:
            queryset = queryset.filter(pk__lt=after)
        rows = list(queryset.order_by("-id")[: size + 1])
        page = CustomerPage(rows[:size], has_next=len(rows) > size, has_previous=after is not None)
    customers_with_values(page.customers)
    return page


def customers_in_batches(
    queryset: QuerySet[Customer], *, batch_size: int = 500
) -> Iterator[list[Customer]]:
    """Yield every customer of `queryset`, newest first, in batches with values and tags.

    Each batch is a keyset slice (three queries), so a million customers are never
    held in memory nor read with a growing OFFSET.
    """
    last_id = None
    while True:
        batch_queryset = queryset if last_id is None else queryset.filter(pk__lt=last_id)
        batch = list(batch_queryset.order_by("-id")[:batch_size])
        if not batch:
            return
        yield customers_with_values(batch)
        if len(batch) < batch_size:
            return
        last_id = batch[-1].pk


def customers_exist(*, account: Account) -> bool:
    """Return whether the account has any customer at all."""
    return Customer.objects.filter(account=account).exists()


def customer_get(*, account: Account, customer_id: int) -> Customer:
    """Return the account's customer `customer_id` with its tags (two queries)."""
    customer = (
        Customer.objects.filter(account=account, pk=customer_id).prefetch_related("tags").first()
    )
    if customer is None:
        raise CustomerNotFound(
            f"No customer {customer_id} in this account.", details={"customer_id": customer_id}
        )
    return customer


def tags_of_account(*, account: Account) -> list[Tag]:
    """Return the account's tags by name (one query)."""
    return list(Tag.objects.filter(account=account).order_by("name"))
