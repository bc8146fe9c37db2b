import pytest

from customers.models import AuditAction, AuditEntry, Customer, PropertyValue
from customers.services import Actor, customers_delete
from tests.factories import make_api_key, make_customer

pytestmark = pytest.mark.django_db


def test_each_deleted_customer_goes_with_its_values_and_is_audited(account):
    api_key, _ = make_api_key(account)
    gone = [make_customer(account, f"{n}@example.com", {"plan": "pro"}) for n in "ab"]
    kept = make_customer(account, "kept@example.com", {"plan": "pro"})
    ids = [c.pk for c in gone]

    count = customers_delete(
        account=account, customers=gone, actor=Actor(api_key=api_key), door="retently"
    )

    assert count == 2
    assert list(Customer.objects.values_list("pk", flat=True)) == [kept.pk]
    assert PropertyValue.objects.get().customer_id == kept.pk
    entries = AuditEntry.objects.filter(action=AuditAction.CUSTOMER_DELETED).order_by("pk")
    assert [(e.target, e.details, e.actor_api_key) for e in entries] == [
        ("a@example.com", {"customer_id": ids[0], "door": "retently"}, api_key),
        ("b@example.com", {"customer_id": ids[1], "door": "retently"}, api_key),
    ]


def test_a_customer_without_email_or_user_id_is_named_by_its_id(account):
    customer = Customer.objects.create(account=account, visitor_id="v1")
    pk = customer.pk

    customers_delete(account=account, customers=[customer], actor=Actor(system="t"), door="x")

    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMER_DELETED)
    assert entry.target == f"customer {pk}"
