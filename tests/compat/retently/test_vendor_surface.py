"""Retently v2 beyond the seed: requests replayed from its API reference and integrations.

The documented customer object on every list path and on GET /customers/{id},
POST /nps/customers (what integrations create customers with), DELETE /customers by
email, POST /customers/unsubscribe and `?api_key=` authentication. Each outcome is
read back through the native API (or the model, for what it does not show).
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import AuditAction, AuditEntry, Customer
from events.models import Event
from events.services import event_record
from tests.factories import make_customer, make_value

pytestmark = pytest.mark.urls("tests.compat.retently.urls")

BASE = "/compat/retently/api/v2"
LIST_PATHS = ["/customers", "/nps/customers"]
CUSTOMER_FIELDS = {
    "id",
    "email",
    "firstName",
    "lastName",
    "companyName",
    "companyId",
    "tags",
    "createdDate",
    "unsubscribed",
    "properties",
}
# An integration's "Create Customer" request (Pipedream's Retently action).
INTEGRATION_CREATE = {
    "subscribers": [
        {
            "email": "john@example.com",
            "first_name": "John",
            "last_name": "Smith",
            "company": "ACME",
            "tags": ["trial"],
        }
    ]
}


@pytest.fixture
def rt(api):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    return api


def send(client, method: str, path: str, body=None, **params):
    if body is None:
        return client.generic(method, BASE + path + _query(params))
    return client.generic(
        method, BASE + path + _query(params), json.dumps(body), content_type="application/json"
    )


def _query(params) -> str:
    return "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""


def success(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert (body["message"], body["code"]) == ("Success.", status)
    return body["data"]


def native_customer(api, email: str) -> dict | None:
    response = api.get("/api/customers", {"email": email}, HTTP_X_API_KEY=api.raw_key)
    assert response.status_code == 200, response.content
    customers = response.json()["customers"]
    return customers[0] if customers else None


def saved(rt, body: dict, path: str = "/customers") -> dict:
    response = send(rt, "POST", path, body)
    assert response.status_code == 200, response.content
    return response.json()["data"]


# --- the documented customer object


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_list_path_gives_the_documented_fields(rt, api, path):
    seed = {
        "email": "johnsmith@example.com",
        "first_name": "John",
        "last_name": "Smith",
        "company": "ACME",
        "tags": ["foo", "bar"],
        "properties": [{"label": "Subscription name", "type": "string", "value": "Free trial"}],
    }
    saved(rt, {"subscribers": [seed]})

    data = success(send(rt, "GET", path))

    assert (data["page"], data["limit"], data["pages"], data["total"], data["sort"]) == (
        1,
        20,
        1,
        1,
        "-createdDate",
    )
    [subscriber] = data["subscribers"]
    assert set(subscriber) == CUSTOMER_FIELDS
    native = native_customer(api, "johnsmith@example.com")
    assert subscriber == {
        "id": str(native["customer_id"]),
        "email": "johnsmith@example.com",
        "firstName": "John",
        "lastName": "Smith",
        "companyName": "ACME",
        "companyId": None,
        "tags": sorted(native["tags"]),
        "createdDate": native["created_at"],
        "unsubscribed": False,
        "properties": [
            {
                "label": "Subscription name",
                "name": "subscription_name",
                "type": "string",
                "value": "Free trial",
            }
        ],
    }


@pytest.mark.parametrize("path", LIST_PATHS)
def test_list_pages_filters_and_sorts(rt, account, path):
    for name in ("carol", "alice", "bob"):
        make_customer(account, f"{name}@example.com")

    def emails(**params):
        data = success(send(rt, "GET", path, **params))
        return [s["email"] for s in data["subscribers"]], data["pages"]

    assert emails() == (["bob@example.com", "alice@example.com", "carol@example.com"], 1)
    assert emails(sort="email", limit=2) == (["alice@example.com", "bob@example.com"], 2)
    assert emails(sort="-email", limit=2, page=2) == (["alice@example.com"], 2)
    assert emails(email="BOB@example.com") == (["bob@example.com"], 1)
    refused = send(rt, "GET", path, sort="age")
    assert refused.status_code == 400
    assert "sort is one of createdDate" in refused.json()["message"]


@pytest.mark.parametrize("path", LIST_PATHS)
def test_list_runs_as_many_queries_for_ten_customers_as_for_one(rt, account, path):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            success(send(rt, "GET", path))
        return len(context.captured_queries)

    make_customer(account, "first@example.com", {"plan": "pro"}, ["vip"])
    queries()  # records the key's last use
    one = queries()
    for n in range(9):
        make_customer(account, f"c{n}@example.com", {"plan": "pro", "seats": n}, ["vip"])

    assert queries() == one


def test_get_customer_by_its_listed_id(rt, account, other_account):
    saved(rt, INTEGRATION_CREATE)
    listed = success(send(rt, "GET", "/customers"))["subscribers"][0]
    theirs = make_customer(other_account, "theirs@example.com")

    response = send(rt, "GET", f"/customers/{listed['id']}")

    assert success(response) == listed
    for missing in (str(theirs.pk), "999999", "abc", "1" * 40):
        refused = send(rt, "GET", f"/customers/{missing}")
        assert refused.status_code == 404, missing
        assert refused.json()["code"] == 404


# --- POST /nps/customers


def test_integration_create_on_nps_customers_answers_the_id_by_email(rt, api):
    data = saved(rt, INTEGRATION_CREATE, path="/nps/customers")

    native = native_customer(api, "john@example.com")
    outcome = data["john@example.com"]
    assert (outcome["status"], outcome["id"]) == ("saved", str(native["customer_id"]))
    assert (native["first_name"], native["last_name"], native["company"], native["tags"]) == (
        "John",
        "Smith",
        "ACME",
        ["trial"],
    )


def test_nps_customers_create_runs_as_many_queries_for_ten_as_for_one(rt):
    def body(count: int, prefix: str) -> dict:
        return {
            "subscribers": [
                {
                    "email": f"{prefix}{n}@example.com",
                    "properties": [{"label": "Plan", "value": "x"}],
                }
                for n in range(count)
            ]
        }

    saved(rt, body(1, "warm"), path="/nps/customers")
    counts = []
    for count, prefix in ((1, "a"), (10, "b")):
        with CaptureQueriesContext(connection) as context:
            saved(rt, body(count, prefix), path="/nps/customers")
        counts.append(len(context.captured_queries))

    assert counts[0] == counts[1]
    assert Customer.objects.filter(email__startswith="b").count() == 10


# --- DELETE /customers


def test_delete_by_email_list_removes_those_customers_and_audits_each(rt, api, account):
    for email in ("a@example.com", "b@example.com", "keep@example.com"):
        make_customer(account, email, {"plan": "pro"})
    gone = Customer.objects.get(email="a@example.com")
    event_record(account=account, customer=gone, name="survey_requested")

    data = success(
        send(
            rt,
            "DELETE",
            "/customers",
            {"emails": ["A@example.com", "b@example.com", "nobody@example.com", "not-an-email"]},
        )
    )

    assert data["a@example.com"] == data["b@example.com"] == "deleted"
    assert data["nobody@example.com"] == "not_found"
    assert data["not-an-email"].startswith("refused: ")
    assert native_customer(api, "a@example.com") is None
    assert native_customer(api, "b@example.com") is None
    assert native_customer(api, "keep@example.com")["properties"] == {"plan": "pro"}
    assert not Event.objects.exists()
    entries = AuditEntry.objects.filter(action=AuditAction.CUSTOMER_DELETED)
    assert sorted(e.target for e in entries) == ["a@example.com", "b@example.com"]
    assert {e.details["door"] for e in entries} == {"retently"}


@pytest.mark.parametrize(
    "body", [{}, {"emails": []}, {"emails": "  "}, {"email": "a@example.com"}, ["a@example.com"]]
)
def test_delete_without_emails_is_refused_and_deletes_nothing(rt, account, body):
    make_customer(account, "a@example.com")

    response = send(rt, "DELETE", "/customers", body)

    assert response.status_code == 400, response.content
    assert "emails" in response.json()["message"]
    assert Customer.objects.count() == 1


def test_delete_leaves_another_accounts_customer_alone(rt, other_account):
    make_customer(other_account, "a@example.com")

    data = success(send(rt, "DELETE", "/customers", {"emails": "a@example.com"}))

    assert data == {"a@example.com": "not_found"}
    assert Customer.objects.filter(email="a@example.com").exists()


# --- POST /customers/unsubscribe


def test_unsubscribe_marks_the_customers_and_the_lists_show_it(rt, api, account):
    make_customer(account, "a@example.com", {"plan": "pro"})
    make_customer(account, "b@example.com")

    data = success(
        send(rt, "POST", "/customers/unsubscribe", {"emails": ["a@example.com", "x@example.com"]})
    )

    assert data == {"a@example.com": "unsubscribed", "x@example.com": "not_found"}
    first = Customer.objects.get(email="a@example.com").unsubscribed_at
    assert first is not None
    assert Customer.objects.get(email="b@example.com").unsubscribed_at is None
    assert not Customer.objects.filter(email="x@example.com").exists()
    listed = success(send(rt, "GET", "/nps/customers", sort="email"))["subscribers"]
    assert [(s["email"], s["unsubscribed"]) for s in listed] == [
        ("a@example.com", True),
        ("b@example.com", False),
    ]
    # Kept, values and all; unsubscribing again keeps the first time.
    assert native_customer(api, "a@example.com")["properties"] == {"plan": "pro"}
    success(send(rt, "POST", "/customers/unsubscribe", {"emails": "a@example.com"}))
    assert Customer.objects.get(email="a@example.com").unsubscribed_at == first


def test_unsubscribe_of_another_account_changes_nothing_there(rt, other_account):
    make_customer(other_account, "a@example.com")

    data = success(send(rt, "POST", "/customers/unsubscribe", {"emails": ["a@example.com"]}))

    assert data == {"a@example.com": "not_found"}
    assert Customer.objects.get(email="a@example.com").unsubscribed_at is None


# --- ?api_key=


def test_api_key_in_the_query_string_authenticates(client, api):
    key = api.raw_key

    created = client.post(
        f"{BASE}/nps/customers?api_key={key}",
        json.dumps(INTEGRATION_CREATE),
        content_type="application/json",
    )
    listed = client.get(f"{BASE}/customers", {"api_key": key})

    assert created.status_code == 200, created.content
    assert [s["email"] for s in success(listed)["subscribers"]] == ["john@example.com"]
    assert native_customer(api, "john@example.com")["first_name"] == "John"


def test_wrong_or_missing_query_key_is_401_in_retently_format(client):
    for params in ({"api_key": "nope"}, {}):
        response = client.get(f"{BASE}/customers", params)
        assert response.status_code == 401, params
        assert response.json()["code"] == 401


@pytest.mark.parametrize("path", LIST_PATHS)
def test_a_json_property_another_door_stored_is_listed_not_a_500(rt, account, path):
    customer = make_customer(account, "json@example.com")
    make_value(customer, "address", {"city": "Lyon", "zip": "69001"}, "json")

    listed = success(send(rt, "GET", path))["subscribers"]

    (row,) = [s for s in listed if s["email"] == "json@example.com"]
    assert {
        "label": "Address",
        "name": "address",
        "type": "json",
        "value": {"city": "Lyon", "zip": "69001"},
    } in row["properties"]
