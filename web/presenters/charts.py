"""A property's distribution as the detail page draws it: labelled, linked bars and an SVG.

The selector (`definition_distribution`) returns the values and counts; the labels
("1,000-1,999", "2026-06-01", "true"), the link from each bar to the customers it
counts, and the chart's shapes are made here.

The chart is as wide as its card at every screen size: each bar is a row (its label
above it, its count after it) whose length is a percentage of the width, so the text
keeps the page's size instead of shrinking with a scaled drawing.
"""

import datetime
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from customers.conditions import Condition, Operator
from customers.selectors.values import Bar, Distribution
from customers.values import PropertyType
from web.presenters import dates

_DASH = "\N{EN DASH}"

# Of the values held by many different customers, only those held by more than one are
# charted; past this share of different values among holders, the values are "mostly unique".
MOSTLY_UNIQUE_SHARE = 0.9
# Types whose top values are charted (or listed) only when they repeat.
REPEATING_TYPES = {PropertyType.TEXT, PropertyType.URL, PropertyType.COLLECTION, PropertyType.JSON}
UNIQUE_NOTE_TYPES = {PropertyType.TEXT, PropertyType.URL, PropertyType.JSON}

# Geometry of the server-drawn charts: pixels down, percentages of the width across.
ROW_HEIGHT = 46
AXIS_TITLE_HEIGHT = 24
AXIS_HEIGHT = 44
BAR_SPAN = 80  # the longest bar's share of the width; its count is written after it
LABEL_CHARACTERS = 44  # longer labels are cut (the full one is in the bar's title)


@dataclass(frozen=True)
class LabelledBar:
    """One bar as the page shows it: its label, how many, its length relative to the
    longest, and the customers list filtered to the customers it counts ("" when the
    list cannot filter so)."""

    label: str
    count: int
    share: float
    url: str = ""


@dataclass(frozen=True)
class DistributionDisplay:
    """A distribution with labelled bars; the other fields as the selector returned them.

    `repeats_only`: many different values, so only those held by more than one customer
    are shown; `mostly_unique`: (almost) every customer holds a value of their own.
    """

    kind: str
    bars: list[LabelledBar] = field(default_factory=list)
    total: int = 0
    other: int = 0
    other_items: int = 0
    estimated: bool = False
    distinct: int = 0
    repeats_only: bool = False
    mostly_unique: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.bars


def distribution_display(
    distribution: Distribution, type_: PropertyType, *, key: str | None = None
) -> DistributionDisplay:
    """Return the distribution of a property of type `type_` with a label on each bar,
    and with `key`, a link to the customers each bar counts."""
    bars = distribution.bars
    if distribution.kind == "histogram":
        labels = _bucket_labels(bars, type_)
        conditions = _bucket_conditions(bars, type_, key)
    else:
        labels = [_value_label(bar.value, type_) for bar in bars]
        conditions = [_value_conditions(bar.value, type_, key) for bar in bars]
    labelled = [
        LabelledBar(
            label=label,
            count=bar.count,
            share=bar.share,
            url=_customers_url(found) if bar.count else "",  # an empty bucket lists no one
        )
        for label, bar, found in zip(labels, bars, conditions, strict=True)
    ]
    # Ten values held once each, out of thousands, say nothing: only repeats are shown.
    repeats_only = (
        distribution.kind == "top"
        and type_ in REPEATING_TYPES
        and distribution.distinct > len(bars)
    )
    other, other_items = distribution.other, distribution.other_items
    if repeats_only:
        dropped = [bar for bar in labelled if bar.count <= 1]
        labelled = [bar for bar in labelled if bar.count > 1]
        if type_ is PropertyType.COLLECTION:
            other_items += len(dropped)
        else:
            other += sum(bar.count for bar in dropped)
    mostly_unique = (
        repeats_only
        and type_ in UNIQUE_NOTE_TYPES
        and (not labelled or distribution.distinct >= MOSTLY_UNIQUE_SHARE * distribution.total)
    )
    return DistributionDisplay(
        kind=distribution.kind,
        bars=labelled,
        total=distribution.total,
        other=other,
        other_items=other_items,
        estimated=distribution.estimated,
        distinct=distribution.distinct,
        repeats_only=repeats_only,
        mostly_unique=mostly_unique,
    )


def _value_label(value, type_: PropertyType) -> str:
    if type_ is PropertyType.BOOLEAN:
        return "true" if value else "false"
    if type_ is PropertyType.JSON:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return str(value)


def _bucket_labels(bars: list[Bar], type_: PropertyType) -> list[str]:
    """Label each bucket by its range; the first bucket starts at the smallest value and
    the last one ends at (and includes) the largest."""
    if not bars:
        return []
    low, high = bars[0].value, bars[-1].end
    return [_bucket_label(bar.value, bar.end, low, high, type_) for bar in bars]


