"""web.presenters.charts: a distribution's labels, links and the SVG chart drawn from it."""

import random
from urllib.parse import urlsplit

import pytest

from customers.conditions.syntax import conditions_from_query_string
from customers.selectors import Bar, Distribution, customers_filtered, definition_distribution
from customers.values import PropertyType
from tests.factories import customers_holding, make_definition
from web.forms.customers import LIST_PARAMETERS
from web.presenters.charts import (
    BAR_SPAN,
    ROW_HEIGHT,
    chart_of,
    distribution_display,
)

DASH = "\N{EN DASH}"


def labels(distribution, type_: PropertyType) -> list[tuple[str, int]]:
    return [(bar.label, bar.count) for bar in distribution_display(distribution, type_).bars]


def customers_behind(account, url: str) -> int:
    """Return how many customers the customers list shows for a bar's link."""
    parts = urlsplit(url)
    assert parts.path == "/customers/"
    conditions, errors = conditions_from_query_string(parts.query, reserved=LIST_PARAMETERS)
    assert errors == []
    return customers_filtered(account=account, conditions=conditions).count()


# --- Labels


def test_top_values_are_labelled_as_typed_booleans_in_words_and_json_indented():
    flags = Distribution(kind="top", bars=[Bar(True, 2, 1.0), Bar(False, 1, 0.5)], total=3)
    data = Distribution(kind="top", bars=[Bar({"city": "Berlin"}, 1, 1.0)], total=1)
    plans = Distribution(kind="top", bars=[Bar("gold", 1, 1.0)], total=1, other=4)

    assert labels(flags, PropertyType.BOOLEAN) == [("true", 2), ("false", 1)]
    assert labels(data, PropertyType.JSON) == [('{\n  "city": "Berlin"\n}', 1)]
    shown = distribution_display(plans, PropertyType.TEXT)
    assert (shown.kind, shown.total, shown.other, shown.bars[0].share) == ("top", 1, 4, 1.0)


def test_integer_buckets_are_labelled_by_the_whole_numbers_they_hold(account):
    score = make_definition(account, "score", "integer")
    customers_holding(account, "score", 0, 1, 1, 19)

    shown = labels(definition_distribution(definition=score), PropertyType.INTEGER)

    assert shown[0] == (f"0{DASH}1", 3)
    assert shown[-1] == (f"18{DASH}19", 1)


def test_one_number_is_one_bucket_labelled_with_two_decimals(account):
    ltv = make_definition(account, "ltv", "number")
    customers_holding(account, "ltv", 2.5, 2.5)

    assert labels(definition_distribution(definition=ltv), PropertyType.NUMBER) == [("2.50", 2)]


def test_date_buckets_are_labelled_in_iso_by_day_or_by_minute_within_three_days(account):
    signup = make_definition(account, "signup", "date")
    seen = make_definition(account, "seen", "date")
    customers_holding(account, "signup", "2026-01-01", "2026-01-11", "2026-01-11")
    customers_holding(account, "seen", "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z")

    by_day = labels(definition_distribution(definition=signup), PropertyType.DATE)
    by_minute = labels(definition_distribution(definition=seen), PropertyType.DATE)

    assert (by_day[0], by_day[-1]) == (("2026-01-01", 1), ("2026-01-10", 2))
    assert by_minute[0] == ("2026-01-01 10:00", 1)


# --- Values that rarely repeat


def test_few_different_values_are_all_shown_even_when_held_once(account):
    plan = make_definition(account, "plan", "text")
    customers_holding(account, "plan", "gold", "gold", "silver")

    shown = distribution_display(definition_distribution(definition=plan), PropertyType.TEXT)

    assert [(b.label, b.count) for b in shown.bars] == [("gold", 2), ("silver", 1)]
    assert (shown.distinct, shown.repeats_only, shown.mostly_unique) == (2, False, False)


def test_many_different_urls_show_only_those_held_more_than_once(account):
    url = make_definition(account, "invoice", "url")
    customers_holding(account, "invoice", *[f"https://x.example/{i}" for i in range(14)])
    customers_holding(account, "invoice", "https://x.example/1", "https://x.example/2")

    distribution = definition_distribution(definition=url)
    shown = distribution_display(distribution, PropertyType.URL, key="invoice")

    assert distribution.distinct == 14
    assert [(b.label, b.count) for b in shown.bars] == [
        ("https://x.example/1", 2),
        ("https://x.example/2", 2),
    ]
    assert (shown.repeats_only, shown.mostly_unique) == (True, False)
    assert shown.other == 16 - 4  # the customers of every value not shown


def test_values_that_never_repeat_are_mostly_unique_with_no_bars(account):
    code = make_definition(account, "code", "text")
    customers_holding(account, "code", *[f"REF-{i}" for i in range(25)])

    shown = distribution_display(definition_distribution(definition=code), PropertyType.TEXT)

    assert shown.bars == []
    assert (shown.distinct, shown.total, shown.mostly_unique) == (25, 25, True)
    assert chart_of(shown) is None


def test_values_nearly_all_different_are_mostly_unique_with_their_repeats_shown():
    top = Distribution(
        kind="top",
        bars=[Bar("a", 2, 1.0), *[Bar(f"v{i}", 1, 0.5) for i in range(9)]],
        total=100,
        distinct=99,
    )

    shown = distribution_display(top, PropertyType.TEXT)

    assert ([b.label for b in shown.bars], shown.mostly_unique) == (["a"], True)


