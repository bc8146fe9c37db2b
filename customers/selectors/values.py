"""Reads of property values: one customer's, and one definition's as a chart.

Each read runs a fixed number of queries, whatever the number of customers or values.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Min, Q

from customers import statements
from customers.models import Customer, PropertyDefinition, PropertyValue
from customers.values import PropertyType

TOP_VALUES = 10
HISTOGRAM_BUCKETS = 10
_DASH = "\N{EN DASH}"


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
    """One bar of a chart: what it counts, how many, and its length relative to the longest."""

    label: str
    count: int
    share: float


@dataclass
class Distribution:
    """A property's values as a chart.

    `kind` is "top" (the most frequent values, or for collections the items held
    by most customers) or "histogram" (buckets of equal width between the smallest
    and largest value). `total` is how many customers have a value; `other` how
    many of them have a value outside the top values; `other_items` how many
    collection items are not shown.
    """

    kind: str
    bars: list[Bar] = field(default_factory=list)
    total: int = 0
    other: int = 0
    other_items: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.bars


def definition_distribution(*, definition: PropertyDefinition) -> Distribution:
    """Return the distribution of the definition's values (at most two queries)."""
    type_ = definition.property_type
    values = PropertyValue.objects.filter(definition=definition)
    if type_ in (PropertyType.NUMBER, PropertyType.INTEGER, PropertyType.DATE):
        return _histogram(values, type_)
    if type_ is PropertyType.COLLECTION:
        return _top_items(definition)
    column = "value_boolean" if type_ is PropertyType.BOOLEAN else "value_text"
    return _top_values(values, column, type_)


def _top_values(values, column: str, type_: PropertyType) -> Distribution:
    rows = list(values.values(column).annotate(n=Count("pk")).order_by("-n", column)[:TOP_VALUES])
    total = values.count()
    labels = [_scalar_label(row[column], type_) for row in rows]
    counts = [row["n"] for row in rows]
    return Distribution(
        kind="top", bars=_bars(labels, counts), total=total, other=total - sum(counts)
    )


def _top_items(definition: PropertyDefinition) -> Distribution:
    """Count, for each collection item, how many customers hold it (database-side)."""
    table = PropertyValue._meta.db_table
    if connection.vendor == "postgresql":
        items = f"jsonb_array_elements_text({table}.value_list) AS item(value)"
    else:
        items = f"json_each({table}.value_list) AS item"
    sql = (
        f"SELECT item.value, COUNT(DISTINCT {table}.id) AS n, "
        f"(SELECT COUNT(*) FROM {table} WHERE definition_id = %s) AS total, "
        f"COUNT(*) OVER () AS distinct_items "
        f"FROM {table}, {items} WHERE {table}.definition_id = %s "
        f"GROUP BY item.value ORDER BY n DESC, item.value LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [definition.pk, definition.pk, TOP_VALUES])
        rows = cursor.fetchall()
    if not rows:
        total = PropertyValue.objects.filter(definition=definition).count()
        return Distribution(kind="top", total=total)
    total, distinct_items = int(rows[0][2]), int(rows[0][3])
    labels = [str(row[0]) for row in rows]
    counts = [int(row[1]) for row in rows]
    return Distribution(
        kind="top",
        bars=_bars(labels, counts),
        total=total,
        other_items=distinct_items - len(rows),
    )


def _histogram(values, type_: PropertyType) -> Distribution:
    column = "value_datetime" if type_ is PropertyType.DATE else "value_number"
    bounds = values.aggregate(low=Min(column), high=Max(column), n=Count("pk"))
    low, high, total = bounds["low"], bounds["high"], bounds["n"]
    if not total:
        return Distribution(kind="histogram")
    edges = _edges(low, high, type_)
    buckets = {}
    for i, (start, end) in enumerate(edges):
        last = i == len(edges) - 1
        condition = Q(**{f"{column}__gte": start}) & (
            Q(**{f"{column}__lte": end}) if last else Q(**{f"{column}__lt": end})
        )
        buckets[f"b{i}"] = Count("pk", filter=condition)
    counts_by_name = values.aggregate(**buckets)
    counts = [counts_by_name[f"b{i}"] for i in range(len(edges))]
    labels = [_bucket_label(start, end, low, high, type_) for start, end in edges]
    return Distribution(kind="histogram", bars=_bars(labels, counts), total=total)


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


def _bucket_label(start, end, low, high, type_: PropertyType) -> str:
    if type_ is PropertyType.DATE:
        with_time = high - low < datetime.timedelta(days=3)
        pattern = "%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d"
        return start.astimezone(datetime.UTC).strftime(pattern)
    if type_ is PropertyType.INTEGER:
        last = int(end) if end == high else int(end) - 1
        first = int(start)
        return f"{first:,}" if first == last else f"{first:,}{_DASH}{last:,}"
    if start == end:
        return _number_label(start)
    return f"{_number_label(start)}{_DASH}{_number_label(end)}"


def _number_label(number: float) -> str:
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.4g}" if abs(number) < 1 else f"{number:,.2f}"


def _scalar_label(stored, type_: PropertyType) -> str:
    if type_ is PropertyType.BOOLEAN:
        return "true" if stored else "false"
    return str(stored)


def _bars(labels: list[str], counts: list[int]) -> list[Bar]:
    longest = max(counts, default=0) or 1
    return [
        Bar(label=label, count=count, share=count / longest)
        for label, count in zip(labels, counts, strict=True)
    ]
