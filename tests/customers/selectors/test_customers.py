"""customers.selectors.customers: filtered, with values and tags, in pages and batches."""

import pytest

from customers.conditions import Condition, Operator
from customers.errors import CustomerNotFound
from customers.models import Customer
from customers.selectors import (
    customer_get,
    customers_exist,
    customers_filtered,
    customers_in_batches,
    customers_page,
    customers_with_values,
    tags_of_account,
)
from customers.services import definition_archive
from customers.values import PropertyType
from tests.factories import TESTS, make_customer, make_definition, make_tags


@pytest.fixture
def people(account, other_account):
    """Ann (pro, vip), Bob (free, vip and lead), Cat (no plan); Dan in another account."""
    return {
        "ann": make_customer(
            account, "ann@example.com", {"plan": "pro"}, ["vip"], first_name="Ann"
        ),
        "bob": make_customer(
            account, "bob@example.com", {"plan": "free"}, ["vip", "lead"], company="Initech"
        ),
        "cat": make_customer(account, "cat@example.com", user_id="usr_cat"),
        "dan": make_customer(other_account, "dan@example.com", {"plan": "pro"}, ["vip"]),
    }


def emails(customers) -> list[str]:
    return [c.email for c in customers]


def test_filtered_lists_the_accounts_customers_newest_first(account, people):
    assert emails(customers_filtered(account=account)) == [
        "cat@example.com",
        "bob@example.com",
        "ann@example.com",
    ]


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({"identifiers": {"user_id": "usr_cat"}}, ["cat@example.com"]),
        ({"tags": ["vip"]}, ["bob@example.com", "ann@example.com"]),
        ({"tags": ["vip", "lead"]}, ["bob@example.com"]),
        ({"search": "INITECH"}, ["bob@example.com"]),
        ({"search": "ann"}, ["ann@example.com"]),
        ({"conditions": [Condition("plan", Operator.EQUALS, "pro")]}, ["ann@example.com"]),
        (
            {"tags": ["vip"], "conditions": [Condition("plan", Operator.NOT_EQUALS, "pro")]},
            ["bob@example.com"],
        ),
    ],
)
def test_filtered_narrows_by_identifiers_tags_search_and_conditions(
    account, people, filters, found
):
    assert emails(customers_filtered(account=account, **filters)) == found


def test_with_values_attaches_active_values_and_tags_by_name(account, people):
    old = make_definition(account, "old")
    make_customer(account, "bob@example.com", {"old": "x", "seats": 3})
    definition_archive(definition=old, actor=TESTS)
    page = list(Customer.objects.filter(account=account).order_by("email"))

    customers_with_values(page)

    assert [c.property_values for c in page] == [
        {"plan": (PropertyType.TEXT, "pro")},
        {"plan": (PropertyType.TEXT, "free"), "seats": (PropertyType.NUMBER, 3.0)},
        {},
    ]
    assert [[t.name for t in c.tag_list] for c in page] == [["vip"], ["lead", "vip"], []]


def test_with_values_of_no_customers_is_empty(db):
    assert customers_with_values([]) == []


def test_pages_follow_each_other_both_ways_by_keyset(account):
    for n in range(5):
        make_customer(account, f"c{n}@example.com", {"n": n})
    queryset = customers_filtered(account=account)

    first = customers_page(queryset, size=2)
    second = customers_page(queryset, size=2, after=first.next_after)
    last = customers_page(queryset, size=2, after=second.next_after)
    back = customers_page(queryset, size=2, before=last.previous_before)

    assert emails(first.customers) == ["c4@example.com", "c3@example.com"]
    assert (first.has_previous, first.has_next, first.previous_before) == (False, True, None)
    assert emails(second.customers) == ["c2@example.com", "c1@example.com"]
    assert emails(last.customers) == ["c0@example.com"]
    assert (last.has_next, last.next_after) == (False, None)
    assert emails(back.customers) == emails(second.customers)
    assert back.has_previous
    assert second.customers[0].property_values == {"n": (PropertyType.NUMBER, 2.0)}


def test_batches_yield_every_customer_once_newest_first_with_values(account):
    for n in range(5):
        make_customer(account, f"c{n}@example.com", {"n": n})

    batches = list(customers_in_batches(customers_filtered(account=account), batch_size=2))

    assert [emails(batch) for batch in batches] == [
        ["c4@example.com", "c3@example.com"],
        ["c2@example.com", "c1@example.com"],
        ["c0@example.com"],
    ]
    assert batches[2][0].property_values == {"n": (PropertyType.NUMBER, 0.0)}


def test_one_customer_is_found_with_tags_only_in_its_account(account, people):
    ann = customer_get(account=account, customer_id=people["ann"].pk)

    assert [t.name for t in ann.tags.all()] == ["vip"]
    with pytest.raises(CustomerNotFound):
        customer_get(account=account, customer_id=people["dan"].pk)


def test_existence_and_tags_are_per_account(account, other_account, db):
    assert customers_exist(account=account) is False
    make_customer(account, tags=["vip", "lead"])
    make_tags(other_account, "globex")

    assert customers_exist(account=account) is True
    assert [t.name for t in tags_of_account(account=account)] == ["lead", "vip"]
