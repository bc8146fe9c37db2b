"""customers.selectors.definitions: one definition, lists with counts and fill rates, keys."""

import pytest

from customers.errors import DefinitionNotFound
from customers.selectors import (
    active_definition_keys,
    attribute_detail,
    attribute_list,
    definition_customer_count,
    definition_get,
    definition_labels,
    definitions_active,
    definitions_with_counts,
)
from customers.services import definition_archive
from tests.factories import TESTS, make_customer, make_definition


@pytest.fixture
def catalogue(account, other_account):
    """Four customers: three hold plan_tier, one holds score and the archived old_plan.

    Another account has a definition of its own, with a value.
    """
    plan = make_definition(account, "plan_tier", label="Subscription", description="Billing plan")
    make_definition(account, "score", "number", label="NPS")
    old = make_definition(account, "old_plan", label="Old plan")
    for tier in ("gold", "silver", "gold"):
        make_customer(account, properties={"plan_tier": tier})
    make_customer(account, properties={"score": 9, "old_plan": "x"})
    definition_archive(definition=old, actor=TESTS)
    make_customer(other_account, properties={"secret": "s"})
    return plan


def keys(definitions) -> list[str]:
    return [d.key for d in definitions]


def test_get_returns_an_archived_definition_too_but_never_another_accounts(account, catalogue):
    assert definition_get(account=account, key="old_plan").is_archived
    assert definition_get(account=account, key="plan_tier").pk == catalogue.pk
    with pytest.raises(DefinitionNotFound):
        definition_get(account=account, key="secret")


def test_with_counts_lists_each_status_by_key_with_customer_counts(account, catalogue):
    def counted(status):
        return [
            (d.key, d.customer_count)
            for d in definitions_with_counts(account=account, status=status)
        ]

    assert counted("active") == [("plan_tier", 3), ("score", 1)]
    assert counted("archived") == [("old_plan", 1)]
    assert counted("all") == [("old_plan", 1), ("plan_tier", 3), ("score", 1)]


def test_active_definitions_keys_and_labels(account, catalogue):
    assert keys(definitions_active(account=account)) == ["plan_tier", "score"]
    assert definition_labels(account=account) == {
        "plan_tier": "Subscription",
        "score": "NPS",
        "old_plan": "Old plan",
    }
    assert active_definition_keys(
        account=account, keys={"plan_tier", "old_plan", "secret", "nope"}
    ) == {"plan_tier"}
    assert definition_customer_count(definition=catalogue) == 3


def test_attribute_list_sorts_by_label_with_customer_counts_and_tab_counts(account, catalogue):
    listed = attribute_list(account=account)

    assert keys(listed.definitions) == ["score", "plan_tier"]  # NPS, Subscription
    assert [d.customer_count for d in listed.definitions] == [1, 3]
    assert (listed.customer_total, listed.active_count, listed.archived_count) == (4, 2, 1)
    assert listed.tab_count == 2


@pytest.mark.parametrize(
    ("q", "found"),
    [("billing", ["plan_tier"]), ("SCO", ["score"]), ("nps", ["score"]), ("zzz", [])],
)
def test_attribute_list_matches_label_key_or_description_ignoring_case(
    account, catalogue, q, found
):
    assert keys(attribute_list(account=account, q=f"  {q} ").definitions) == found


@pytest.mark.parametrize(
    ("sort", "dir", "order", "read_as"),
    [
        ("customers", "desc", ["plan_tier", "score"], ("customers", "desc")),
        ("customers", "asc", ["score", "plan_tier"], ("customers", "asc")),
        ("type", "asc", ["score", "plan_tier"], ("type", "asc")),  # Number before Text
        ("key", "desc", ["score", "plan_tier"], ("key", "desc")),
        ("bogus", "sideways", ["score", "plan_tier"], ("label", "asc")),
    ],
)
def test_attribute_list_sorts_by_the_column_asked_or_the_label(
    account, catalogue, sort, dir, order, read_as
):
    listed = attribute_list(account=account, sort=sort, dir=dir)

    assert keys(listed.definitions) == order
    assert (listed.sort, listed.dir) == read_as


def test_attribute_list_archived_tab_and_unknown_status(account, catalogue):
    archived = attribute_list(account=account, status="archived")
    unknown = attribute_list(account=account, status="deleted")

    assert (keys(archived.definitions), archived.tab_count) == (["old_plan"], 1)
    assert (unknown.status, keys(unknown.definitions)) == ("active", ["score", "plan_tier"])


def test_attribute_detail_counts_customers_holding_it_and_all(account, catalogue):
    definition, total = attribute_detail(account=account, key="plan_tier")

    assert (definition.customer_count, total) == (3, 4)
    with pytest.raises(DefinitionNotFound):
        attribute_detail(account=account, key="secret")


def test_detail_of_an_account_without_customers_counts_zero(account):
    make_definition(account, "plan")

    definition, total = attribute_detail(account=account, key="plan")

    assert (total, definition.customer_count) == (0, 0)
