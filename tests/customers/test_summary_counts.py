"""Summary counts (SummaryCount, migration 0005's triggers): every property's customers and
every account's customers stay exact, whatever writes, unassigns or deletes, and however
many writers do it at once; `recount` repairs them; reads fold them."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from customers import statements
from customers.identifiers import Identifier
from customers.models import Customer, PropertyDefinition, PropertyValue, SummaryCount
from customers.selectors import customer_total, definition_customer_count, definitions_with_counts
from customers.selectors import definitions as definition_reads
from customers.services import (
    ProfileWrite,
    PropertyWrite,
    customer_delete,
    customer_properties_save,
    customers_properties_save_many,
    definition_purge,
    property_unassign,
)
from customers.services.type_changes import definition_type_change
from tests.concurrency import WRITERS, run_concurrently
from tests.factories import (
    TESTS,
    customers_holding,
    make_account,
    make_customer,
    make_definition,
)


def counted(account) -> dict[str, int]:
    """The summary counts of the account's definitions that hold values, by key."""
    return {
        d.key: d.customer_count
        for d in definitions_with_counts(account=account, status="all")
        if d.customer_count
    }


def actual(account) -> dict[str, int]:
    """What the values table holds, by key."""
    found = {}
    for value in PropertyValue.objects.filter(definition__account=account).select_related(
        "definition"
    ):
        found[value.definition.key] = found.get(value.definition.key, 0) + 1
    return found


def assert_exact(account) -> None:
    assert counted(account) == actual(account)
    assert customer_total(account=account) == Customer.objects.filter(account=account).count()


@pytest.mark.django_db
def test_new_values_count_and_changed_values_do_not(account):
    ann = make_customer(account, properties={"plan": "pro", "seats": 3})
    make_customer(account, properties={"plan": "free"})

    customer_properties_save(
        account=account,
        identifier=Identifier("email", ann.email),
        writes=[PropertyWrite("plan", "enterprise"), PropertyWrite("seats", 4)],
    )

    assert counted(account) == {"plan": 2, "seats": 1}
    assert customer_total(account=account) == 2
    assert_exact(account)


@pytest.mark.django_db
def test_unassign_and_customer_delete_take_their_values_off(account):
    ann, bob, _ = customers_holding(account, "plan", "pro", "free", "pro")
    make_customer(account, email=bob.email, properties={"seats": 2})

    property_unassign(account=account, customer=ann, key="plan")
    customer_delete(customer=bob)

    assert counted(account) == {"plan": 1}
    assert definition_customer_count(definition=PropertyDefinition.objects.get(key="plan")) == 1
    assert customer_total(account=account) == 2
    assert_exact(account)


@pytest.mark.django_db
def test_bulk_saves_count_new_customers_and_values_once(account):
    items = [
        ProfileWrite(Identifier("email", f"b{n}@example.com"), writes=[PropertyWrite("plan", n)])
        for n in range(5)
    ]
    customers_properties_save_many(account=account, items=items)
    customers_properties_save_many(account=account, items=items)  # the same again: updates

    assert counted(account) == {"plan": 5}
    assert customer_total(account=account) == 5


@pytest.mark.django_db
def test_purge_and_type_change_take_their_values_off(account):
    customers_holding(account, "old", "a", "b")
    customers_holding(account, "score", "1", "x", "2")
    old = PropertyDefinition.objects.get(key="old")
    old.archived_at = old.updated_at
    old.save()

    definition_purge(definition=old, actor=TESTS)
    definition_type_change(
        definition=PropertyDefinition.objects.get(key="score"),
        new_type="integer",
        actor=TESTS,
        allow_removal_of=1,
    )

    assert counted(account) == {"score": 2}
    assert not SummaryCount.objects.filter(definition_id=old.pk).exists()
    assert_exact(account)


@pytest.mark.django_db
def test_other_accounts_are_counted_apart_and_a_deleted_account_leaves_nothing(account):
    other = make_account()
    customers_holding(account, "plan", "pro")
    customers_holding(other, "plan", "pro", "free")

    assert counted(account) == {"plan": 1}
    assert counted(other) == {"plan": 2}
    other.delete()
    assert not SummaryCount.objects.filter(account_id=other.pk).exists()
    assert_exact(account)