def _bucket_label(start, end, low, high, type_: PropertyType) -> str:
    if type_ is PropertyType.DATE:
        with_time = high - low < datetime.timedelta(days=3)
        return dates.datetime_text(start) if with_time else dates.date_text(start)
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


# --- Links to the customers a bar counts


def _value_conditions(value, type_: PropertyType, key: str | None) -> list[Condition]:
    """Return the conditions of the customers holding `value` (an item, for collections)."""
    if key is None or type_ is PropertyType.JSON:  # JSON filters by set / not set only
        return []
    if type_ is PropertyType.COLLECTION:
        return [Condition(key, Operator.CONTAINS, str(value))]
    if type_ is PropertyType.BOOLEAN:
        return [Condition(key, Operator.EQUALS, "true" if value else "false")]
    return [Condition(key, Operator.EQUALS, str(value))]


def _bucket_conditions(bars: list[Bar], type_: PropertyType, key: str | None) -> list:
    """Return, per bucket, the conditions of the customers whose value is in its range: from
    its start, to before its end (the last bucket includes its end), as the selector counted."""
    if key is None:
        return [[] for _ in bars]
    last = len(bars) - 1
    return [
        [
            Condition(key, Operator.GREATER_OR_EQUAL, _bound(bar.value, type_)),
            Condition(
                key,
                Operator.LESS_OR_EQUAL if i == last else Operator.LESS,
                _bound(bar.end, type_),
            ),
        ]
        for i, bar in enumerate(bars)
    ]


def _bound(value, type_: PropertyType) -> str:
    """Return a bucket's edge as a filter reads it back exactly."""
    if type_ is PropertyType.DATE:
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if type_ is PropertyType.INTEGER:
        return str(int(value))
    return repr(float(value))  # the shortest text that reads back as the same float


def _customers_url(conditions: list[Condition]) -> str:
    """Return the customers list filtered by `conditions`, in the query-string syntax the
    list and the API read (`plan__eq=gold`, as web.forms.customers.list_query writes it;
    web.forms imports the presenters, so not the other way round)."""
    if not conditions:
        return ""
    pairs = [(f"{c.key}__{c.operator.value}", c.value) for c in conditions]
    return f"{reverse('customers')}?{urlencode(pairs)}"


# --- The SVG


@dataclass(frozen=True)
class ChartRow:
    """One bar of the chart: its label and count as text, its geometry, its link."""

    label: str  # as drawn: cut to LABEL_CHARACTERS
    full_label: str
    count: int
    url: str
    top: int  # the row's whole band is its link's target, not only its shapes
    label_y: int
    bar_y: int
    count_y: int
    width: str  # a percentage of the chart's width, "42.5%"


@dataclass(frozen=True)
class Chart:
    """The shapes of a distribution's chart: a row per bar between two axis titles."""

    kind: str
    value_axis: str  # the title over the labels: the property's label, or its ranges
    count_axis: str
    height: int
    rows: list[ChartRow]
    axis_y: int
    tick_y: int
    title_y: int
    longest: int
    bar_span: str  # where the longest bar ends (and the axis' largest tick sits)
    row_height: int = ROW_HEIGHT


def chart_of(distribution: DistributionDisplay, *, label: str = "Value") -> Chart | None:
    """Return the shapes of the distribution's SVG chart of the property `label`, or None
    when there is nothing to draw."""
    if distribution.is_empty:
        return None
    rows = []
    for i, bar in enumerate(distribution.bars):
        top = AXIS_TITLE_HEIGHT + i * ROW_HEIGHT
        rows.append(
            ChartRow(
                label=_cut(bar.label),
                full_label=bar.label,
                count=bar.count,
                url=bar.url,
                top=top,
                label_y=top + 14,
                bar_y=top + 21,
                count_y=top + 34,
                width=f"{max(bar.share * BAR_SPAN, 0.4):.2f}%",
            )
        )
    axis_y = AXIS_TITLE_HEIGHT + len(rows) * ROW_HEIGHT + 4
    value_axis = f"{label} (ranges)" if distribution.kind == "histogram" else label
    return Chart(
        kind=distribution.kind,
        value_axis=value_axis,
        count_axis="Customers" + (" (estimated)" if distribution.estimated else ""),
        height=axis_y + AXIS_HEIGHT,
        rows=rows,
        axis_y=axis_y,
        tick_y=axis_y + 16,
        title_y=axis_y + 36,
        longest=max(bar.count for bar in distribution.bars),
        bar_span=f"{BAR_SPAN}%",
    )


def _cut(label: str) -> str:
    """Return the label on one line, cut with an ellipsis past LABEL_CHARACTERS."""
    line = " ".join(label.split())
    if len(line) <= LABEL_CHARACTERS:
        return line
    return line[: LABEL_CHARACTERS - 1] + "\N{HORIZONTAL ELLIPSIS}"
