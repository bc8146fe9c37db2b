"""customers.conditions.syntax: property conditions read from a query string."""

import pytest

from customers.conditions import Condition, Operator
from customers.conditions.syntax import conditions_from_query_string

RESERVED = frozenset({"limit", "email"})


def read(query_string: str):
    return conditions_from_query_string(query_string, reserved=RESERVED)


@pytest.mark.parametrize(
    ("query_string", "condition"),
    [
        ("plan_tier=enterprise", Condition("plan_tier", Operator.EQUALS, "enterprise")),
        ("plan_tier!=free", Condition("plan_tier", Operator.NOT_EQUALS, "free")),
        ("payments>=10", Condition("payments", Operator.GREATER_OR_EQUAL, "10")),
        ("payments<=10", Condition("payments", Operator.LESS_OR_EQUAL, "10")),
        ("payments>10", Condition("payments", Operator.GREATER, "10")),
        ("payments<10", Condition("payments", Operator.LESS, "10")),
        ("trial_ends__lt=2026-01-01", Condition("trial_ends", Operator.LESS, "2026-01-01")),
        ("bio__contains=golf", Condition("bio", Operator.CONTAINS, "golf")),
        ("note__eq=a%3Db", Condition("note", Operator.EQUALS, "a=b")),
        ("city=New+York", Condition("city", Operator.EQUALS, "New York")),
    ],
)
def test_each_symbol_and_suffix_reads_as_its_operator(query_string, condition):
    assert read(query_string) == ([condition], [])


@pytest.mark.parametrize(
    ("query_string", "operator"),
    [
        ("nickname__set=true", Operator.IS_SET),
        ("nickname__set=1", Operator.IS_SET),
        ("nickname__set=", Operator.IS_SET),
        ("nickname__set=FALSE", Operator.IS_NOT_SET),
        ("nickname__set=0", Operator.IS_NOT_SET),
        ("nickname__not_set=true", Operator.IS_NOT_SET),
        ("nickname__not_set=false", Operator.IS_SET),
    ],
)
def test_set_and_not_set_read_as_written_or_turned_by_false(query_string, operator):
    assert read(query_string) == ([Condition("nickname", operator, "")], [])


def test_reserved_parameters_and_empty_terms_are_skipped_but_not_their_comparisons():
    conditions, errors = read("limit=10&&email=a@example.com&plan=pro&limit>5")

    assert conditions == [
        Condition("plan", Operator.EQUALS, "pro"),
        Condition("limit", Operator.GREATER, "5"),
    ]
    assert errors == []


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("justakey", "is not a filter"),
        ("=value", "is not a filter"),
        ("%3E=x", "is not a filter"),
        ("plan__like=x", "unknown operator"),
        ("plan__gt>=x", "unknown operator"),
        ("nickname__set=maybe", "__set=true or __set=false"),
    ],
)
def test_unreadable_terms_are_reported_and_the_rest_still_read(term, says):
    conditions, errors = read(f"{term}&plan=pro")

    assert conditions == [Condition("plan", Operator.EQUALS, "pro")]
    assert len(errors) == 1
    assert says in errors[0]
