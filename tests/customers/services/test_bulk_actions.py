"""customers.services.bulk_actions: one change to many customers, through the one-customer
rules, audited; beyond the threshold, run by the real database worker with its progress."""

import pytest
from django_tasks_db.models import DBTaskResult

from customers.conditions import Condition, Operator
from customers.errors import DefinitionArchived, DomainError, InvalidInput
from customers.models import (
    AuditAction,
    AuditEntry,
    BulkAction,
    BulkActionKind,
    BulkActionStatus,
    Customer,
)
from customers.services import bulk_actions
from customers.services.bulk_actions import (
    BulkChange,
    CustomerFilter,
    bulk_action_run,
    customers_bulk_change,
)
from customers.services.definitions import definition_archive
from tests.customers.test_worker import run_worker
from tests.factories import TESTS, make_customer, make_definition
from tests.stored import value_of

PRO = CustomerFilter(conditions=(Condition("plan", Operator.EQUALS, "pro"),))


@pytest.fixture
def crowd(account):
    return [
        make_customer(account, f"c{n}@example.com", {"plan": "pro" if n % 2 else "free"})
        for n in range(7)
    ]


def test_tag_added_to_the_filtered_customers_once_even_if_some_have_it(account, crowd):
    make_customer(account, crowd[1].email, tags=["vip"])

    outcome = customers_bulk_change(
        account=account,
        change=BulkChange(BulkActionKind.TAG_ADD, " vip "),
        actor=TESTS,
        customer_filter=PRO,
    )

    assert (outcome.customers, outcome.job) == (3, None)
    tagged = Customer.objects.filter(tags__name="vip").order_by("pk")
    assert list(tagged) == [crowd[1], crowd[3], crowd[5]]
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMERS_TAGGED)
    assert (entry.target, entry.details) == ("vip", {"customers": 3, "filter": "plan__eq=pro"})


def test_a_value_is_coerced_to_the_propertys_type_and_moves_updated_at(account, crowd):
    make_definition(account, "seats", "integer")
    before = Customer.objects.get(pk=crowd[1].pk).updated_at

    customers_bulk_change(
        account=account,
        change=BulkChange(BulkActionKind.VALUE_SET, "seats", "12"),
        actor=TESTS,
        customer_ids=[crowd[1].pk, crowd[2].pk],
    )

    assert [value_of(c, "seats") for c in crowd[:4]] == [None, 12, 12, None]
    assert Customer.objects.get(pk=crowd[1].pk).updated_at > before
    assert (
        Customer.objects.get(pk=crowd[3].pk).updated_at
        < Customer.objects.get(pk=crowd[1].pk).updated_at
    )


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (BulkChange(BulkActionKind.VALUE_SET, "seats", "3.5"), "whole number"),
        (BulkChange(BulkActionKind.VALUE_SET, "seats", ""), "Enter a value"),
        (BulkChange(BulkActionKind.VALUE_SET, "nothing", "1"), 'No property "nothing"'),
        (BulkChange(BulkActionKind.TAG_ADD, "  "), "non-empty"),
        (BulkChange(BulkActionKind.TAG_ADD, "x" * 101), "at most 100"),
    ],
)
def test_what_a_one_customer_write_refuses_is_refused_and_nothing_changes(
    account, crowd, change, error
):
    make_definition(account, "seats", "integer")

    with pytest.raises(DomainError, match=error):
        customers_bulk_change(account=account, change=change, actor=TESTS, customer_filter=PRO)

    assert not Customer.objects.filter(tags__isnull=False).exists()
    assert all(value_of(c, "seats") is None for c in crowd)
    assert not AuditEntry.objects.filter(action__startswith="customers.").exists()


def test_an_archived_property_is_neither_set_nor_unassigned(account, crowd):
    plan = account.definitions.get(key="plan")
    definition_archive(definition=plan, actor=TESTS)

    for kind in (BulkActionKind.VALUE_SET, BulkActionKind.VALUE_UNASSIGN):
        with pytest.raises(DefinitionArchived):
            customers_bulk_change(
                account=account, change=BulkChange(kind, "plan", "x"), actor=TESTS, customer_ids=[1]
            )


