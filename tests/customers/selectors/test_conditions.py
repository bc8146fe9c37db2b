"""customers.selectors.conditions: customers meeting property conditions, in one query."""

import pytest

from customers.conditions import Condition, Operator
from customers.errors import InvalidInput, InvalidValue
from customers.models import Customer
from customers.selectors import customers_matching
from customers.services import PropertyWrite, definition_archive
from tests.factories import TESTS, make_customer, make_definition


@pytest.fixture
def people(account, other_account):
    make_customer(
        account,
        "ann@example.com",
        [
            PropertyWrite("plan", "Enterprise"),
            PropertyWrite("payments", 12, "integer"),
            PropertyWrite("trial_ends", "2026-06-01", "date"),
            PropertyWrite("interests", ["golf", "chess"], "collection"),
            PropertyWrite("vip", True, "boolean"),
        ],
    )
    make_customer(
        account,
        "bob@example.com",
        [PropertyWrite("plan", "free"), PropertyWrite("payments", 3)],
    )
    make_customer(account, "cat@example.com")
    make_customer(other_account, "dan@example.com", {"plan": "Enterprise"})


def matching(account, *conditions, match_any=False) -> list[str]:
    queryset = customers_matching(
        Customer.objects.filter(account=account),
        account=account,
        conditions=list(conditions),
        match_any=match_any,
    )
    return sorted(queryset.values_list("email", flat=True))


@pytest.mark.parametrize(
    ("condition", "found"),
    [
        (Condition("plan", Operator.EQUALS, "Enterprise"), ["ann@example.com"]),
        (
            Condition("plan", Operator.NOT_EQUALS, "Enterprise"),
            ["bob@example.com", "cat@example.com"],
        ),
        (Condition("plan", Operator.CONTAINS, "ENTER"), ["ann@example.com"]),
        (Condition("payments", Operator.GREATER, "3"), ["ann@example.com"]),
        (
            Condition("payments", Operator.GREATER_OR_EQUAL, "3"),
            ["ann@example.com", "bob@example.com"],
        ),
        (Condition("payments", Operator.LESS, "12"), ["bob@example.com"]),
        (
            Condition("payments", Operator.LESS_OR_EQUAL, "12"),
            ["ann@example.com", "bob@example.com"],
        ),
        (Condition("trial_ends", Operator.LESS, "2026-07-01"), ["ann@example.com"]),
        (Condition("trial_ends", Operator.GREATER, "2026-07-01"), []),
        (Condition("interests", Operator.CONTAINS, " golf "), ["ann@example.com"]),
        (Condition("interests", Operator.EQUALS, "go"), []),
        (Condition("vip", Operator.EQUALS, "true"), ["ann@example.com"]),
        (Condition("payments", Operator.IS_SET), ["ann@example.com", "bob@example.com"]),
        (Condition("payments", Operator.IS_NOT_SET), ["cat@example.com"]),
    ],
)
def test_each_operator_finds_the_customers_meeting_it(account, people, condition, found):
    assert matching(account, condition) == found


def test_conditions_all_apply_or_any_with_match_any(account, people):
    pro = Condition("plan", Operator.EQUALS, "Enterprise")
    few = Condition("payments", Operator.LESS, "5")

    assert matching(account, pro, few) == []
    assert matching(account, pro, few, match_any=True) == ["ann@example.com", "bob@example.com"]


def test_no_conditions_leaves_the_queryset_as_it_is(account, people):
    assert matching(account) == ["ann@example.com", "bob@example.com", "cat@example.com"]


@pytest.mark.parametrize(
    ("key", "code"),
    [("nope", "unknown_filter"), ("secret", "unknown_filter"), ("old", "archived_filter")],
)
def test_an_unknown_another_accounts_or_archived_key_is_refused(
    account, other_account, people, key, code
):
    make_definition(other_account, "secret")
    definition_archive(definition=make_definition(account, "old"), actor=TESTS)

    with pytest.raises(InvalidInput) as refused:
        matching(account, Condition(key, Operator.EQUALS, "x"))

    assert (refused.value.code, refused.value.details) == (code, {"key": key})


@pytest.mark.parametrize(
    ("condition", "error"),
    [
        (Condition("plan", Operator.GREATER, "a"), InvalidInput),
        (Condition("payments", Operator.CONTAINS, "1"), InvalidInput),
        (Condition("payments", Operator.EQUALS, "many"), InvalidValue),
        (Condition("plan", Operator.CONTAINS, "a\x00"), InvalidInput),
    ],
)
def test_a_condition_its_type_cannot_answer_is_refused(account, people, condition, error):
    with pytest.raises(error):
        matching(account, condition)
