"""Reads of property values: one customer's, and one definition's as a chart.

Each read runs a fixed number of queries, whatever the number of customers or values.
"""

import datetime
import json
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Min, Q

from customers import statements
from customers.models import Customer, PropertyDefinition, PropertyValue
from customers.selectors.definitions import definition_customer_count
from customers.values import PropertyType

TOP_VALUES = 10
VALUES = PropertyValue._meta.db_table
HISTOGRAM_BUCKETS = 10


def customer_values(*, customer: Customer) -> list[PropertyValue]:
    """Return the customer's values of active definitions, by key (one query)."""
    return list(
        PropertyValue.objects.filter(customer=customer, definition__archived_at__isnull=True)
        .select_related("definition")
        .order_by("definition__key")
    )


@dataclass(frozen=True)
class HeldValue:
    """One value a customer holds, as plain data."""

    key: str
    type: PropertyType
    stored: object
    updated_at: datetime.datetime


def customer_held_values(*, customer: Customer) -> list[HeldValue]:
    """Return the customer's values of active definitions, by key (one query, no model
    instances: the API's read of a profile)."""
    return [
        HeldValue(key, PropertyType(type_), stored, updated_at)
        for _, key, type_, stored, updated_at in statements.active_values_of([customer.pk])
    ]


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: the value it counts, how many, and its length relative to the
    longest. A histogram's bar counts the values from `value` to `end` (web/presenters/charts.py
    labels them)."""

    value: object
    count: int
    share: float
    end: object = None


@dataclass
class Distribution:
    """A property's values as a chart.

    `kind` is "top" (the most frequent values, or for collections the items held
    by most customers) or "histogram" (buckets of equal width between the smallest
    and largest value). `total` is how many customers have a value; `other` how
    many of them have a value outside the top values; `other_items` how many
    collection items are not shown; `distinct` how many different values (or
    collection items) there are, of which `bars` shows the most frequent.
    """

    kind: str
    bars: list[Bar] = field(default_factory=list)
    total: int = 0
    other: int = 0
    other_items: int = 0
    estimated: bool = False  # counts scaled up from a sample of the values
    distinct: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.bars


DISTRIBUTION_CACHE_SECONDS = 60


def definition_distribution(*, definition: PropertyDefinition) -> Distribution:
    """Return the distribution of the definition's values (at most two queries, each read
    from one of the values table's indexes)."""
    type_ = definition.property_type
    values = PropertyValue.objects.filter(definition=definition)
    if type_ in (PropertyType.NUMBER, PropertyType.INTEGER, PropertyType.DATE):
        return _histogram(values, type_)
    if type_ is PropertyType.COLLECTION:
        return _top_items(definition)
    if type_ is PropertyType.JSON:
        return _top_values(definition, "value_list", type_)
    column = "value_boolean" if type_ is PropertyType.BOOLEAN else "value_text"
    return _top_values(definition, column, type_)


def definition_distribution_cached(
    *, definition: PropertyDefinition, customer_count: int
) -> Distribution:
    """Return `definition_distribution`, kept a minute per definition, type and number of
    holders: a value added or removed shows at once, a value changed within the minute."""
    born = definition.created_at.timestamp()  # a definition's id alone may come again
    key = f"distribution:v3:{definition.pk}:{born}:{definition.type}:{customer_count}"
    found = cache.get(key)
    if found is None:
        found = definition_distribution(definition=definition)
        cache.set(key, found, DISTRIBUTION_CACHE_SECONDS)
    return found


