"""customers.services.tags: account-level tags ensured, a customer's tags added, removed, set."""

import pytest

from customers.errors import InvalidInput
from customers.models import Tag
from customers.services import (
    customer_tags_add,
    customer_tags_remove,
    customer_tags_set,
    tags_ensure,
)
from tests.factories import make_customer, make_tags


def tags_in(account) -> dict[str, str]:
    return dict(Tag.objects.filter(account=account).values_list("name", "color"))


def names_of(customer) -> list[str]:
    return sorted(customer.tags.values_list("name", flat=True))


def test_ensure_creates_missing_tags_trimmed_with_the_default_color_sorted_by_name(account):
    tags = tags_ensure(account=account, tags=[(" vip ", None), ("lead", "#ff0000")])

    assert [t.name for t in tags] == ["lead", "vip"]
    assert tags_in(account) == {"lead": "#ff0000", "vip": Tag.DEFAULT_COLOR}


def test_ensure_recolors_an_existing_tag_and_none_keeps_its_color(account):
    make_tags(account, "vip", "lead", color="#000000")

    tags_ensure(account=account, tags=[("vip", "#ffffff"), ("lead", None)])

    assert tags_in(account) == {"vip": "#ffffff", "lead": "#000000"}


def test_ensure_keeps_each_accounts_tags_apart(account, other_account):
    make_tags(other_account, "vip", color="#000000")

    tags_ensure(account=account, tags=[("vip", None)])

    assert tags_in(account) == {"vip": Tag.DEFAULT_COLOR}
    assert tags_in(other_account) == {"vip": "#000000"}


@pytest.mark.parametrize(
    ("name", "color"), [("", None), ("  ", None), (7, None), ("t" * 101, None), ("vip", "x" * 33)]
)
def test_ensure_refuses_a_bad_name_or_color_and_creates_nothing(account, name, color):
    with pytest.raises(InvalidInput):
        tags_ensure(account=account, tags=[("ok", None), (name, color)])

    assert not Tag.objects.exists()


def test_a_customers_tags_are_added_removed_and_replaced(account):
    ann = make_customer(account)
    lead, paid, vip = make_tags(account, "vip", "lead", "paid")  # returned by name

    customer_tags_add(customer=ann, tags=[vip, lead])
    added = names_of(ann)
    customer_tags_remove(customer=ann, names=["vip", "unknown"])
    removed = names_of(ann)
    customer_tags_set(customer=ann, tags=[paid])

    assert added == ["lead", "vip"]
    assert removed == ["lead"]
    assert names_of(ann) == ["paid"]
    assert sorted(tags_in(account)) == ["lead", "paid", "vip"]


def test_removing_never_touches_another_accounts_tag_of_the_same_name(account, other_account):
    ann = make_customer(account, tags=["vip"])
    bob = make_customer(other_account, tags=["vip"])

    customer_tags_remove(customer=ann, names=["vip"])

    assert names_of(ann) == []
    assert names_of(bob) == ["vip"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("  ", "A tag name is a non-empty string."),
        ("a" * 101, "A tag name is at most 100 characters, without NUL."),
        ("a\x00b", "A tag name is at most 100 characters, without NUL."),
    ],
)
def test_a_bad_tag_name_is_refused_saying_why(account, name, message):
    with pytest.raises(InvalidInput) as refused:
        tags_ensure(account=account, tags=[(name, None)])

    assert refused.value.message == message
    assert not Tag.objects.exists()


@pytest.mark.parametrize("color", ["#" + "1" * 32, "#1\x002"])
def test_a_bad_tag_color_is_refused_saying_why(account, color):
    with pytest.raises(InvalidInput) as refused:
        tags_ensure(account=account, tags=[("vip", color)])

    assert refused.value.message == f"Tag color {color!r} is not a CSS color such as #c377e0."
    assert not Tag.objects.exists()


def test_names_and_colors_exactly_at_their_limits_are_kept(account):
    tags_ensure(account=account, tags=[("a" * 100, "#" + "1" * 31)])

    assert tags_in(account) == {"a" * 100: "#" + "1" * 31}


def test_a_repeated_name_without_a_color_keeps_the_color_given_before(account):
    tags_ensure(account=account, tags=[("vip", "#111111"), ("vip", None)])

    assert tags_in(account) == {"vip": "#111111"}
