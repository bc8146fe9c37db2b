"""customers.selectors.values: one customer's values, and one definition's as a chart."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection

from customers.models import PropertyValue
from customers.selectors import (
    Bar,
    customer_held_values,
    customer_values,
    definition_distribution,
    definition_distribution_cached,
)
from customers.selectors import values as value_reads
from customers.services import PropertyWrite, definition_archive
from customers.values import PropertyType
from tests.factories import TESTS, customers_holding, make_customer, make_definition

TYPED = [
    PropertyWrite("active", True, "boolean"),
    PropertyWrite("homepage", "https://ada.example.com", "url"),
    PropertyWrite("interests", ["golf", "chess"], "collection"),
    PropertyWrite("ltv", 15.5, "number"),
    PropertyWrite("payments", 12, "integer"),
    PropertyWrite("plan_tier", "enterprise", "text"),
    PropertyWrite("trial_ends", "2026-06-01T10:30:00Z", "date"),
]


def bars(distribution) -> list[tuple[object, int]]:
    return [(bar.value, bar.count) for bar in distribution.bars]


def buckets(distribution) -> list[tuple[object, object, int]]:
    return [(bar.value, bar.end, bar.count) for bar in distribution.bars]


def test_held_values_are_the_active_values_by_key_as_the_orm_reads_them(account):
    old = make_definition(account, "old")
    ada = make_customer(account, properties=[*TYPED, PropertyWrite("old", "x")])
    make_customer(account, properties={"plan_tier": "free"})
    definition_archive(definition=old, actor=TESTS)

    held = customer_held_values(customer=ada)

    orm = {
        v.definition.key: (v.definition.type, v.stored, v.updated_at)
        for v in PropertyValue.objects.filter(customer=ada).select_related("definition")
    }
    assert [h.key for h in held] == [w.key for w in TYPED]
    assert {h.key: (h.type, h.stored, h.updated_at) for h in held} == {
        key: (PropertyType(type_), stored, updated_at)
        for key, (type_, stored, updated_at) in orm.items()
        if key != "old"
    }
    assert held[-1].stored == datetime.datetime(2026, 6, 1, 10, 30, tzinfo=datetime.UTC)
    assert all(isinstance(h.type, PropertyType) for h in held)


def test_customer_values_are_model_rows_of_active_definitions_by_key(account):
    old = make_definition(account, "old")
    ada = make_customer(account, properties={"plan": "pro", "age": 42, "old": "x"})
    make_customer(account, properties={"plan": "free"})
    definition_archive(definition=old, actor=TESTS)

    rows = customer_values(customer=ada)

    assert [(row.definition.key, row.stored) for row in rows] == [("age", 42.0), ("plan", "pro")]


def test_text_distribution_counts_the_top_values_and_the_rest(account, monkeypatch):
    monkeypatch.setattr(value_reads, "TOP_VALUES", 2)
    plan = make_definition(account, "plan")
    customers_holding(account, "plan", "gold", "gold", "silver", "silver", "silver", "bronze")

    chart = definition_distribution(definition=plan)

    assert chart.kind == "top"
    assert chart.bars == [Bar("silver", 3, 1.0), Bar("gold", 2, 2 / 3)]
    assert (chart.total, chart.other) == (6, 1)


def test_boolean_distribution_counts_true_and_false_as_booleans(account):
    vip = make_definition(account, "vip", "boolean")
    customers_holding(account, "vip", True, True, False)

    counted = bars(definition_distribution(definition=vip))

    assert counted == [(True, 2), (False, 1)]
    assert all(type(value) is bool for value, _ in counted)


def test_json_distribution_counts_the_values_as_data(account):
    address = make_definition(account, "address", "json")
    customers_holding(account, "address", {"city": "Berlin"}, {"city": "Berlin"}, [1, 2])

    assert bars(definition_distribution(definition=address)) == [
        ({"city": "Berlin"}, 2),
        ([1, 2], 1),
    ]


def test_collection_distribution_counts_customers_per_item(account, monkeypatch):
    interests = make_definition(account, "interests", "collection")
    customers_holding(account, "interests", ["golf", "chess"], ["golf"], ["golf", "golf"], ["go"])

    chart = definition_distribution(definition=interests)
    monkeypatch.setattr(value_reads, "TOP_VALUES", 1)
    top_one = definition_distribution(definition=interests)

    assert bars(chart) == [("golf", 3), ("chess", 1), ("go", 1)]
    assert (chart.total, chart.other_items) == (4, 0)
    assert (bars(top_one), top_one.other_items) == ([("golf", 3)], 2)


def test_integer_distribution_is_a_histogram_of_whole_number_buckets(account):
    score = make_definition(account, "score", "integer")
    customers_holding(account, "score", 0, 1, 1, 19)

    chart = definition_distribution(definition=score)

    assert chart.kind == "histogram"
    assert chart.total == 4
    assert buckets(chart)[0] == (0, 2, 3)
    assert buckets(chart)[-1] == (18, 19, 1)
    assert len(chart.bars) == 10
    assert sum(count for _, count in bars(chart)) == 4


def test_number_distribution_of_one_value_is_one_bar(account):
    ltv = make_definition(account, "ltv", "number")
    customers_holding(account, "ltv", 2.5, 2.5)

    assert buckets(definition_distribution(definition=ltv)) == [(2.5, 2.5, 2)]


def test_date_distribution_is_a_histogram_from_the_first_to_the_last_moment(account):
    signup = make_definition(account, "signup", "date")
    customers_holding(account, "signup", "2026-01-01", "2026-01-11", "2026-01-11")

    chart = definition_distribution(definition=signup)

    day = datetime.timedelta(days=1)
    first = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    assert buckets(chart)[0] == (first, first + day, 1)
    assert buckets(chart)[-1] == (first + 9 * day, first + 10 * day, 2)


@pytest.mark.parametrize(("type", "kind"), [("text", "top"), ("number", "histogram")])
def test_a_definition_without_values_has_an_empty_chart(account, type, kind):
    definition = make_definition(account, "empty", type)

    chart = definition_distribution(definition=definition)

    assert (chart.kind, chart.is_empty, chart.total) == (kind, True, 0)


def test_collection_distribution_of_many_holders_is_an_estimate_on_postgresql(account, monkeypatch):
    monkeypatch.setattr(value_reads, "ITEMS_EXACT_MAX", 2)
    interests = make_definition(account, "interests", "collection")
    customers_holding(account, "interests", ["golf", "chess"], ["golf"], ["golf", "golf"], ["go"])

    chart = definition_distribution(definition=interests)

    # A sample of every page (the values are few) scales by one: the counts are exact.
    assert bars(chart) == [("golf", 3), ("chess", 1), ("go", 1)]
    assert chart.total == 4
    assert chart.estimated is (connection.vendor == "postgresql")


def test_distributions_are_kept_until_a_value_is_added_or_removed(account):
    cache.clear()
    plan = make_definition(account, "plan")
    ann, _ = customers_holding(account, "plan", "gold", "silver")

    first = definition_distribution_cached(definition=plan, customer_count=2)
    make_customer(account, email=ann.email, properties={"plan": "silver"})
    kept = definition_distribution_cached(definition=plan, customer_count=2)
    customers_holding(account, "plan", "bronze")
    fresh = definition_distribution_cached(definition=plan, customer_count=3)

    assert bars(first) == bars(kept) == [("gold", 1), ("silver", 1)]
    assert bars(fresh) == [("silver", 2), ("bronze", 1)]
