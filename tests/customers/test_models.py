import pytest
from django.db import IntegrityError, transaction

from customers.models import Customer, PropertyDefinition, PropertyValue


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["Plan", "plan tier", "9lives", "abc\n", ""])
def test_database_refuses_unnormalized_keys(account, key):
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyDefinition.objects.create(account=account, key=key, label="x", type="text")


@pytest.mark.django_db
def test_database_refuses_two_value_columns(account):
    customer = Customer.objects.create(account=account, email="a@example.com")
    definition = PropertyDefinition.objects.create(account=account, key="k", label="k", type="text")
    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyValue.objects.create(
            customer=customer,
            definition=definition,
            value_text="x",
            value_number=1,
            updated_at="2026-01-01T00:00:00Z",
        )


@pytest.mark.django_db
def test_database_refuses_a_duplicate_identifier_in_one_account(account, other_account):
    Customer.objects.create(account=account, email="a@example.com")
    Customer.objects.create(account=other_account, email="a@example.com")
    Customer.objects.create(account=account)
    Customer.objects.create(account=account)
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(account=account, email="a@example.com")
