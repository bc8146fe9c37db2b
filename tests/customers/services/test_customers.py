"""customers.services.customers: identify (creating where allowed), create, update, delete."""

import contextlib
import datetime
import uuid

import pytest

from customers import statements
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


OLD = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)


def test_identify_without_create_names_the_identifier_in_its_refusal(account):
    with pytest.raises(CustomerNotFound) as refused:
        customer_identify(account=account, identifier=Identifier("user_id", "usr_9"), create=False)

    assert refused.value.message == "No customer with user_id usr_9 in this account."
    assert not Customer.objects.exists()


def test_identify_keeps_the_row_another_writer_inserted_first(account, monkeypatch):
    ann = make_customer(account, "ann@example.com")
    real = statements.customer_by
    calls = []

    def customer_by(*args):
        # The first lookup misses, as if another writer inserted the row just after it.
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(statements, "customer_by", customer_by)

    found = customer_identify(
        account=account, identifier=Identifier("email", "ann@example.com"), create=True
    )

    assert found.pk == ann.pk
    assert Customer.objects.count() == 1


def test_create_refusals_say_why(account):
    make_customer(account, user_id="usr_1")

    with pytest.raises(Conflict) as refused:
        customer_create(account=account, identifier=Identifier("user_id", "usr_1"))
    with pytest.raises(ValueError, match="customers are not created by customer_id"):
        customer_create(account=account, identifier=Identifier("customer_id", 1))

    assert refused.value.message == "A customer with user_id usr_1 already exists."
    assert refused.value.details == {"user_id": "usr_1"}
    assert Customer.objects.count() == 1


def test_update_accepts_text_exactly_as_long_as_its_column_and_refuses_nul(account):
    ann = make_customer(account, "ann@example.com")

    customer_update(customer=ann, fields={"first_name": "a" * 150})
    with pytest.raises(InvalidInput) as refused:
        customer_update(customer=ann, fields={"last_name": "a\x00b"})

    assert refused.value.message == ("last_name is at most 150 characters, without NUL characters.")
    ann.refresh_from_db()
    assert (ann.first_name, ann.last_name) == ("a" * 150, "")


def test_update_resending_a_stored_email_skips_its_check_and_changes_the_rest(account):
    # A stored address a newer check would refuse is kept when sent again unchanged.
    ann = make_customer(account, "ann@example.com")
    Customer.objects.filter(pk=ann.pk).update(email="legacy@bad_domain")
    ann.refresh_from_db()

    customer_update(customer=ann, fields={"email": "  Legacy@Bad_Domain ", "first_name": "Ann"})

    ann.refresh_from_db()
    assert (ann.email, ann.first_name) == ("legacy@bad_domain", "Ann")


def test_update_reads_an_identifier_sent_as_a_number(account):
    ann = make_customer(account, "ann@example.com", user_id="usr_1")

    customer_update(customer=ann, fields={"user_id": 42})

    ann.refresh_from_db()
    assert ann.user_id == "42"


def test_update_refuses_a_created_at_that_is_not_a_datetime(account):
    ann = make_customer(account, "ann@example.com")

    with pytest.raises(ValueError, match=r"^created_at must be a datetime$"):
        customer_update(customer=ann, fields={"created_at": "2020-01-02"})

    assert Customer.objects.get(pk=ann.pk).created_at != datetime.datetime(2020, 1, 2)


def test_update_moves_updated_at_as_stored(account):
    ann = make_customer(account, "ann@example.com")
    Customer.objects.filter(pk=ann.pk).update(updated_at=OLD)
    ann.refresh_from_db()

    customer_update(customer=ann, fields={"first_name": "Ann"})

    stored = Customer.objects.get(pk=ann.pk)
    assert stored.updated_at > OLD
    assert ann.updated_at == stored.updated_at


def test_update_conflict_names_only_the_taken_identifier(account):
    make_customer(account, "ann@example.com")
    bob = make_customer(account, "bob@example.com")

    with pytest.raises(Conflict) as refused:
        customer_update(
            customer=bob,
            fields={"first_name": "Bob", "email": "ann@example.com", "user_id": "usr_2"},
        )

    assert refused.value.code == "identifier_taken"
    assert refused.value.message == (
        "Another customer in this account already has email ann@example.com, user_id usr_2."
    )
    bob.refresh_from_db()
    assert (bob.email, bob.first_name, bob.user_id) == ("bob@example.com", "", None)


def test_update_changes_a_user_id_that_differs_only_by_case(account):
    ann = make_customer(account, "ann@example.com", user_id="usr_a")

    customer_update(customer=ann, fields={"user_id": "USR_A"})

    ann.refresh_from_db()
    assert ann.user_id == "USR_A"
