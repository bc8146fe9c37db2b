"""customers.services.definitions: create, edit, archive, restore, ask for a purge."""

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import override_settings

from customers.errors import (
    DefinitionExists,
    DefinitionNotArchived,
    DomainError,
    InvalidInput,
    LimitExceeded,
)
from customers.models import AuditAction, AuditEntry, DefinitionSource, PropertyDefinition
from customers.services import (
    definition_archive,
    definition_create,
    definition_purge_request,
    definition_restore,
    definition_update,
    definitions,
)
from tests.factories import TESTS, make_customer, make_definition
from tests.stored import values_of


def actions(account) -> list[str]:
    return list(
        AuditEntry.objects.filter(account=account).order_by("id").values_list("action", flat=True)
    )


def test_create_normalizes_the_type_labels_from_the_key_and_audits(account):
    definition_create(account=account, key="plan_tier", type="string", actor=TESTS)

    stored = PropertyDefinition.objects.get()
    assert (stored.key, stored.type, stored.label) == ("plan_tier", "text", "Plan tier")
    assert (stored.source, stored.is_archived) == (DefinitionSource.API, False)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target, entry.details) == (
        AuditAction.DEFINITION_CREATED,
        "plan_tier",
        {"type": "text"},
    )


def test_create_keeps_a_given_label_description_and_source_trimmed(account):
    definition_create(
        account=account,
        key="nps",
        type="integer",
        label="  Net promoter score ",
        description=" Latest survey ",
        source=DefinitionSource.UI,
        actor=TESTS,
    )

    stored = PropertyDefinition.objects.get()
    assert (stored.label, stored.description, stored.source) == (
        "Net promoter score",
        "Latest survey",
        "ui",
    )


def test_create_refuses_a_key_the_account_has_but_not_one_another_account_has(
    account, other_account
):
    make_definition(other_account, "plan")
    make_definition(account, "plan")

    with pytest.raises(DefinitionExists):
        make_definition(account, "plan", "number")

    assert PropertyDefinition.objects.filter(key="plan").count() == 2
    assert PropertyDefinition.objects.get(account=account).type == "text"


@pytest.mark.parametrize(
    ("key", "type", "label"),
    [("Plan Tier", "text", ""), ("plan", "money", ""), ("plan", "text", "x" * 201)],
)
def test_create_refuses_a_bad_key_type_or_label_and_stores_nothing(account, key, type, label):
    with pytest.raises(InvalidInput):
        definition_create(account=account, key=key, type=type, label=label, actor=TESTS)

    assert not PropertyDefinition.objects.exists()
    assert not AuditEntry.objects.exists()


@override_settings(CONTACTS_MAX_DEFINITIONS=2)
def test_create_refuses_one_definition_past_the_account_limit(account):
    make_definition(account, "a")
    make_definition(account, "b", archived=True)

    with pytest.raises(LimitExceeded) as refused:
        make_definition(account, "c")

    assert refused.value.details == {"max": 2}
    assert sorted(PropertyDefinition.objects.values_list("key", flat=True)) == ["a", "b"]


def test_update_changes_label_and_description_and_audits_the_fields(account):
    plan = make_definition(account, "plan", label="Plan")

    definition_update(definition=plan, label="Billing plan", description="From Stripe", actor=TESTS)

    stored = PropertyDefinition.objects.get()
    assert (stored.key, stored.label, stored.description) == ("plan", "Billing plan", "From Stripe")
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_UPDATED)
    assert entry.details == {"fields": ["description", "label"]}


def test_update_without_a_change_writes_no_audit_entry(account):
    plan = make_definition(account, "plan", label="Plan")

    definition_update(definition=plan, label="Plan", description="", actor=TESTS)

    assert actions(account) == [AuditAction.DEFINITION_CREATED]


def test_update_refuses_an_empty_label(account):
    plan = make_definition(account, "plan", label="Plan")

    with pytest.raises(InvalidInput):
        definition_update(definition=plan, label="  ", actor=TESTS)

    assert PropertyDefinition.objects.get().label == "Plan"


def test_archive_keeps_values_and_restore_brings_them_back_each_audited_once(account):
    plan = make_definition(account, "plan")
    ann = make_customer(account, properties={"plan": "pro"})

    definition_archive(definition=plan, actor=TESTS)
    definition_archive(definition=plan, actor=TESTS)
    archived = PropertyDefinition.objects.get().is_archived
    definition_restore(definition=plan, actor=TESTS)
    definition_restore(definition=plan, actor=TESTS)

    assert archived is True
    assert PropertyDefinition.objects.get().is_archived is False
    assert values_of(ann) == {"plan": "pro"}
    assert actions(account) == [
        AuditAction.DEFINITION_CREATED,
        AuditAction.DEFINITION_ARCHIVED,
        AuditAction.DEFINITION_RESTORED,
    ]


def test_a_purge_of_an_active_definition_is_refused(account):
    plan = make_definition(account, "plan")
    ann = make_customer(account, properties={"plan": "pro"})

    with pytest.raises(DefinitionNotArchived):
        definition_purge_request(definition=plan, actor=TESTS)

    assert PropertyDefinition.objects.filter(pk=plan.pk).exists()
    assert values_of(ann) == {"plan": "pro"}


