"""Concurrent writers of the same new key and customer must all succeed."""

import contextlib
import threading

import pytest
from django.db import connection

from customers.errors import Conflict
from customers.identifiers import Identifier
from customers.models import Customer, PropertyDefinition, PropertyValue
from customers.services import (
    PropertyWrite,
    customer_create,
    customer_identify,
    customer_properties_set,
)

WRITERS = 6


def run_concurrently(target, count=WRITERS):
    barrier = threading.Barrier(count)
    errors = []

    def worker(n):
        try:
            barrier.wait(timeout=10)
            target(n)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_of_a_new_key_all_succeed(account):
    def write(n):
        customer = customer_identify(
            account=account, identifier=Identifier("email", f"c{n}@example.com"), create=True
        )
        customer_properties_set(
            account=account, customer=customer, writes=[PropertyWrite("brand_new_key", n)]
        )

    errors = run_concurrently(write)

    assert errors == []
    assert PropertyDefinition.objects.filter(key="brand_new_key").count() == 1
    assert PropertyValue.objects.filter(definition__key="brand_new_key").count() == WRITERS


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
