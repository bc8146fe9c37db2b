"""Lenient profile writes (Customer.io) and merges of two customers, at the service."""

import pytest
from django.utils import timezone

from customers.identifiers import Identifier
from customers.models import AuditAction, AuditEntry, Customer, DataIssue
from customers.services import Actor, PropertyWrite
from customers.services.lenient import customer_profile_save_lenient
from customers.services.merges import customer_profile_merge
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def lenient(account, identifier, **options):
    return customer_profile_save_lenient(
        account=account, identifier=identifier, door="customerio", **options
    )


def test_a_lenient_write_creates_the_customer_by_default(account):
    customer, refused = lenient(account, Identifier("user_id", "new-1"))

    assert refused == []
    assert Customer.objects.get(account=account, user_id="new-1").pk == customer.pk


def test_contact_fields_and_every_identifier_sent_are_stored(account):
    customer, refused = lenient(
        account,
        Identifier("user_id", "u-1"),
        fields={"first_name": "Ann", "company": "Acme", "user_id": "u-1", "phone": "+14155550123"},
    )

    row = Customer.objects.get(pk=customer.pk)
    assert refused == []
    assert (row.first_name, row.company, row.phone) == ("Ann", "Acme", "+14155550123")


def test_an_identifier_another_customer_holds_is_a_data_issue_the_rest_stored(account):
    make_customer(account, "taken@example.com")

    customer, refused = lenient(
        account,
        Identifier("user_id", "u-2"),
        fields={"email": "taken@example.com", "last_name": "Lee"},
        writes=[PropertyWrite("plan", "pro")],
    )

    assert [r.key for r in refused] == ["email"]
    row = Customer.objects.get(pk=customer.pk)
    assert (row.email, row.last_name) == (None, "Lee")
    assert DataIssue.objects.get(customer=customer).key == "email"


def test_merge_moves_data_issues_fills_empty_fields_and_audits(account):
    primary = make_customer(account, "primary@example.com", first_name="")
    secondary = make_customer(
        account, "secondary@example.com", {"plan": "pro"}, user_id="sec-1", first_name="Sam"
    )
    lenient(account, Identifier("user_id", "sec-1"), writes=[PropertyWrite("plan", "x", "integer")])
    before = timezone.now()
    secondary_id = secondary.pk

    merged = customer_profile_merge(
        account=account, primary=primary, secondary=secondary, actor=Actor(system="test")
    )

    row = Customer.objects.get(pk=primary.pk)
    assert merged is primary
    assert (row.user_id, row.first_name) == ("sec-1", "Sam")
    assert (merged.user_id, merged.first_name) == ("sec-1", "Sam")
    assert row.updated_at >= before
    assert merged.updated_at == row.updated_at
    assert list(DataIssue.objects.values_list("customer_id", flat=True)) == [primary.pk]
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMER_MERGED)
    assert entry.target == str(merged)
    assert entry.details == {
        "primary_id": primary.pk,
        "secondary": {
            "customer_id": secondary_id,
            "user_id": "sec-1",
            "email": "secondary@example.com",
        },
        "values_moved": 1,
        "devices_moved": 0,
    }


def test_merge_keeps_the_primarys_fields_and_ignores_the_secondarys_empty_ones(account):
    primary = make_customer(account, "p@example.com", first_name="Pat", company="")
    secondary = make_customer(account, "s@example.com", first_name="Sam", company="")

    customer_profile_merge(
        account=account, primary=primary, secondary=secondary, actor=Actor(system="test")
    )

    row = Customer.objects.get(pk=primary.pk)
    assert (row.first_name, row.company, row.email) == ("Pat", "", "p@example.com")
