"""customers.services.customers: identify (creating where allowed), create, update, delete."""

import contextlib
import datetime
import uuid

import pytest

from customers.errors import Conflict, CustomerNotFound, InvalidIdentifier, InvalidInput
from customers.identifiers import Identifier
from customers.models import Customer, PropertyValue
from customers.services import (
    PropertyWrite,
    customer_create,
    customer_delete,
    customer_identify,
    customer_properties_set,
    customer_update,
)
from tests.concurrency import WRITERS, run_concurrently
from tests.factories import make_customer


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("email", "ann@example.com", "email"),
        ("user_id", "usr_1", "user_id"),
        ("visitor_id", "v-1", "visitor_id"),
    ],
)
def test_identify_creates_a_customer_by_a_creating_identifier(account, kind, value, field):
    customer = customer_identify(account=account, identifier=Identifier(kind, value), create=True)

    assert getattr(Customer.objects.get(pk=customer.pk, account=account), field) == value


def test_identify_returns_the_existing_customer_without_creating_another(account):
    ann = make_customer(account, "ann@example.com")

    found = customer_identify(
        account=account, identifier=Identifier("email", "ann@example.com"), create=True
    )

    assert found.pk == ann.pk
    assert Customer.objects.count() == 1


def test_identify_without_create_refuses_an_unknown_customer(account):
    with pytest.raises(CustomerNotFound) as refused:
        customer_identify(
            account=account, identifier=Identifier("email", "ann@example.com"), create=False
        )

    assert refused.value.details == {"email": "ann@example.com"}
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("customer_id", 999_999),
        ("customer_uuid", uuid.UUID("9b2f3c1a-4e5d-6f7a-8b9c-0d1e2f3a4b5c")),
    ],
)
def test_identify_never_creates_by_an_internal_identifier(account, kind, value):
    with pytest.raises(CustomerNotFound):
        customer_identify(account=account, identifier=Identifier(kind, value), create=True)

    assert not Customer.objects.exists()


def test_identify_never_finds_another_accounts_customer(account, other_account):
    theirs = make_customer(other_account, "ann@example.com")

    with pytest.raises(CustomerNotFound):
        customer_identify(
            account=account, identifier=Identifier("customer_id", theirs.pk), create=True
        )
    ours = customer_identify(
        account=account, identifier=Identifier("email", "ann@example.com"), create=True
    )

    assert ours.pk != theirs.pk
    assert Customer.objects.filter(email="ann@example.com").count() == 2


def test_create_refuses_an_identifier_the_account_already_has(account):
    make_customer(account, user_id="usr_1")

    with pytest.raises(Conflict) as refused:
        customer_create(account=account, identifier=Identifier("user_id", "usr_1"))

    assert refused.value.code == "identifier_taken"
    assert Customer.objects.count() == 1


def test_update_normalizes_identifiers_and_stores_contact_fields(account):
    ann = make_customer(account, "ann@example.com")

    customer_update(
        customer=ann,
        fields={"email": "  Ann.New@Example.COM ", "first_name": "Ann", "company": None},
    )

    ann.refresh_from_db()
    assert (ann.email, ann.first_name, ann.company) == ("ann.new@example.com", "Ann", "")


def test_update_clears_an_identifier_to_null(account):
    ann = make_customer(account, "ann@example.com", user_id="usr_1")

    customer_update(customer=ann, fields={"user_id": ""})

    ann.refresh_from_db()
    assert ann.user_id is None


def test_update_refuses_an_identifier_another_customer_has_and_changes_nothing(account):
    make_customer(account, "ann@example.com")
    bob = make_customer(account, "bob@example.com")

    with pytest.raises(Conflict) as refused:
        customer_update(customer=bob, fields={"email": "ann@example.com", "first_name": "Bob"})

    assert refused.value.details == {"email": "ann@example.com"}
    bob.refresh_from_db()
    assert (bob.email, bob.first_name) == ("bob@example.com", "")


def test_update_refuses_an_invalid_identifier(account):
    ann = make_customer(account, "ann@example.com")

    with pytest.raises(InvalidIdentifier):
        customer_update(customer=ann, fields={"phone": "0155 555"})

    ann.refresh_from_db()
    assert ann.phone is None


def test_update_refuses_text_longer_than_its_column(account):
    ann = make_customer(account, "ann@example.com")

    with pytest.raises(InvalidInput) as refused:
        customer_update(customer=ann, fields={"first_name": "a" * 151})

    assert refused.value.details == {"field": "first_name"}
    ann.refresh_from_db()
    assert ann.first_name == ""


def test_update_sets_created_at_and_refuses_a_field_it_does_not_update(account):
    ann = make_customer(account, "ann@example.com")
    moment = datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC)

    customer_update(customer=ann, fields={"created_at": moment})
    with pytest.raises(ValueError, match="uuid"):
        customer_update(customer=ann, fields={"uuid": "x"})

    ann.refresh_from_db()
    assert ann.created_at == moment


def test_delete_removes_the_customer_with_its_values_only(account):
    ann = make_customer(account, "ann@example.com", {"plan": "pro"})
    bob = make_customer(account, "bob@example.com", {"plan": "free"})

    customer_delete(customer=ann)

    assert list(Customer.objects.values_list("pk", flat=True)) == [bob.pk]
    assert list(PropertyValue.objects.values_list("customer_id", flat=True)) == [bob.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_for_one_new_customer_make_one_customer(account):
    def write(n):
        customer = customer_identify(
            account=account, identifier=Identifier("user_id", "usr_same"), create=True
        )
        customer_properties_set(
            account=account, customer=customer, writes=[PropertyWrite(f"key_{n}", n)]
        )

    errors = run_concurrently(write)

    assert errors == []
    customer = Customer.objects.get(user_id="usr_same")
    assert customer.values.count() == WRITERS


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_of_one_identifier_make_one_customer_and_conflicts(account):
    created = []

    def create(n):
        with contextlib.suppress(Conflict):
            created.append(
                customer_create(account=account, identifier=Identifier("user_id", "usr_once"))
            )

    errors = run_concurrently(create)

    assert errors == []
    assert len(created) == 1
    assert Customer.objects.filter(user_id="usr_once").count() == 1