def test_collection_items_held_once_are_dropped_when_more_items_exist():
    items = Distribution(
        kind="top",
        bars=[Bar("golf", 3, 1.0), *[Bar(f"i{n}", 1, 0.3) for n in range(9)]],
        total=5,
        other_items=4,
        distinct=14,
    )

    shown = distribution_display(items, PropertyType.COLLECTION)

    assert [b.label for b in shown.bars] == ["golf"]
    assert (shown.other_items, shown.other, shown.mostly_unique) == (13, 0, False)


# --- Links to the customers a bar counts


def test_top_bars_link_to_the_customers_holding_the_value(account):
    plan = make_definition(account, "plan", "text")
    customers_holding(account, "plan", "gold & co", "gold & co", "silver")

    shown = distribution_display(
        definition_distribution(definition=plan), PropertyType.TEXT, key="plan"
    )

    assert shown.bars[0].url == "/customers/?plan__eq=gold+%26+co"
    assert [customers_behind(account, b.url) for b in shown.bars] == [2, 1]


def test_boolean_and_collection_bars_link_to_their_customers(account):
    vip = make_definition(account, "vip", "boolean")
    interests = make_definition(account, "interests", "collection")
    customers_holding(account, "vip", True, False, False)
    customers_holding(account, "interests", ["golf", "chess"], ["golf"])

    flags = distribution_display(
        definition_distribution(definition=vip), PropertyType.BOOLEAN, key="vip"
    )
    items = distribution_display(
        definition_distribution(definition=interests), PropertyType.COLLECTION, key="interests"
    )

    assert [(b.label, customers_behind(account, b.url)) for b in flags.bars] == [
        ("false", 2),
        ("true", 1),
    ]
    assert [(b.label, customers_behind(account, b.url)) for b in items.bars] == [
        ("golf", 2),
        ("chess", 1),
    ]


def test_json_bars_and_bars_without_a_key_link_nowhere():
    data = Distribution(kind="top", bars=[Bar({"a": 1}, 2, 1.0)], total=2, distinct=1)
    plans = Distribution(kind="top", bars=[Bar("gold", 2, 1.0)], total=2, distinct=1)

    assert distribution_display(data, PropertyType.JSON, key="prefs").bars[0].url == ""
    assert distribution_display(plans, PropertyType.TEXT).bars[0].url == ""


@pytest.mark.parametrize(
    ("type_", "values"),
    [
        ("integer", [0, 1, 1, 7, 19, 19, 20, 3, 12]),
        ("number", [round(random.Random(3).uniform(0, 1) * n, 3) for n in range(1, 40)]),
        ("date", ["2026-01-01", "2026-01-01T07:31:12Z", "2026-03-09T23:59:59Z", "2026-02-02"]),
    ],
)
def test_each_bucket_links_to_exactly_the_customers_it_counts(account, type_, values):
    definition = make_definition(account, "measure", type_)
    customers_holding(account, "measure", *values)

    shown = distribution_display(
        definition_distribution(definition=definition),
        definition.property_type,
        key="measure",
    )

    assert sum(b.count for b in shown.bars) == len(values)
    held = [b for b in shown.bars if b.count]
    assert [customers_behind(account, b.url) for b in held] == [b.count for b in held]
    assert all(b.url == "" for b in shown.bars if not b.count)  # an empty bucket lists no one
    assert "measure__gte=" in shown.bars[0].url
    assert "measure__lt=" in shown.bars[0].url
    assert "measure__lte=" in shown.bars[-1].url


# --- The SVG


def test_an_empty_distribution_draws_no_chart():
    assert chart_of(distribution_display(Distribution(kind="top"), PropertyType.TEXT)) is None


def test_chart_rows_are_percentages_of_the_width_under_axis_titles():
    top = Distribution(kind="top", bars=[Bar("gold", 4, 1.0), Bar("silver", 1, 0.25)], total=5)

    chart = chart_of(distribution_display(top, PropertyType.TEXT, key="plan"), label="Plan")

    assert (chart.value_axis, chart.count_axis, chart.longest) == ("Plan", "Customers", 4)
    assert [(r.label, r.count, r.width) for r in chart.rows] == [
        ("gold", 4, f"{BAR_SPAN:.2f}%"),
        ("silver", 1, f"{BAR_SPAN / 4:.2f}%"),
    ]
    assert chart.rows[1].label_y - chart.rows[0].label_y == ROW_HEIGHT
    assert chart.rows[0].url == "/customers/?plan__eq=gold"
    assert chart.height > chart.axis_y > chart.rows[-1].bar_y


def test_histogram_axis_says_ranges_and_estimates_say_so():
    buckets = Distribution(
        kind="histogram", bars=[Bar(0, 3, 1.0, end=5), Bar(5, 0, 0.0, end=9)], total=3
    )
    items = Distribution(kind="top", bars=[Bar("golf", 9, 1.0)], total=9, estimated=True)

    chart = chart_of(distribution_display(buckets, PropertyType.INTEGER), label="Score")
    sampled = chart_of(distribution_display(items, PropertyType.COLLECTION), label="Interests")

    assert [r.label for r in chart.rows] == [f"0{DASH}4", f"5{DASH}9"]
    assert chart.rows[1].width == "0.40%"  # an empty bucket still shows where it is
    assert chart.value_axis == "Score (ranges)"
    assert sampled.count_axis == "Customers (estimated)"


def test_long_labels_are_cut_on_one_line_and_kept_whole_in_the_title():
    long = "https://cdn.example.com/" + "a" * 200
    top = Distribution(kind="top", bars=[Bar(long, 2, 1.0)], total=2, distinct=1)

    row = chart_of(distribution_display(top, PropertyType.URL)).rows[0]

    assert len(row.label) == 44
    assert row.label.endswith("\N{HORIZONTAL ELLIPSIS}")
    assert row.full_label == long
