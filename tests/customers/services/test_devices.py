"""Customers' push devices (Customer.io's add_device / delete_device), and suppression."""

import datetime

import pytest
from django.utils import timezone

from customers.errors import InvalidInput
from customers.models import Customer, Device
from customers.services.devices import (
    MAX_TOKEN_LENGTH,
    customer_device_delete,
    customer_device_set,
    device_token,
)
from customers.services.suppressions import customer_suppress, customer_unsuppress
from tests.factories import make_account, make_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(account):
    return make_customer(account, "ann@example.com")


def stored(account, token):
    return Device.objects.get(account=account, token=token)


# --- tokens


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("abc", "abc"), ("  padded  ", "padded"), (12345, "12345"), ("x" * MAX_TOKEN_LENGTH, None)],
)
def test_a_token_is_a_trimmed_string_or_a_whole_number(sent, kept):
    assert device_token(sent) == (kept if kept is not None else sent)


@pytest.mark.parametrize("sent", [None, True, False, "", "   ", "a\x00b", 1.5, ["a"], {"a": 1}])
def test_what_cannot_be_a_token_is_refused_naming_the_field(sent):
    with pytest.raises(InvalidInput) as refused:
        device_token(sent)

    assert refused.value.message == "A device's token (id) is a non-empty string."
    assert refused.value.details == {"field": "id"}


def test_a_token_longer_than_the_limit_is_refused():
    with pytest.raises(InvalidInput) as refused:
        device_token("x" * (MAX_TOKEN_LENGTH + 1))

    assert refused.value.message == f"A device's token is at most {MAX_TOKEN_LENGTH} characters."
    assert refused.value.details == {"field": "id"}


# --- add or update


def test_a_device_is_stored_with_everything_sent(account, ann):
    used = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    before = timezone.now()

    device = customer_device_set(
        account=account,
        customer=ann,
        token=" tok-1 ",
        platform=" IOS ",
        last_used_at=used,
        attributes={"app_version": "1.2"},
    )

    row = stored(account, "tok-1")
    assert (row.customer_id, row.platform, row.last_used_at) == (ann.pk, "ios", used)
    assert row.attributes == {"app_version": "1.2"}
    assert row.created_at >= before
    assert row.updated_at >= before
    assert device.token == "tok-1"
    assert device.platform == "ios"


def test_without_attributes_a_device_has_an_empty_object(account, ann):
    customer_device_set(account=account, customer=ann, token="t", platform="android")

    row = stored(account, "t")
    assert row.attributes == {}
    assert row.last_used_at is None


def test_setting_a_device_again_updates_it_in_place(account, ann):
    customer_device_set(account=account, customer=ann, token="t", platform="ios")
    first = stored(account, "t")
    used = timezone.now().replace(microsecond=0)

    customer_device_set(
        account=account,
        customer=ann,
        token="t",
        platform="android",
        last_used_at=used,
        attributes={"a": 1},
    )

    row = stored(account, "t")
    assert Device.objects.filter(account=account).count() == 1
    assert row.pk == first.pk
    assert row.created_at == first.created_at
    assert row.updated_at >= first.updated_at
    assert (row.platform, row.last_used_at, row.attributes) == ("android", used, {"a": 1})


def test_a_token_another_customer_held_moves_to_this_one(account, ann):
    bob = make_customer(account, "bob@example.com")
    customer_device_set(account=account, customer=bob, token="shared", platform="ios")

    customer_device_set(account=account, customer=ann, token="shared", platform="ios")

    assert stored(account, "shared").customer_id == ann.pk
    assert not bob.devices.exists()


def test_the_same_token_in_another_account_is_another_device(account, ann):
    other = make_account()
    theirs = make_customer(other, "ann@example.com")
    customer_device_set(account=other, customer=theirs, token="t", platform="ios")

    customer_device_set(account=account, customer=ann, token="t", platform="android")

    assert stored(other, "t").customer_id == theirs.pk
    assert stored(other, "t").platform == "ios"
    assert stored(account, "t").customer_id == ann.pk


@pytest.mark.parametrize("platform", [None, "", "web", "iOS phone", 1])
def test_an_unknown_platform_is_refused_and_nothing_stored(account, ann, platform):
    with pytest.raises(InvalidInput) as refused:
        customer_device_set(account=account, customer=ann, token="t", platform=platform)

    assert refused.value.message == "A device's platform is one of ios, android."
    assert refused.value.details == {"field": "platform"}
    assert not Device.objects.exists()


@pytest.mark.parametrize("attributes", [[1], "a", 3])
def test_attributes_that_are_not_an_object_are_refused(account, ann, attributes):
    with pytest.raises(InvalidInput) as refused:
        customer_device_set(
            account=account, customer=ann, token="t", platform="ios", attributes=attributes
        )

    assert refused.value.message == "A device's attributes are a JSON object."
    assert refused.value.details == {"field": "attributes"}
    assert not Device.objects.exists()


# --- delete


def test_deleting_removes_only_that_customers_device(account, ann):
    bob = make_customer(account, "bob@example.com")
    customer_device_set(account=account, customer=ann, token="a", platform="ios")
    customer_device_set(account=account, customer=bob, token="b", platform="ios")

    assert customer_device_delete(account=account, customer=ann, token=" a ") is True
    assert customer_device_delete(account=account, customer=ann, token="b") is False
    assert customer_device_delete(account=account, customer=ann, token="a") is False

    assert list(Device.objects.values_list("token", flat=True)) == ["b"]


def test_deleting_in_another_account_leaves_the_device(account, ann):
    customer_device_set(account=account, customer=ann, token="a", platform="ios")

    assert customer_device_delete(account=make_account(), customer=ann, token="a") is False
    assert Device.objects.filter(token="a").exists()


def test_deleting_a_malformed_token_is_refused(account, ann):
    with pytest.raises(InvalidInput):
        customer_device_delete(account=account, customer=ann, token="")


# --- suppression


def test_suppress_marks_the_customer_once_and_unsuppress_lifts_it(ann):
    before = timezone.now()

    returned = customer_suppress(customer=ann)

    row = Customer.objects.get(pk=ann.pk)
    assert returned is ann
    assert row.suppressed_at is not None
    assert row.suppressed_at >= before
    assert row.updated_at >= before
    assert ann.suppressed_at == row.suppressed_at
    since = row.suppressed_at

    customer_suppress(customer=Customer.objects.get(pk=ann.pk))
    assert Customer.objects.get(pk=ann.pk).suppressed_at == since  # the first time is kept

    lifted = customer_unsuppress(customer=ann)

    row = Customer.objects.get(pk=ann.pk)
    assert lifted is ann
    assert row.suppressed_at is None
    assert ann.suppressed_at is None
    assert row.updated_at >= since


def test_unsuppressing_a_customer_never_suppressed_changes_nothing(ann):
    updated = Customer.objects.get(pk=ann.pk).updated_at

    customer_unsuppress(customer=ann)

    row = Customer.objects.get(pk=ann.pk)
    assert (row.suppressed_at, row.updated_at) == (None, updated)


def test_suppression_touches_only_that_customer(account, ann):
    bob = make_customer(account, "bob@example.com")

    customer_suppress(customer=ann)

    assert Customer.objects.get(pk=bob.pk).suppressed_at is None
    customer_suppress(customer=bob)
    customer_unsuppress(customer=ann)
    assert Customer.objects.get(pk=bob.pk).suppressed_at is not None
