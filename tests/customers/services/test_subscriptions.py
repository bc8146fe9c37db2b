import pytest

from customers.models import Customer
from customers.services import customers_resubscribe, customers_unsubscribe
from tests.factories import make_customer

pytestmark = pytest.mark.django_db


def test_unsubscribe_sets_the_time_once_and_only_for_the_accounts_customers(account, other_account):
    mine = make_customer(account, "a@example.com")
    make_customer(account, "b@example.com")
    theirs = make_customer(other_account, "a@example.com")

    found = customers_unsubscribe(account=account, emails=["a@example.com", "x@example.com"])
    first = Customer.objects.get(pk=mine.pk).unsubscribed_at
    again = customers_unsubscribe(account=account, emails=["a@example.com"])

    assert [c.pk for c in found] == [c.pk for c in again] == [mine.pk]
    assert first is not None
    assert found[0].unsubscribed_at == first
    assert Customer.objects.get(pk=mine.pk).unsubscribed_at == first
    assert Customer.objects.get(email="b@example.com", account=account).unsubscribed_at is None
    assert Customer.objects.get(pk=theirs.pk).unsubscribed_at is None


def test_resubscribe_clears_the_state(account):
    customer = make_customer(account, "a@example.com")
    customers_unsubscribe(account=account, emails=["a@example.com"])

    found = customers_resubscribe(account=account, emails=["a@example.com"])

    assert [c.unsubscribed_at for c in found] == [None]
    assert Customer.objects.get(pk=customer.pk).unsubscribed_at is None
