"""Permanent deletes go through the background task: inline by default, queued with a worker."""

import json

import pytest

from customers.models import AuditAction, AuditEntry, PropertyDefinition, PropertyValue
from customers.services import Actor, definition_archive, definition_purge_request
from customers.tasks import definition_purge_task


@pytest.fixture
def archived_plan(api):
    api.put(
        "/api/customers/properties",
        json.dumps({"email": "a@example.com", "properties": {"plan": "pro"}}),
        content_type="application/json",
    )
    definition = PropertyDefinition.objects.get(key="plan")
    return definition_archive(definition=definition, actor=Actor(system="tests"))


@pytest.fixture
def worker_backend(settings):
    """A backend that queues tasks for a worker instead of running them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


# The purge is enqueued when the request's transaction commits: commit as served requests do.
@pytest.mark.django_db(transaction=True)
def test_api_delete_runs_inline_by_default(admin_api, archived_plan):
    response = admin_api.delete("/api/properties/plan")

    assert response.status_code == 200
    assert response.json() == {"status": "deleted", "key": "plan", "values_removed": 1}


def test_api_delete_with_a_worker_answers_202_and_leaves_the_work_queued(
    admin_api, archived_plan, worker_backend
):
    response = admin_api.delete("/api/properties/plan")

    assert response.status_code == 202
    assert response.json() == {"status": "deleting", "key": "plan"}
    assert PropertyDefinition.objects.filter(key="plan").exists()
    assert PropertyValue.objects.count() == 1


def test_page_delete_with_a_worker_says_it_runs_in_the_background(
    admin_client, archived_plan, worker_backend
):
    response = admin_client.post("/attributes/plan/delete/", {"confirm_key": "plan"}, follow=True)

    assert "in the background" in response.content.decode()
    assert PropertyDefinition.objects.filter(key="plan").exists()


def test_the_task_a_worker_runs_purges_and_audits_with_the_actor(admin_api, archived_plan):
    removed = definition_purge_task.call(
        definition_id=archived_plan.pk, actor=Actor(api_key=admin_api.api_key).to_ref()
    )

    assert removed == 1
    assert not PropertyDefinition.objects.filter(key="plan").exists()
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert entry.actor_api_key == admin_api.api_key
    assert entry.details == {"values_removed": 1}


def test_the_task_for_a_definition_already_gone_does_nothing(db):
    assert definition_purge_task.call(definition_id=987654) == 0


def test_a_purge_asked_inside_a_transaction_is_enqueued_when_it_commits(
    archived_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        purge = definition_purge_request(definition=archived_plan, actor=Actor(system="tests"))

        assert purge.queued
        assert PropertyDefinition.objects.filter(key="plan").exists()

    assert len(callbacks) == 1
    assert not PropertyDefinition.objects.filter(key="plan").exists()
    assert PropertyValue.objects.count() == 0
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert entry.actor_label == "tests"


def test_an_actor_travels_to_the_task_as_ids_and_is_read_back(admin_api, admin_user):
    ref = Actor(user=admin_user, api_key=admin_api.api_key).to_ref()

    assert json.loads(json.dumps(ref)) == {
        "user_id": admin_user.pk,
        "api_key_id": admin_api.api_key.pk,
    }
    actor = Actor.from_ref(ref, system="background task")
    assert actor.user == admin_user
    assert actor.api_key == admin_api.api_key
    assert actor.label == str(admin_user)
