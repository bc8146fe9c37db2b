"""HelpCrunch v1 beyond the seed: requests replayed from its API reference and PHP client.

Batch items keyed by "customer" (with a field HelpCrunch ignores), 201 on create,
string timestamps, DELETE of a customer, customer events, and writes sent without any
Content-Type header. Each outcome is read back through the native API.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import AuditAction, AuditEntry, Customer, DataIssue
from events.models import Event
from tests.compat.helpcrunch.helpers import BASE, error_of, native_properties, send
from tests.factories import make_customer

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")

# "Create customer" of the v1 reference: its request body, verbatim but for the email
# (the page shows an address its host hid as "[email protected]").
CREATE_BODY = {
    "name": "John Doe",
    "email": "john.doe@example.com",
    "userId": "user_1234567890",
    "company": "Example Inc.",
    "phone": "+10233456781",
    "firstSeen": "1603885746",
    "source": "https://example.com",
    "locale": "uk",
    "createdFrom": "telegram",
    "integrationId": "465847687",
    "notes": "Lorem ipsum",
    "tags": [{"name": "vip", "color": "#ff0000"}],
    "customData": [
        {"property": "subscription_status", "value": "active"},
        {"property": "number_of_payments", "value": 15},
    ],
}


def native_customer(api, customer_id: int):
    return api.get("/api/customers/properties", {"customer_id": customer_id})


def native_events(api, customer_id: int) -> list[dict]:
    response = api.get("/api/events", {"customer_id": customer_id})
    assert response.status_code == 200, response.content
    return response.json()["events"]


# --- create: 201, timestamps as strings


def test_create_from_the_reference_answers_201_with_string_timestamps(hc, api):
    response = send(hc, "POST", "/customers", CREATE_BODY)

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["firstSeen"] == "1603885746"
    assert created["lastSeen"] is None
    assert (created["createdFrom"], created["integrationId"]) == (None, None)
    assert native_properties(api, created["id"]) == {
        "first_seen": ("2020-10-28T11:49:06+00:00", "date"),
        "source": ("https://example.com", "text"),
        "locale": ("uk", "text"),
        "notes": ("Lorem ipsum", "text"),
        "subscription_status": ("active", "text"),
        "number_of_payments": (15, "number"),
    }


def test_creating_an_existing_identifier_is_still_409(hc):
    assert send(hc, "POST", "/customers", {"userId": "u1"}).status_code == 201

    error = error_of(send(hc, "POST", "/customers", {"userId": "u1"}), 409)

    assert error["code"] == "userId"


# --- batch keyed by "customer"


def test_batch_of_the_reference_by_customer_with_a_field_helpcrunch_ignores(hc, api, account):
    jason = make_customer(account, user_id="jason")
    other = make_customer(account, user_id="other")
    # "Batch update customers": its second example, with the "city" HelpCrunch ignores.
    body = [
        {
            "customer": jason.pk,
            "name": "Jason Mason",
            "company": "OWL",
            "phone": "+19293945832",
            "locale": "en",
            "city": "London",
        },
        {"customer": other.pk, "phone": "+13195942443", "lastSeen": "1603885746"},
    ]

    response = send(hc, "PUT", "/customers/batch", body)

    assert response.status_code == 200, response.content
    result = response.json()
    assert [c["id"] for c in result] == [jason.pk, other.pk]
    assert result[1]["lastSeen"] == "1603885746"
    stored = Customer.objects.get(pk=jason.pk)
    assert (stored.first_name, stored.last_name, stored.company, stored.phone) == (
        "Jason",
        "Mason",
        "OWL",
        "+19293945832",
    )
    assert native_properties(api, jason.pk) == {"locale": ("en", "text")}
    assert Customer.objects.get(pk=other.pk).phone == "+13195942443"
    assert not DataIssue.objects.exists()


# --- DELETE /customers/{id}


def test_delete_removes_the_customer_its_values_and_events_and_is_audited(hc, api, account):
    customer = send(hc, "POST", "/customers", {"userId": "gone", "notes": "x"}).json()
    keep = send(hc, "POST", "/customers", {"userId": "kept", "notes": "y"}).json()
    event = send(hc, "POST", "/events", {"name": "Login", "customer": customer["id"]})
    assert event.status_code == 200, event.content

    response = send(hc, "DELETE", f"/customers/{customer['id']}")

    assert response.status_code == 200, response.content
    assert response.json() == "Ok"
    assert native_customer(api, customer["id"]).status_code == 404
    assert native_properties(api, keep["id"]) == {"notes": ("y", "text")}
    assert not Event.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMER_DELETED)
    assert (entry.account, entry.actor_api_key, entry.target) == (account, hc.api_key, "gone")
    assert entry.details == {"customer_id": customer["id"], "door": "helpcrunch"}
    assert error_of(send(hc, "DELETE", f"/customers/{customer['id']}"), 404)["code"] == (
        "not_found"
    )


def test_delete_of_another_accounts_customer_is_404_and_deletes_nothing(hc, other_account):
    theirs = make_customer(other_account, user_id="theirs")

    error = error_of(send(hc, "DELETE", f"/customers/{theirs.pk}"), 404)

    assert error["code"] == "not_found"
    assert Customer.objects.filter(pk=theirs.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CUSTOMER_DELETED).exists()


# --- POST /events


def test_event_of_the_reference_is_stored_on_the_customer(hc, api, account):
    customer = make_customer(account, user_id="u1")
    body = {"name": "Button Click", "data": {"button": "Start Free Trial", "clicks": 2}}

    response = send(hc, "POST", "/events", {**body, "customer": customer.pk})

    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["name"], answer["data"], answer["customer"]) == (
        "Button Click",
        {"button": "Start Free Trial", "clicks": 2},
        customer.pk,
    )
    assert isinstance(answer["id"], int)
    assert isinstance(answer["createdAt"], int)
    [event] = native_events(api, customer.pk)
    assert (event["name"], event["source"], event["properties"]) == (
        "Button Click",
        "helpcrunch",
        {"button": "Start Free Trial", "clicks": 2},
    )


def test_event_without_data_is_stored_with_no_properties(hc, api, account):
    customer = make_customer(account, user_id="u1")

    response = send(hc, "POST", "/events", {"name": "Login", "customer": str(customer.pk)})

    assert response.status_code == 200, response.content
    assert [e["properties"] for e in native_events(api, customer.pk)] == [{}]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"data": {}, "customer": 1}, "name"),
        ({"name": " ", "customer": 1}, "name"),
        ({"name": "x" * 256, "customer": 1}, "name"),
        ({"name": "Login", "data": "clicks=2", "customer": 1}, "data"),
        ({"name": "Login"}, "customer"),
        ({"name": "Login", "customer": "abc"}, "customer"),
        (["Login"], "body"),
    ],
)
def test_malformed_event_is_400_naming_the_field(hc, account, body, code):
    customer = make_customer(account, user_id="u1")
    if isinstance(body, dict) and body.get("customer") == 1:
        body = {**body, "customer": customer.pk}

    assert error_of(send(hc, "POST", "/events", body), 400)["code"] == code
    assert not Event.objects.exists()


def test_event_of_an_unknown_or_foreign_customer_is_404(hc, other_account):
    theirs = make_customer(other_account, user_id="theirs")

    for customer in (999_999, theirs.pk):
        body = {"name": "Login", "customer": customer}
        assert error_of(send(hc, "POST", "/events", body), 404)["code"] == "not_found"
    assert not Event.objects.exists()


# --- writes without a Content-Type header (HelpCrunch's PHP client)


def untyped(client, method: str, path: str, body) -> object:
    """Send a JSON body with no Content-Type at all, as that PHP client does."""
    return client.generic(method, BASE + path, json.dumps(body), content_type="")


def test_create_without_content_type_is_read_as_json(hc, api):
    response = untyped(hc, "POST", "/customers", {"userId": "php", "notes": "from php"})

    assert response.status_code == 201, response.content
    assert native_properties(api, response.json()["id"]) == {"notes": ("from php", "text")}


def test_update_batch_and_event_without_content_type_are_read_as_json(hc, api, account):
    customer = make_customer(account, user_id="php")

    assert untyped(hc, "PATCH", f"/customers/{customer.pk}", {"notes": "a"}).status_code == 200
    batch = [{"customer": customer.pk, "locale": "uk"}]
    assert untyped(hc, "PUT", "/customers/batch", batch).status_code == 200
    event = {"name": "Login", "customer": customer.pk}
    assert untyped(hc, "POST", "/events", event).status_code == 200

    assert native_properties(api, customer.pk) == {
        "notes": ("a", "text"),
        "locale": ("uk", "text"),
    }
    assert [e["name"] for e in native_events(api, customer.pk)] == ["Login"]


def test_malformed_body_without_content_type_is_400_and_another_type_is_still_415(hc):
    malformed = hc.generic("POST", BASE + "/customers", "{not json", content_type="")
    typed = hc.generic("POST", BASE + "/customers", '{"userId": "u"}', content_type="text/plain")

    assert error_of(malformed, 400)["code"] == "body"
    assert error_of(typed, 415)
    assert not Customer.objects.exists()


# --- what lenient custom data costs


def test_patch_of_fields_and_custom_data_costs_the_queries_of_a_strict_write(hc, account):
    customer = make_customer(account, user_id="u1", properties={"plan": "basic"})
    send(hc, "PATCH", f"/customers/{customer.pk}", {"notes": "warm"})  # the key's last use

    def queries(body) -> int:
        with CaptureQueriesContext(connection) as context:
            response = send(hc, "PATCH", f"/customers/{customer.pk}", body)
        assert response.status_code == 200, response.content
        return len(context.captured_queries)

    one = queries({"name": "Ann Lee", "customData": {"plan": "pro"}})
    many = queries({"name": "Bob Lee", "customData": {f"k{n}": n for n in range(10)}})

    # Key, customer; in one transaction (savepoints here, in a test's transaction): the
    # name, definitions, values, touch; the customer's values and tags for the answer.
    assert one == PATCH_QUERIES
    # Ten new keys add only the definitions' creation: count, insert, read back.
    assert many == PATCH_QUERIES + 3
    assert not DataIssue.objects.exists()


PATCH_QUERIES = 14
