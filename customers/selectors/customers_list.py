"""The customers list: filtered customers in a chosen order, a numbered page at a time, with
how many there are, counted cheaply.

A page is one query (its rows and the total together), then the page's values and tags:
three queries, whatever the number of customers. Pages reach MAX_DEPTH customers into an
order; past that, the other direction or a narrower filter shows the rest, so no page reads
through more than MAX_DEPTH rows. A filtered total is counted up to MAX_DEPTH; past that it
is estimated, by one more query (see `_estimated_total`).
"""

import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from customers import values
from customers.models import Account, Customer, PropertyDefinition, PropertyValue, SummaryCount
from customers.selectors.customers import customers_with_values
from customers.values import PropertyType

# Built-in sorts and the columns they order by; the id last makes every order total.
# "created" is the id order: ids grow with creation, and the (account, -id) index serves it.
# email and name have indexes of their own (migration 0007); "updated" has none, as every
# write moves it (an index would slow every write): it sorts the filtered customers.
SORT_COLUMNS = {
    "created": ("id",),
    "email": ("email", "id"),
    "name": ("first_name", "last_name", "id"),
    "updated": ("updated_at", "id"),
}
_NULLABLE = {"email", "sort_value"}
# Types whose values sort in their own column (collections and JSON do not sort).
SORTABLE_TYPES = frozenset(
    {
        PropertyType.TEXT,
        PropertyType.URL,
        PropertyType.NUMBER,
        PropertyType.INTEGER,
        PropertyType.DATE,
        PropertyType.BOOLEAN,
    }
)
# How many customers deep pages go into one order, and how far a filtered total is counted.
MAX_DEPTH = 10_000
# How many of the newest matches SQLite's estimate of a filtered total past MAX_DEPTH scales.
SAMPLED = 1_000


@dataclass(frozen=True)
class CustomerSort:
    """An order of the list: a built-in column, or a property's value (`definition`)."""

    column: str = "created"
    descending: bool = True
    definition: PropertyDefinition | None = None


