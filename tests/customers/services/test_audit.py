"""customers.services.audit: actors, their references for tasks, and audit entries."""

from django.contrib.auth import get_user_model

from customers.models import AuditAction, AuditEntry
from customers.services import Actor, audit_record
from tests.factories import make_api_key


def test_an_actor_is_labelled_by_its_user_then_its_key_then_its_system(account):
    user = get_user_model().objects.create_user("ann@example.com")
    api_key, _ = make_api_key(account)

    assert Actor(user=user, api_key=api_key).label == "ann@example.com"
    assert Actor(api_key=api_key).label == f"API key {api_key.prefix}"
    assert Actor(system="import").label == "import"
    assert Actor().label == "system"


def test_an_actor_travels_as_ids_and_is_read_back(account):
    user = get_user_model().objects.create_user("ann@example.com")
    api_key, _ = make_api_key(account)
    actor = Actor(user=user, api_key=api_key, system="worker")

    ref = actor.to_ref()

    assert ref == {"user_id": user.pk, "api_key_id": api_key.pk, "system": "worker"}
    assert Actor.from_ref(ref) == actor


def test_an_actor_whose_user_is_gone_reads_back_without_it(account):
    user = get_user_model().objects.create_user("ann@example.com")
    ref = Actor(user=user).to_ref()
    user.delete()

    actor = Actor.from_ref(ref, system="purge")

    assert (actor.user, actor.api_key, actor.label) == (None, None, "purge")


def test_an_entry_records_the_actor_and_cuts_long_texts(account):
    api_key, _ = make_api_key(account)

    audit_record(
        account=account,
        actor=Actor(api_key=api_key),
        action=AuditAction.DEFINITION_UPDATED,
        target="k" * 300,
        details={"fields": ["label"]},
    )

    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_UPDATED)
    assert entry.actor_api_key_id == api_key.pk
    assert entry.actor_label == f"API key {api_key.prefix}"
    assert entry.target == "k" * 200
    assert entry.details == {"fields": ["label"]}


def test_a_system_actor_reads_back_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        read = Actor.from_ref({"system": "worker"})
        unnamed = Actor.from_ref({})

    assert read == Actor(system="worker")
    assert unnamed == Actor()
    assert unnamed.label == "system"


def test_an_entry_records_the_user_acting_and_cuts_a_long_label(account):
    user = get_user_model().objects.create_user("ann@example.com")

    audit_record(
        account=account, actor=Actor(user=user), action=AuditAction.API_KEY_CREATED, target="k"
    )
    audit_record(
        account=account,
        actor=Actor(system="s" * 300),
        action=AuditAction.API_KEY_REVOKED,
        target="k",
    )

    by_user = AuditEntry.objects.get(action=AuditAction.API_KEY_CREATED)
    assert (by_user.actor_user_id, by_user.actor_label) == (user.pk, "ann@example.com")
    by_system = AuditEntry.objects.get(action=AuditAction.API_KEY_REVOKED)
    assert (by_system.actor_user_id, by_system.actor_label) == (None, "s" * 200)