@pytest.mark.django_db(transaction=True)
def test_a_purge_outside_a_transaction_runs_at_once_and_counts_the_values(account):
    plan = make_definition(account, "plan")
    make_customer(account, properties={"plan": "pro"})
    make_customer(account, properties={"plan": "free"})
    definition_archive(definition=plan, actor=TESTS)

    request = definition_purge_request(definition=plan, actor=TESTS)

    assert (request.queued, request.values_removed) == (False, 2)
    assert not PropertyDefinition.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"label": 5}, "label", "label must be a string."),
        ({"label": "a\x00b"}, "label", "label cannot contain NUL characters."),
        ({"label": "L" * 201}, "label", "label is at most 200 characters; got 201."),
        ({"description": 5}, "description", "description must be a string."),
        ({"description": "a\x00b"}, "description", "description cannot contain NUL characters."),
        (
            {"description": "d" * 2001},
            "description",
            "description is at most 2000 characters; got 2001.",
        ),
    ],
)
def test_create_and_update_refusals_name_the_field(account, fields, field, message):
    definition = make_definition(account, "plan")

    with pytest.raises(InvalidInput) as created:
        definition_create(account=account, key="seats", actor=TESTS, **fields)
    with pytest.raises(InvalidInput) as updated:
        definition_update(definition=definition, actor=TESTS, **fields)

    assert (created.value.message, created.value.details) == (message, {"field": field})
    assert (updated.value.message, updated.value.details) == (message, {"field": field})
    assert list(PropertyDefinition.objects.values_list("key", "label", "description")) == [
        ("plan", "Plan", "")
    ]


def test_create_and_update_accept_text_exactly_at_its_limit(account):
    definition = definition_create(
        account=account, key="plan", label="L" * 200, description="d" * 2000, actor=TESTS
    )
    definition_update(definition=definition, label="M" * 200, actor=TESTS)

    stored = PropertyDefinition.objects.get()
    assert (stored.label, stored.description) == ("M" * 200, "d" * 2000)


def test_create_refusals_of_a_taken_key_and_of_the_limit_say_why(account):
    make_definition(account, "plan")

    with pytest.raises(DefinitionExists) as exists:
        definition_create(account=account, key="plan", actor=TESTS)
    with override_settings(CONTACTS_MAX_DEFINITIONS=1), pytest.raises(LimitExceeded) as full:
        definition_create(account=account, key="seats", actor=TESTS)

    assert exists.value.message == 'Property "plan" already exists in this account.'
    assert exists.value.details == {"key": "plan"}
    assert (full.value.code, full.value.message) == (
        "too_many_definitions",
        "This account may hold at most 1 properties.",
    )
    assert PropertyDefinition.objects.count() == 1


def test_update_refusing_an_empty_label_names_the_field(account):
    definition = make_definition(account, "plan", label="Plan")

    with pytest.raises(InvalidInput) as refused:
        definition_update(definition=definition, label="  ", actor=TESTS)

    assert (refused.value.message, refused.value.details) == (
        "A label cannot be empty.",
        {"field": "label"},
    )
    assert PropertyDefinition.objects.get().label == "Plan"


def test_create_without_a_description_stores_none(account):
    definition_create(account=account, key="plan", actor=TESTS)

    assert PropertyDefinition.objects.get().description == ""


def test_a_purge_inside_a_callers_transaction_is_queued_until_it_commits(account):
    plan = make_definition(account, "plan")
    ann = make_customer(account, properties={"plan": "pro"})
    definition_archive(definition=plan, actor=TESTS)

    # The test's own transaction never commits: the purge stays queued.
    request = definition_purge_request(definition=plan, actor=TESTS)

    assert (request.queued, request.values_removed) == (True, None)
    assert PropertyDefinition.objects.filter(pk=plan.pk).exists()
    assert values_of(ann) == {"plan": "pro"}


def test_update_and_archive_write_only_their_own_fields(account):
    make_definition(account, "plan")
    first = PropertyDefinition.objects.get()
    second = PropertyDefinition.objects.get()

    definition_update(definition=first, label="Tier", actor=TESTS)
    definition_update(definition=second, description="Which plan", actor=TESTS)
    definition_archive(definition=first, actor=TESTS)

    stored = PropertyDefinition.objects.get()
    assert (stored.label, stored.description, stored.is_archived) == (
        "Tier",
        "Which plan",
        True,
    )


def test_a_purge_whose_task_failed_is_refused_saying_to_try_again(account, monkeypatch):
    plan = make_definition(account, "plan")
    definition_archive(definition=plan, actor=TESTS)
    enqueued = []
    monkeypatch.setattr(transaction, "on_commit", lambda run: run())
    failed = SimpleNamespace(status=TaskResultStatus.FAILED)
    task = SimpleNamespace(enqueue=lambda **kwargs: enqueued.append(kwargs) or failed)
    monkeypatch.setattr(definitions, "definition_purge_task", task)

    with pytest.raises(DomainError) as refused:
        definition_purge_request(definition=plan, actor=TESTS)

    assert refused.value.code == "purge_failed"
    assert refused.value.message == (
        'Deleting "plan" did not finish: some of its values may already be removed. '
        "Try again to finish the delete."
    )
    assert enqueued == [{"definition_id": plan.pk, "actor": TESTS.to_ref()}]
    assert PropertyDefinition.objects.filter(pk=plan.pk).exists()