def _top_values(definition: PropertyDefinition, column: str, type_: PropertyType) -> Distribution:
    """The most frequent values, the total and the number of different values, in one
    pass over the column's partial index (`COUNT(*)`: nothing read from the table's rows;
    the groups are all counted before LIMIT, so how many there are comes free)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, COUNT(*) AS n, SUM(COUNT(*)) OVER (), COUNT(*) OVER () "
            f"FROM {VALUES} WHERE definition_id = %s AND {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT %s",
            [definition.pk, TOP_VALUES],
        )
        rows = cursor.fetchall()
    total = int(rows[0][2]) if rows else 0
    distinct = int(rows[0][3]) if rows else 0
    counts = [int(row[1]) for row in rows]
    bars = _bars([_scalar(row[0], type_) for row in rows], counts)
    return Distribution(
        kind="top", bars=bars, total=total, other=total - sum(counts), distinct=distinct
    )


# Collections held by more customers than this are counted on a sample of the table's pages
# (PostgreSQL): their items are inside the rows, so an exact count reads the whole table.
ITEMS_EXACT_MAX = 100_000
ITEMS_SAMPLED_ROWS = 20_000


def _top_items(definition: PropertyDefinition) -> Distribution:
    """Count, for each collection item, how many customers hold it (database-side).

    An item a customer's collection holds twice counts once: PostgreSQL takes each
    collection's distinct items (a few per row, no sort of the whole table), SQLite skips
    an item seen earlier in the same collection. Past ITEMS_EXACT_MAX holders, PostgreSQL
    counts a sample of pages and scales the counts up (`estimated`).
    """
    total = definition_customer_count(definition=definition)
    sampled = connection.vendor == "postgresql" and total > ITEMS_EXACT_MAX
    if connection.vendor == "postgresql":
        sample = ""
        if sampled:
            percent = min(100, 100 * ITEMS_SAMPLED_ROWS / total)
            sample = f" TABLESAMPLE SYSTEM ({percent:.4f}) REPEATABLE (0)"
        # One read of the (sampled) rows; how many it holds scales the counts up.
        sql = (
            f"WITH held AS MATERIALIZED (SELECT value_list FROM {VALUES}{sample} "
            "WHERE definition_id = %s AND value_list IS NOT NULL) "
            "SELECT item.value, COUNT(*) AS n, COUNT(*) OVER (), "
            "(SELECT COUNT(*) FROM held) FROM held CROSS JOIN LATERAL "
            "(SELECT DISTINCT e AS value FROM jsonb_array_elements_text(held.value_list) e) item "
            "GROUP BY item.value ORDER BY n DESC, item.value LIMIT %s"
        )
    else:
        sql = (
            f"SELECT item.value, COUNT(*) AS n, COUNT(*) OVER (), 0 "
            f"FROM {VALUES} v, json_each(v.value_list) item "
            "WHERE v.definition_id = %s AND v.value_list IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM json_each(v.value_list) earlier "
            "WHERE earlier.value = item.value AND earlier.key < item.key) "
            "GROUP BY item.value ORDER BY n DESC, item.value LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [definition.pk, TOP_VALUES])
        rows = cursor.fetchall()
    if not rows:
        return Distribution(kind="top", total=total)
    scale = total / max(1, int(rows[0][3])) if sampled else 1
    distinct_items = int(rows[0][2])
    counts = [min(total, round(int(row[1]) * scale)) for row in rows]
    return Distribution(
        kind="top",
        bars=_bars([str(row[0]) for row in rows], counts),
        total=total,
        other_items=distinct_items - len(rows),
        estimated=sampled,
        distinct=distinct_items,
    )


def _histogram(values, type_: PropertyType) -> Distribution:
    """Buckets between the smallest and largest value: those two read from the ends of
    the column's index, then every bucket counted in one pass over it."""
    column = "value_datetime" if type_ is PropertyType.DATE else "value_number"
    values = values.filter(**{f"{column}__isnull": False})
    bounds = values.aggregate(low=Min(column), high=Max(column))
    low, high = bounds["low"], bounds["high"]
    if low is None:
        return Distribution(kind="histogram")
    edges = _edges(low, high, type_)
    buckets = {}
    for i, (start, end) in enumerate(edges):
        last = i == len(edges) - 1
        condition = Q(**{f"{column}__gte": start}) & (
            Q(**{f"{column}__lte": end}) if last else Q(**{f"{column}__lt": end})
        )
        buckets[f"b{i}"] = Count(column, filter=condition)
    counts_by_name = values.aggregate(**buckets)
    counts = [counts_by_name[f"b{i}"] for i in range(len(edges))]
    starts, ends = [start for start, _ in edges], [end for _, end in edges]
    return Distribution(kind="histogram", bars=_bars(starts, counts, ends), total=sum(counts))


def _edges(low, high, type_: PropertyType) -> list[tuple]:
    """Return the (start, end) of each bucket; the last one includes its end."""
    if low == high:
        return [(low, high)]
    if type_ is PropertyType.INTEGER:
        span = int(high - low) + 1
        width = math.ceil(span / HISTOGRAM_BUCKETS)
        count = math.ceil(span / width)
        edges = [(low + i * width, low + (i + 1) * width) for i in range(count)]
        # The last bucket ends at the largest value, which it includes.
        edges[-1] = (edges[-1][0], high)
        return edges
    width = (high - low) / HISTOGRAM_BUCKETS
    starts = [low + i * width for i in range(HISTOGRAM_BUCKETS)]
    return [
        (start, starts[i + 1] if i + 1 < HISTOGRAM_BUCKETS else high)
        for i, start in enumerate(starts)
    ]


def _scalar(stored, type_: PropertyType) -> object:
    """Return a value read raw from its column as Python data (SQLite's booleans are 0 and 1;
    a JSON column is its text on both backends)."""
    if type_ is PropertyType.BOOLEAN:
        return bool(stored)
    if type_ is PropertyType.JSON:
        return json.loads(stored) if isinstance(stored, str) else stored
    return stored


def _bars(values: list, counts: list[int], ends: list | None = None) -> list[Bar]:
    longest = max(counts, default=0) or 1
    ends = ends or [None] * len(values)
    return [
        Bar(value=value, count=count, share=count / longest, end=end)
        for value, count, end in zip(values, counts, ends, strict=True)
    ]