@dataclass
class CustomerListPage:
    """One numbered page of customers, with values and tags attached, and the total.

    `total` is exact up to MAX_DEPTH; `total_capped` says there are more than that, and
    `estimate` then says about how many (never MAX_DEPTH or fewer).
    """

    customers: list[Customer] = field(default_factory=list)
    number: int = 1
    size: int = 50
    total: int = 0
    total_capped: bool = False
    estimate: int | None = None

    @property
    def page_count(self) -> int:
        reachable = min(self.total, MAX_DEPTH)
        return max(1, -(-reachable // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.customers else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.customers)


def customers_sorted(queryset: QuerySet[Customer], sort: CustomerSort) -> QuerySet[Customer]:
    """Return `queryset` in `sort`'s order; descending is exactly the ascending order reversed
    (customers without the value last when ascending), so an index serves both directions."""
    if sort.definition is not None:
        definition = sort.definition
        if definition.property_type not in SORTABLE_TYPES:
            raise ValueError(f"{definition.type} properties do not sort")
        column = values.STORAGE_COLUMN[definition.property_type]
        held = PropertyValue.objects.filter(customer=OuterRef("pk"), definition=definition)
        queryset = queryset.annotate(sort_value=Subquery(held.values(column)[:1]))
        columns = ("sort_value", "id")
    else:
        columns = SORT_COLUMNS[sort.column]
    order = []
    for name in columns:
        nullable = name in _NULLABLE
        if sort.descending:
            order.append(F(name).desc(nulls_first=True) if nullable else F(name).desc())
        else:
            order.append(F(name).asc(nulls_last=True) if nullable else F(name).asc())
    return queryset.order_by(*order)


def customers_list_page(
    queryset: QuerySet[Customer],
    *,
    account: Account,
    sort: CustomerSort,
    number: int,
    size: int,
    filtered: bool,
) -> CustomerListPage:
    """Return page `number` (from 1) of `queryset` in `sort`'s order, with the total.

    Unfiltered, the total is the account's customer count from the summary counts; filtered
    (or without summary counts), the customers are counted up to MAX_DEPTH + 1. Either way
    the count is a subquery of the page's own query. Three queries; four when the page is
    past the end (the total is then counted on its own), and one more when the count
    reaches MAX_DEPTH + 1 (the estimate).
    """
    number = max(1, min(number, -(-MAX_DEPTH // size)))
    offset = (number - 1) * size
    counted = _capped_count(queryset)
    summary = _summary_total(account)
    if filtered:
        # What an estimate scales to, or is bounded by.
        listed = customers_sorted(queryset, sort).annotate(listed_total=counted, summed=summary)
    else:
        counted = Coalesce(summary, counted, output_field=IntegerField())
        listed = customers_sorted(queryset, sort).annotate(listed_total=counted)
    rows = list(listed[offset : offset + size])
    account_total = getattr(rows[0], "summed", None) if rows else None
    if rows:
        total = rows[0].listed_total
    elif number == 1:
        total = 0
    else:
        total = _total(queryset, account=account, filtered=filtered)
    page = CustomerListPage(
        rows, number=number, size=size, total=min(total, MAX_DEPTH), total_capped=total > MAX_DEPTH
    )
    if not filtered and total > MAX_DEPTH:
        # The summary count is exact whatever its size.
        page.total, page.total_capped = total, False
    if page.total_capped:
        page.estimate = _estimated_total(queryset, account=account, account_total=account_total)
    customers_with_values(page.customers)
    return page


def _total(queryset: QuerySet[Customer], *, account: Account, filtered: bool) -> int:
    """Return the total on its own query: the summary count, else a capped count."""
    if not filtered:
        summed = _summary_total_value(account)
        if summed is not None:
            return summed
    return queryset.order_by().values("pk")[: MAX_DEPTH + 1].count()


def _estimated_total(
    queryset: QuerySet[Customer], *, account: Account, account_total: int | None
) -> int:
    """Return about how many customers `queryset` holds, known to be more than MAX_DEPTH
    (one query), never more than `account_total` (the account's customers) when known.

    PostgreSQL: its planner's estimate of the rows the filtered query returns (EXPLAIN, no
    rows read). SQLite, which estimates nothing: the share of the newest SAMPLED matches
    among the customers as new as they are, times `account_total` (reading a tenth as many
    matches as the capped count did). Either is a guess (a planner may misjudge a condition
    many times over; recent customers may match more often); a guess of MAX_DEPTH or fewer
    gives MAX_DEPTH + 1.
    """
    least = MAX_DEPTH + 1
    if connection.vendor == "postgresql":
        explained = json.loads(queryset.order_by().values("pk").explain(format="json"))
        plan = explained[0] if isinstance(explained, list) else explained
        guess = round(plan["Plan"]["Plan Rows"])
    else:
        newest = queryset.order_by("-pk").values("pk")[:SAMPLED]
        sql, params = newest.query.get_compiler(connection=connection).as_sql()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sampled.found, (SELECT COUNT(*) FROM customers_customer "
                "WHERE account_id = %s AND id >= sampled.oldest) "
                f"FROM (SELECT COUNT(*) AS found, MIN(pk) AS oldest FROM ({sql}) newest) sampled",
                (account.pk, *params),
            )
            found, read = cursor.fetchone()
        guess = round(found * account_total / read) if account_total and read else least
    if account_total is not None:
        guess = min(guess, account_total)
    return max(least, guess)


def _capped_count(queryset: QuerySet[Customer]) -> RawSQL:
    """Return how many customers `queryset` holds, counted up to MAX_DEPTH + 1, as SQL."""
    inner = queryset.order_by().values("pk")[: MAX_DEPTH + 1]
    sql, params = inner.query.get_compiler(connection=connection).as_sql()
    return RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params, output_field=IntegerField())


def _summary_total(account: Account) -> Subquery:
    """Return the account's customer count from the summary counts (NULL without any)."""
    rows = (
        SummaryCount.objects.filter(account_id=account.pk, definition_id__isnull=True)
        .order_by()
        .values("account_id")
        .annotate(n=Sum("delta"))
        .values("n")
    )
    return Subquery(rows, output_field=IntegerField())


def customers_counted(queryset: QuerySet[Customer], *, account: Account, filtered: bool) -> int:
    """Return exactly how many customers `queryset` holds (one query): from the summary
    counts when unfiltered, else counted (what a confirmation states before a change)."""
    if not filtered:
        summed = _summary_total_value(account)
        if summed is not None:
            return summed
    return queryset.order_by().count()


def _summary_total_value(account: Account) -> int | None:
    found = SummaryCount.objects.filter(account_id=account.pk, definition_id__isnull=True)
    return found.aggregate(n=Sum("delta"))["n"]
