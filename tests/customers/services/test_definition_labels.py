"""No two active properties of an account share a label, ignoring case: every door."""

import importlib
import json

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from customers.errors import LabelTaken
from customers.models import AuditEntry, PropertyDefinition
from customers.services import (
    PropertyWrite,
    definition_archive,
    definition_create,
    definition_restore,
    definition_update,
)
from customers.services.labels import labels_free
from tests.customers.api.requests import set_properties
from tests.factories import TESTS, make_customer, make_definition

URL = "/api/properties"


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


# --- The service


def test_a_label_another_active_property_has_is_refused_whatever_its_case(account):
    make_definition(account, "plan_tier", label="Plan tier")

    with pytest.raises(LabelTaken) as refused:
        definition_create(account=account, key="tier", label="PLAN TIER", actor=TESTS)

    assert refused.value.code == "label_taken"
    assert refused.value.details == {"field": "label", "label": "PLAN TIER", "key": "plan_tier"}
    assert "“Plan tier” (plan_tier)" in refused.value.message
    assert not PropertyDefinition.objects.filter(key="tier").exists()


def test_the_same_label_in_another_account_or_on_an_archived_property_is_allowed(
    account, other_account
):
    make_definition(other_account, "plan", label="Plan")
    make_definition(account, "old_plan", label="Plan", archived=True)

    created = definition_create(account=account, key="plan", label="plan", actor=TESTS)

    assert created.label == "plan"


def test_a_property_created_without_a_label_gets_the_first_free_one(account):
    make_definition(account, "tier", label="Plan tier")
    make_definition(account, "tier2", label="Plan tier (2)")

    created = definition_create(account=account, key="plan_tier", actor=TESTS)

    assert created.label == "Plan tier (3)"


def test_renaming_to_a_taken_label_is_refused_and_changes_nothing(account):
    make_definition(account, "plan", label="Plan")
    tier = make_definition(account, "tier", label="Tier")

    with pytest.raises(LabelTaken):
        definition_update(definition=tier, label=" plan ", actor=TESTS)

    tier.refresh_from_db()
    assert tier.label == "Tier"
    assert not AuditEntry.objects.filter(action="definition.updated").exists()


def test_a_property_may_change_the_case_of_its_own_label(account):
    plan = make_definition(account, "plan", label="Plan")

    definition_update(definition=plan, label="PLAN", actor=TESTS)

    assert PropertyDefinition.objects.get(key="plan").label == "PLAN"


def test_restoring_a_property_whose_label_is_taken_is_refused_until_renamed(account):
    old = make_definition(account, "old_plan", label="Plan", archived=True)
    make_definition(account, "plan", label="plan")

    with pytest.raises(LabelTaken) as refused:
        definition_restore(definition=old, actor=TESTS)

    assert "Rename one of them first" in refused.value.message
    assert PropertyDefinition.objects.get(key="old_plan").is_archived
    definition_update(definition=old, label="Old plan", actor=TESTS)
    assert not definition_restore(definition=old, actor=TESTS).is_archived


def test_writes_creating_a_property_whose_readable_label_is_taken_get_a_numbered_one(account):
    make_definition(account, "tier", label="Plan tier")

    make_customer(account, properties={"plan_tier": "gold", "plan_tier_": "x"})

    labels = dict(PropertyDefinition.objects.values_list("key", "label"))
    assert labels == {
        "tier": "Plan tier",
        "plan_tier": "Plan tier (2)",
        "plan_tier_": "Plan tier (3)",
    }


def test_a_write_with_a_taken_label_creates_the_property_under_a_numbered_label(account):
    make_definition(account, "company", label="Company")

    make_customer(account, properties=[PropertyWrite("org", "Acme", "text", label="company")])

    assert PropertyDefinition.objects.get(key="org").label == "company (2)"


def test_labels_free_numbers_within_the_request_too(account):
    assert labels_free(account=account, wanted={"a": "X", "b": "x", "c": "X (2)"}) == {
        "a": "X",
        "b": "x (2)",
        "c": "X (2) (2)",
    }


def test_the_database_refuses_two_active_properties_with_one_label(account):
    PropertyDefinition.objects.create(account=account, key="a", label="Plan", type="text")

    with pytest.raises(IntegrityError), transaction.atomic():
        PropertyDefinition.objects.create(account=account, key="b", label="PLAN", type="text")
    archived = make_definition(account, "c", label="Other")
    definition_archive(definition=archived, actor=TESTS)
    PropertyDefinition.objects.filter(pk=archived.pk).update(label="plan")  # archived: allowed


def test_the_migration_renames_later_duplicates_with_a_number(account, other_account):
    rename = importlib.import_module(
        "customers.migrations.0008_definition_label_unique"
    ).rename_duplicate_labels
    with connection.cursor() as cursor:
        # As before the migration (the test's transaction brings the index back).
        cursor.execute('DROP INDEX "definition_unique_active_label"')
    for key, owner, label in [
        ("a", account, "Plan"),
        ("b", account, "plan"),
        ("c", account, "Plan (2)"),
        ("d", other_account, "Plan"),
    ]:
        PropertyDefinition.objects.create(account=owner, key=key, label=label, type="text")

    rename(apps, None)

    labels = dict(PropertyDefinition.objects.values_list("key", "label"))
    assert labels == {"a": "Plan", "b": "plan (2)", "c": "Plan (2) (2)", "d": "Plan"}


# --- The native API


def test_api_create_with_a_taken_label_is_a_409_in_the_api_error_shape(api):
    post(api, URL, {"key": "plan", "label": "Plan"})

    response = post(api, URL, {"key": "tier", "label": "PLAN"})

    assert response.status_code == 409
    assert response.json() == {
        "status": "error",
        "error": {
            "code": "label_taken",
            "message": "Another active property, “Plan” (plan), already has this label. "
            "Choose another label, or rename that property first.",
            "details": {"field": "label", "label": "PLAN", "key": "plan"},
        },
    }


def test_api_rename_to_a_taken_label_is_a_409(api):
    post(api, URL, {"key": "plan", "label": "Plan"})
    post(api, URL, {"key": "tier", "label": "Tier"})

    response = api.patch(
        f"{URL}/tier", json.dumps({"label": "plan"}), content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "label_taken"
    assert PropertyDefinition.objects.get(key="tier").label == "Tier"


def test_api_restore_of_a_property_whose_label_is_taken_is_a_409(admin_api):
    post(admin_api, URL, {"key": "old", "label": "Plan"})
    post(admin_api, f"{URL}/old/archive")
    post(admin_api, URL, {"key": "plan", "label": "Plan"})

    response = post(admin_api, f"{URL}/old/restore")

    assert response.status_code == 409
    assert response.json()["error"]["details"]["key"] == "plan"
    assert PropertyDefinition.objects.get(key="old").is_archived


def test_api_writes_of_new_keys_never_fail_for_a_label(api, account):
    make_definition(account, "tier", label="Plan tier")

    set_properties(api, "a@example.com", {"plan_tier": "gold"})

    assert PropertyDefinition.objects.get(key="plan_tier").label == "Plan tier (2)"