@pytest.mark.django_db
def test_recount_repairs_broken_counts(account):
    customers_holding(account, "plan", "pro", "free")
    SummaryCount.objects.create(account_id=account.pk, definition_id=None, delta=40)
    SummaryCount.objects.filter(definition_id__isnull=False).update(delta=7)

    output = StringIO()
    call_command("recount", "--account", account.name, stdout=output)

    assert counted(account) == {"plan": 2}
    assert customer_total(account=account) == 2
    assert "2 customers" in output.getvalue()


@pytest.mark.django_db
def test_reads_fold_a_long_run_of_rows_into_one(account, monkeypatch):
    monkeypatch.setattr(definition_reads, "FOLD_AT", 3)
    customers_holding(account, "plan", *"abcdef")
    plan = PropertyDefinition.objects.get(key="plan")
    unassigned = Customer.objects.filter(account=account).first()
    property_unassign(account=account, customer=unassigned, key="plan")

    assert counted(account) == {"plan": 5}  # the read that folds
    assert SummaryCount.objects.filter(definition_id=plan.pk).count() == 1
    assert customer_total(account=account) == 6
    assert SummaryCount.objects.filter(account_id=account.pk, definition_id=None).count() == 1
    assert counted(account) == {"plan": 5}


@pytest.mark.django_db
def test_a_fold_of_counts_that_cancel_out_leaves_no_row(account):
    ann, _ = customers_holding(account, "plan", "pro", "free")
    property_unassign(account=account, customer=ann, key="plan")
    customer_delete(customer=ann)
    with transaction.atomic():
        statements.summary_fold(account.pk)

    assert counted(account) == {"plan": 1}
    assert SummaryCount.objects.filter(account_id=account.pk).count() == 2


@pytest.mark.django_db(transaction=True)
def test_counts_stay_exact_under_concurrent_sets_unassigns_deletes_and_folds(account):
    """Writers set, re-set, unassign and delete the same few customers' values at once,
    while readers fold: afterwards every count equals what the values table holds."""
    keys = ["plan", "seats", "tags"]
    for key in keys:
        make_definition(account, key)
    emails = [f"shared{n}@example.com" for n in range(6)]

    def write(n):
        rng = random.Random(n)
        for step in range(25):
            email = rng.choice(emails)
            action = rng.random()
            if action < 0.55:
                writes = [PropertyWrite(k, f"{n}-{step}") for k in rng.sample(keys, 2)]
                customer_properties_save(
                    account=account, identifier=Identifier("email", email), writes=writes
                )
                continue
            customer = Customer.objects.filter(account=account, email=email).first()
            if customer is None:
                continue
            if action < 0.85:
                property_unassign(account=account, customer=customer, key=rng.choice(keys))
            elif action < 0.95:
                customer_delete(customer=customer)
            else:
                with transaction.atomic():
                    statements.summary_fold(account.pk)

    errors = run_concurrently(write, count=WRITERS)

    assert errors == []
    assert_exact(account)
    assert sum(counted(account).values()) == PropertyValue.objects.count()


@pytest.mark.django_db(transaction=True)
def test_recount_under_concurrent_writers_stays_exact(account):
    make_definition(account, "plan")

    def write(n):
        if n == 0:
            for _ in range(5):
                with transaction.atomic():
                    statements.summary_recount(account.pk)
            return
        for step in range(20):
            customer_properties_save(
                account=account,
                identifier=Identifier("email", f"w{n}-{step % 7}@example.com"),
                writes=[PropertyWrite("plan", step)],
            )
            if step % 3 == 0:
                customer = Customer.objects.get(
                    account=account, email=f"w{n}-{step % 7}@example.com"
                )
                property_unassign(account=account, customer=customer, key="plan")

    errors = run_concurrently(write, count=4)

    assert errors == []
    assert_exact(account)