def test_unassign_removes_only_that_property_of_those_customers(account, crowd):
    make_customer(account, crowd[0].email, {"seats": 3})

    outcome = customers_bulk_change(
        account=account,
        change=BulkChange(BulkActionKind.VALUE_UNASSIGN, "plan"),
        actor=TESTS,
        customer_filter=CustomerFilter(conditions=(Condition("plan", Operator.EQUALS, "free"),)),
    )

    assert outcome.customers == 4
    assert [value_of(c, "plan") for c in crowd] == [None, "pro", None, "pro", None, "pro", None]
    assert value_of(crowd[0], "seats") == 3
    assert account.definitions.filter(key="plan").exists()


def test_a_filter_that_cannot_run_is_refused(account, crowd):
    with pytest.raises(InvalidInput, match="no such property"):
        customers_bulk_change(
            account=account,
            change=BulkChange(BulkActionKind.TAG_ADD, "vip"),
            actor=TESTS,
            customer_filter=CustomerFilter(conditions=(Condition("nope", Operator.IS_SET),)),
        )


def test_a_filter_survives_its_trip_through_json():
    customer_filter = CustomerFilter(
        search="ada",
        tags=("vip",),
        conditions=(Condition("seats", Operator.GREATER, "3"),),
        states=(("suppressed", False),),
    )

    assert CustomerFilter.from_json(customer_filter.to_json()) == customer_filter
    assert customer_filter.describe() == "q=ada&tag=vip&suppressed=false&seats__gt=3"


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_beyond_the_threshold_the_worker_applies_it_in_batches_and_audits_it(
    account, crowd, database_backend, monkeypatch
):
    monkeypatch.setattr(bulk_actions, "INLINE_MAX", 2)
    monkeypatch.setattr(bulk_actions, "BATCH_SIZE", 2)
    make_definition(account, "seats", "integer")

    outcome = customers_bulk_change(
        account=account,
        change=BulkChange(BulkActionKind.VALUE_SET, "seats", "5"),
        actor=TESTS,
        customer_filter=CustomerFilter(),
    )
    late = make_customer(account, "late@example.com")  # after the change was asked

    job = outcome.job
    assert (outcome.customers, job.status, job.customers_done) == (7, BulkActionStatus.QUEUED, 0)
    assert all(value_of(c, "seats") is None for c in crowd)
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.customers_done, job.customers_total) == ("done", 7, 7)
    assert job.next_customer_id == crowd[-1].pk
    assert [value_of(c, "seats") for c in crowd] == [5] * 7
    assert value_of(late, "seats") is None
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMERS_VALUE_SET)
    assert (entry.actor_label, entry.details) == (
        "tests",
        {"customers": 7, "filter": "", "value": "5"},
    )


def test_a_run_queued_again_after_a_stop_goes_on_where_it_stopped(account, crowd, monkeypatch):
    monkeypatch.setattr(bulk_actions, "BATCH_SIZE", 3)
    job = BulkAction.objects.create(
        account=account,
        kind=BulkActionKind.TAG_ADD,
        target="wave",
        customer_filter=CustomerFilter().to_json(),
        last_customer_id=crowd[-1].pk,
        next_customer_id=crowd[2].pk,  # the first three were done before the worker stopped
        customers_done=3,
        customers_total=7,
    )

    bulk_action_run(job_id=job.pk)
    bulk_action_run(job_id=job.pk)  # a second run of a finished job changes nothing

    job.refresh_from_db()
    assert (job.status, job.customers_done) == (BulkActionStatus.DONE, 7)
    assert list(Customer.objects.filter(tags__name="wave").order_by("pk")) == crowd[3:]
    assert AuditEntry.objects.filter(action=AuditAction.CUSTOMERS_TAGGED).count() == 1


def test_a_run_whose_property_was_archived_meanwhile_fails_with_the_reason(account, crowd):
    job = BulkAction.objects.create(
        account=account,
        kind=BulkActionKind.VALUE_SET,
        target="plan",
        value="gold",
        customer_filter=CustomerFilter().to_json(),
        last_customer_id=crowd[-1].pk,
        customers_total=7,
    )
    definition_archive(definition=account.definitions.get(key="plan"), actor=TESTS)

    bulk_action_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == BulkActionStatus.FAILED
    assert "archived" in job.error
    assert value_of(crowd[1], "plan") == "pro"
