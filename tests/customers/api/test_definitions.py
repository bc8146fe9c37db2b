import json

import pytest

from customers.models import AuditAction, AuditEntry, Customer, PropertyDefinition, PropertyValue
from tests.customers.api.requests import set_properties

URL = "/api/properties"


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_list_shows_definitions_with_customer_counts(api):
    set_properties(api, "a@example.com", {"plan": "free", "seats": 3})
    set_properties(api, "b@example.com", {"plan": "pro"})

    response = api.get(URL)

    assert response.status_code == 200
    by_key = {p["key"]: p for p in response.json()["properties"]}
    assert by_key["plan"]["customer_count"] == 2
    assert by_key["seats"]["customer_count"] == 1
    assert by_key["plan"]["type"] == "text"
    assert by_key["plan"]["label"] == "Plan"
    assert by_key["plan"]["archived"] is False


def test_create_definition(api, account):
    response = post(
        api, URL, {"key": "plan_tier", "type": "string", "label": "Plan tier", "description": "d"}
    )

    assert response.status_code == 201
    assert response.json()["property"]["type"] == "text"
    definition = PropertyDefinition.objects.get(account=account, key="plan_tier")
    assert (definition.label, definition.description) == ("Plan tier", "d")
    assert AuditEntry.objects.filter(action=AuditAction.DEFINITION_CREATED).count() == 1


def test_create_existing_key_is_a_conflict(api):
    post(api, URL, {"key": "plan"})

    response = post(api, URL, {"key": "plan", "type": "integer"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "property_exists"
    assert PropertyDefinition.objects.get(key="plan").type == "text"


@pytest.mark.parametrize(
    "body",
    [
        {"key": "Plan Tier"},
        {"key": "plan", "type": "money"},
        {"type": "text"},
        {"key": "plan", "color": "red"},
        {"key": "plan", "label": "x" * 201},
    ],
)
def test_create_with_invalid_input_is_400(api, body):
    response = post(api, URL, body)

    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert not PropertyDefinition.objects.exists()


def test_edit_label_and_description(api):
    post(api, URL, {"key": "plan"})

    response = api.patch(
        f"{URL}/plan",
        json.dumps({"label": "Plan", "description": "Tier"}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["property"]["description"] == "Tier"
    assert PropertyDefinition.objects.get(key="plan").description == "Tier"


@pytest.mark.parametrize("field", ["key", "type"])
def test_key_and_type_cannot_be_edited(api, field):
    post(api, URL, {"key": "plan"})

    response = api.patch(
        f"{URL}/plan", json.dumps({field: "integer"}), content_type="application/json"
    )

    assert response.status_code == 400
    assert PropertyDefinition.objects.get(key="plan").type == "text"


def test_read_unknown_definition_is_404(api):
    response = api.get(f"{URL}/nope")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "property_not_found"


def test_archive_needs_an_admin_key(api):
    post(api, URL, {"key": "plan"})

    response = post(api, f"{URL}/plan/archive")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert PropertyDefinition.objects.get(key="plan").archived_at is None


def test_archive_hides_and_restore_brings_back_values(api, admin_api):
    set_properties(api, "a@example.com", {"plan": "free"})

    archived = post(admin_api, f"{URL}/plan/archive")

    assert archived.status_code == 200
    assert archived.json()["property"]["archived"] is True
    assert api.get(URL).json()["properties"] == []
    assert [p["key"] for p in api.get(URL, {"status": "archived"}).json()["properties"]] == ["plan"]
    got = api.get("/api/customers/properties", {"email": "a@example.com"}).json()
    assert got["properties"] == []

    restored = post(admin_api, f"{URL}/plan/restore")

    assert restored.status_code == 200
    got = api.get("/api/customers/properties", {"email": "a@example.com"}).json()
    assert got["properties"][0]["value"] == "free"
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert AuditAction.DEFINITION_ARCHIVED in actions
    assert AuditAction.DEFINITION_RESTORED in actions


# The purge is enqueued when the request's transaction commits: commit as served requests do.
@pytest.mark.django_db(transaction=True)
def test_permanent_delete_needs_admin_and_an_archived_definition(api, admin_api):
    set_properties(api, "a@example.com", {"plan": "free"})
    set_properties(api, "b@example.com", {"plan": "pro", "other": "x"})

    assert api.delete(f"{URL}/plan").status_code == 403
    active = admin_api.delete(f"{URL}/plan")
    assert active.status_code == 409
    assert active.json()["error"]["code"] == "property_not_archived"
    post(admin_api, f"{URL}/plan/archive")

    response = admin_api.delete(f"{URL}/plan")

    assert response.status_code == 200
    assert response.json() == {"status": "deleted", "key": "plan", "values_removed": 2}
    assert not PropertyDefinition.objects.filter(key="plan").exists()
    assert PropertyValue.objects.count() == 1
    assert Customer.objects.count() == 2
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert entry.details == {"values_removed": 2}
    assert entry.target == "plan"


def test_other_accounts_definitions_are_invisible(api, other_api):
    set_properties(other_api, "a@example.com", {"secret_plan": "x"})

    assert api.get(URL).json()["properties"] == []
    assert api.get(f"{URL}/secret_plan").status_code == 404
    assert api.patch(f"{URL}/secret_plan", "{}", content_type="application/json").status_code == 404
