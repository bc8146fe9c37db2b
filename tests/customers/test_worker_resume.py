"""`manage.py resume_work` (run by `make worker` before the queue): a bulk change to customers
that a stopped worker left running goes on where it stopped, and is audited once, whole."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from customers.models import AuditAction, AuditEntry, BulkAction, BulkActionKind, Customer
from customers.services import Actor
from customers.services import bulk_actions as bulk
from tests.customers.test_worker import run_worker
from tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def stopped_halfway(account, database_backend, monkeypatch):
    """Return a tag change for 7 customers whose worker stopped after two batches of two."""
    monkeypatch.setattr(bulk, "INLINE_MAX", 1)
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    for n in range(7):
        make_customer(account, f"c{n}@example.com")
    apply_all, calls = bulk._apply_all, []

    def stopped_after_two(*args):
        if len(calls) == 2:
            raise SystemExit("worker stopped")
        calls.append(1)
        return apply_all(*args)

    monkeypatch.setattr(bulk, "_apply_all", stopped_after_two)
    outcome = bulk.customers_bulk_change(
        account=account,
        change=bulk.BulkChange(BulkActionKind.TAG_ADD, "vip"),
        actor=Actor(system="tests"),
        customer_filter=bulk.CustomerFilter(),
    )
    run_worker()
    monkeypatch.setattr(bulk, "_apply_all", apply_all)
    return outcome.job


def tagged(account) -> int:
    return Customer.objects.filter(account=account, tags__name="vip").count()


def test_a_bulk_change_the_worker_stopped_halfway_is_resumed_when_it_starts(
    account, stopped_halfway
):
    job = BulkAction.objects.get(pk=stopped_halfway.pk)
    assert (job.status, job.customers_done, tagged(account)) == ("running", 4, 4)
    run_worker()  # without resume_work, nothing picks it up again
    assert BulkAction.objects.get(pk=job.pk).status == "running"

    out = StringIO()
    call_command("resume_work", stdout=out)
    run_worker()

    job.refresh_from_db()
    assert out.getvalue() == "Resumed 1 bulk change(s) to customers.\n"
    assert (job.status, job.customers_done, job.percent) == ("done", 7, 100)
    assert tagged(account) == 7
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMERS_TAGGED)
    assert entry.details == {"customers": 7, "filter": ""}


def test_resume_leaves_changes_that_are_not_running_alone(account, stopped_halfway):
    BulkAction.objects.filter(pk=stopped_halfway.pk).update(status="failed")
    queued = bulk.customers_bulk_change(
        account=account,
        change=bulk.BulkChange(BulkActionKind.TAG_ADD, "beta"),
        actor=Actor(system="tests"),
        customer_filter=bulk.CustomerFilter(),
    ).job
    tasks = DBTaskResult.objects.count()

    assert bulk.bulk_actions_resume() == []
    out = StringIO()
    call_command("resume_work", stdout=out, verbosity=2)

    assert out.getvalue() == "Nothing to resume.\n"
    assert BulkAction.objects.get(pk=stopped_halfway.pk).status == "failed"
    assert BulkAction.objects.get(pk=queued.pk).status == "queued"
    assert DBTaskResult.objects.count() == tasks
