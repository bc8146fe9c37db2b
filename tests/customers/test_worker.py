"""The worker path: django-tasks-db's queue run by its own worker (`manage.py db_worker`).

Each test enqueues through the door a user has, then runs the real worker once over the
queue (db_worker's batch mode: every task ready, then exit) and reads back what was stored.
"""

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from customers.models import (
    AuditAction,
    AuditEntry,
    Customer,
    DefinitionPurge,
    ImportJob,
    PropertyDefinition,
)
from customers.services import purges
from customers.services.definitions import definition_archive
from tests.customers.pages.test_imports import mapped, upload
from tests.factories import TESTS, make_customer
from tests.stored import values_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """Run django-tasks-db's worker until the queue is empty, as `db_worker --batch` does."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def archived_plan(account, monkeypatch):
    monkeypatch.setattr(purges, "PURGE_BATCH_SIZE", 3)
    for n in range(23):
        make_customer(account, f"c{n}@example.com", {"plan": f"p{n}", "seats": n})
    plan = PropertyDefinition.objects.get(account=account, key="plan")
    return definition_archive(definition=plan, actor=TESTS)


def test_a_purge_asked_on_the_page_waits_for_the_worker_which_finishes_it(
    admin_client, archived_plan, database_backend
):
    response = admin_client.post("/attributes/plan/delete/", {"confirm_key": "plan"}, follow=True)

    page = response.content.decode()
    assert "in the background" in page
    assert "waiting for the background worker" in page
    assert PropertyDefinition.objects.filter(key="plan").exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()

    assert not PropertyDefinition.objects.filter(key="plan").exists()
    assert PropertyDefinition.objects.filter(key="seats").exists()
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert (entry.details, entry.actor_label) == ({"values_removed": 23}, "admin@acme.example.com")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert "Permanent deletes in progress" not in admin_client.get("/attributes/").content.decode()


def test_a_purge_the_worker_stopped_halfway_shows_its_progress_and_resumes(
    admin_client, archived_plan, database_backend, monkeypatch
):
    batch = purges._purge_batch
    calls = []

    def stopped_after_two(purge_id):
        if len(calls) == 2:
            raise SystemExit("worker stopped")
        calls.append(purge_id)
        return batch(purge_id)

    monkeypatch.setattr(purges, "_purge_batch", stopped_after_two)
    admin_client.post("/attributes/plan/delete/", {"confirm_key": "plan"})
    run_worker()

    purge = DefinitionPurge.objects.get()
    assert 0 < purge.values_removed < 23
    page = admin_client.get("/attributes/?status=archived").content.decode()
    assert f"{purge.values_removed} of 23 values removed" in page
    assert PropertyDefinition.objects.filter(key="plan").exists()

    monkeypatch.setattr(purges, "_purge_batch", batch)
    call_command("resume_purges", verbosity=0)
    run_worker()

    assert not PropertyDefinition.objects.filter(key="plan").exists()
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert entry.details == {"values_removed": 23}
    assert not DefinitionPurge.objects.exists()


def test_an_import_from_the_page_waits_for_the_worker_which_runs_it(
    marketer_client, database_backend
):
    text = "email,plan,seats:integer\nann@example.com,pro,3\nbob@example.com,free,many\n"
    upload(marketer_client, text=text)
    job = ImportJob.objects.get()
    marketer_client.post(
        f"/customers/import/{job.pk}/",
        mapped("email", "plan:text", "seats:integer"),
    )

    page = marketer_client.get(f"/customers/import/{job.pk}/").content.decode()
    assert "waiting for the background worker" in page
    assert not Customer.objects.exists()

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.rows_done, job.issues_count) == ("done", 2, 2, 1)
    assert values_of(Customer.objects.get(email="ann@example.com")) == {"plan": "pro", "seats": 3.0}
    page = marketer_client.get(f"/customers/import/{job.pk}/").content.decode()
    assert "2 of 2 rows imported" in page
    report = marketer_client.get(f"/customers/import/{job.pk}/report.csv").content.decode()
    assert report.splitlines()[1].startswith("3,seats:integer,many,")


def test_a_property_being_deleted_cannot_be_restored(
    admin_client, admin_api, archived_plan, database_backend
):
    admin_client.post("/attributes/plan/delete/", {"confirm_key": "plan"})

    response = admin_api.post("/api/properties/plan/restore")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "purge_in_progress"
    assert "being deleted permanently" in response.json()["error"]["message"]
    page = admin_client.post("/attributes/plan/restore/", follow=True).content.decode()
    assert "being deleted permanently and cannot be restored" in page
    assert PropertyDefinition.objects.get(key="plan").is_archived

    run_worker()

    assert not PropertyDefinition.objects.filter(key="plan").exists()
