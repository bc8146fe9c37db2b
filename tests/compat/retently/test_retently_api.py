"""Retently v2 (seed 001): every request body of the seed, and each property rule."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, PropertyDefinition, PropertyValue
from events.models import Event
from tests.factories import make_definition

BASE = "/compat/retently/api/v2"

# The seed's request bodies, verbatim.
SEED_CREATE = {
    "subscribers": [
        {
            "email": "johnsmith@example.com",
            "first_name": "John",
            "last_name": "Smith",
            "company": "ACME",
            "tags": ["foo", "bar"],
            "properties": [{"label": "Subscription name", "type": "string", "value": "Free trial"}],
        }
    ]
}
SEED_UPDATE = {
    "subscribers": [
        {
            "email": "johnsmith@example.com",
            "properties": [
                {"label": "Subscription name", "type": "string", "value": "Professional plan"}
            ],
        }
    ]
}
SEED_UNASSIGN = {
    "subscribers": [
        {
            "email": "johnsmith@example.com",
            "properties": [{"label": "Subscription name", "value": ""}],
        }
    ]
}


@pytest.fixture
def rt(api):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    return api


def post(client, body, path="/customers"):
    return client.post(BASE + path, json.dumps(body), content_type="application/json")


def one(email, key, prop):
    body = {"subscribers": [{"email": email, "properties": [{"label": key, **prop}]}]}
    return body


def stored(email, key):
    value = PropertyValue.objects.filter(customer__email=email, definition__key=key).first()
    return None if value is None else value.stored


def native_properties(api, email):
    response = api.get("/api/customers/properties", {"email": email}, HTTP_X_API_KEY=api.raw_key)
    return {p["key"]: p["value"] for p in response.json()["properties"]}


def test_seed_create_makes_the_customer_and_the_property(rt, account):
    response = post(rt, SEED_CREATE)

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 200
    assert body["message"]
    outcome = body["data"]["johnsmith@example.com"]
    assert outcome["status"] == "saved"
    assert outcome["stored"] == [
        {
            "label": "Subscription name",
            "name": "subscription_name",
            "type": "string",
            "value": "Free trial",
        }
    ]
    customer = Customer.objects.get(account=account, email="johnsmith@example.com")
    assert (customer.first_name, customer.last_name, customer.company) == ("John", "Smith", "ACME")
    assert sorted(t.name for t in customer.tags.all()) == ["bar", "foo"]
    definition = PropertyDefinition.objects.get(key="subscription_name")
    assert (definition.label, definition.type) == ("Subscription name", "text")
    assert native_properties(rt, "johnsmith@example.com") == {"subscription_name": "Free trial"}


def test_seed_update_changes_the_value_and_leaves_other_properties(rt):
    post(rt, SEED_CREATE)
    post(rt, one("johnsmith@example.com", "Seats", {"type": "integer", "value": 5}))

    response = post(rt, SEED_UPDATE)

    assert response.status_code == 200
    assert native_properties(rt, "johnsmith@example.com") == {
        "subscription_name": "Professional plan",
        "seats": 5,
    }
    assert Customer.objects.get().first_name == "John"


@pytest.mark.parametrize("empty", ["", None])
def test_seed_unassign_leaves_the_definition_and_other_customers(rt, empty):
    post(rt, SEED_CREATE)
    post(rt, one("jane@example.com", "Subscription name", {"value": "Enterprise"}))
    body = json.loads(json.dumps(SEED_UNASSIGN))
    body["subscribers"][0]["properties"][0]["value"] = empty

    response = post(rt, body)

    assert response.status_code == 200
    assert stored("johnsmith@example.com", "subscription_name") is None
    assert stored("jane@example.com", "subscription_name") == "Enterprise"
    assert PropertyDefinition.objects.filter(key="subscription_name", archived_at=None).exists()


@pytest.mark.parametrize(
    ("label", "key"),
    [("New Property", "new_property"), ("firstName", "first_name"), ("Plan", "plan")],
)
def test_labels_become_snake_case_keys(rt, label, key):
    post(rt, one("a@example.com", label, {"value": "x"}))

    assert stored("a@example.com", key) == "x"


def test_omitted_type_uses_existing_definitions_type(rt, account):
    make_definition(account, "seats", "integer")

    post(rt, one("a@example.com", "Seats", {"value": "12"}))

    assert stored("a@example.com", "seats") == 12


def test_omitted_type_of_a_new_property_is_string(rt):
    post(rt, one("a@example.com", "Seats", {"value": 12}))

    assert PropertyDefinition.objects.get(key="seats").type == "text"
    assert stored("a@example.com", "seats") == "12"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("false", False),
        (1, True),
        ("0", False),
        ("Yes", True),
        ("n", False),
        ("Y", True),
        ("NO", False),
    ],
)
def test_boolean_words(rt, value, expected):
    post(rt, one("a@example.com", "Active", {"type": "boolean", "value": value}))

    assert stored("a@example.com", "active") is expected


def test_collection_is_comma_separated(rt):
    post(rt, one("a@example.com", "Items", {"type": "collection", "value": "item1, item2, item3"}))

    assert stored("a@example.com", "items") == ["item1", "item2", "item3"]


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2019-12-31T00:00:00Z", "2019-12-31T00:00:00+00:00"),
        ("2019-12-31", "2019-12-31T00:00:00+00:00"),
        ("12/31/2019", "2019-12-31T00:00:00+00:00"),
        ("2019/12/31", "2019-12-31T00:00:00+00:00"),
        ("2019-12-31T10:00:00", "2019-12-31T10:00:00+00:00"),
    ],
)
def test_accepted_dates(rt, value, iso):
    post(rt, one("a@example.com", "Renewal", {"type": "date", "value": value}))

    assert native_properties(rt, "a@example.com") == {"renewal": iso}


# POST /nps/customers is how integrations create customers: the same write, the same rules.
@pytest.mark.parametrize("path", ["/customers", "/nps/customers"])
def test_dd_mm_yyyy_is_reported_and_not_stored_while_the_rest_is(rt, path):
    body = {
        "subscribers": [
            {
                "email": "a@example.com",
                "properties": [
                    {"label": "Renewal", "type": "date", "value": "31/12/2019"},
                    {"label": "Plan", "type": "string", "value": "Pro"},
                    {"label": "Seats", "type": "integer", "value": "3.5"},
                ],
            },
            {"email": "b@example.com", "properties": [{"label": "Plan", "value": "Free"}]},
        ]
    }

    response = post(rt, body, path)

    assert response.status_code == 200
    data = response.json()["data"]
    refused = {r["name"]: r for r in data["a@example.com"]["refused"]}
    assert set(refused) == {"renewal", "seats"}
    assert "DD/MM/YYYY" in refused["renewal"]["error"]
    assert refused["renewal"]["label"] == "Renewal"
    assert [p["name"] for p in data["a@example.com"]["stored"]] == ["plan"]
    assert native_properties(rt, "a@example.com") == {"plan": "Pro"}
    assert native_properties(rt, "b@example.com") == {"plan": "Free"}
    assert not PropertyValue.objects.filter(definition__key="renewal").exists()


def test_a_bad_subscriber_does_not_stop_the_others(rt):
    body = {
        "subscribers": [{"first_name": "no email"}, {"email": "ok@example.com"}, {"email": "nope"}]
    }

    response = post(rt, body)

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["subscribers[0]"]["status"] == "refused"
    assert data["nope"]["status"] == "refused"
    assert data["ok@example.com"]["status"] == "saved"
    assert list(Customer.objects.values_list("email", flat=True)) == ["ok@example.com"]


def test_type_conflict_is_reported_per_property(rt, account):
    make_definition(account, "plan")

    response = post(rt, one("a@example.com", "Plan", {"type": "integer", "value": 3}))

    refused = response.json()["data"]["a@example.com"]["refused"]
    assert refused[0]["code"] == "type_conflict"
    assert stored("a@example.com", "plan") is None


def test_more_subscribers_than_the_cap_are_refused(rt, settings):
    settings.RETENTLY_MAX_SUBSCRIBERS = 3
    body = {"subscribers": [{"email": f"c{i}@example.com"} for i in range(4)]}

    response = post(rt, body)

    assert response.status_code == 400
    assert "At most 3" in response.json()["message"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"subscribers": {}}, {"subscribers": []}, {"subscribers": [], "extra": 1}, []]
)
def test_malformed_requests_are_400(rt, body):
    response = post(rt, body)

    assert response.status_code == 400
    assert response.json()["code"] == 400


def test_bad_key_is_401_in_retentlys_format(api):
    api.credentials(HTTP_AUTHORIZATION="api_key=ca_00000000_wrong")

    response = post(api, SEED_CREATE)

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized", "code": 401, "data": None}
    assert not Customer.objects.exists()


def test_missing_key_is_401(client, db):
    response = client.post(BASE + "/customers", "{}", content_type="application/json")

    assert response.status_code == 401
    assert response.json()["code"] == 401


def test_survey_upserts_and_records_a_survey_request_each(rt):
    body = {**SEED_CREATE, "campaign": "cmp_1", "delay": 2}
    body["subscribers"] = [*body["subscribers"], {"email": "b@example.com"}]

    response = post(rt, body, "/survey")

    assert response.status_code == 200
    events = Event.objects.filter(name="survey_requested")
    assert events.count() == 2
    assert {e.customer.email for e in events} == {"johnsmith@example.com", "b@example.com"}
    assert events.first().properties == {"campaign": "cmp_1", "delay": 2}
    assert stored("johnsmith@example.com", "subscription_name") == "Free trial"


def test_survey_needs_a_campaign(rt):
    response = post(rt, SEED_CREATE, "/survey")

    assert response.status_code == 400
    assert not Customer.objects.exists()


def test_nps_customers_lists_subscribers_with_properties(rt):
    post(rt, SEED_CREATE)
    post(rt, one("b@example.com", "Seats", {"type": "integer", "value": 4}))

    response = rt.get(BASE + "/nps/customers", {"email": "johnsmith@example.com"})

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["total"] == 1
    subscriber = data["subscribers"][0]
    assert subscriber["email"] == "johnsmith@example.com"
    assert subscriber["tags"] == ["bar", "foo"]
    assert subscriber["properties"] == [
        {
            "label": "Subscription name",
            "name": "subscription_name",
            "type": "string",
            "value": "Free trial",
        }
    ]


def test_nps_customers_pages(rt):
    for n in range(5):
        post(rt, {"subscribers": [{"email": f"c{n}@example.com"}]})

    page2 = rt.get(BASE + "/nps/customers", {"page": 2, "limit": 2}).json()["data"]

    assert page2["total"] == 5
    assert len(page2["subscribers"]) == 2
    assert rt.get(BASE + "/nps/customers", {"limit": 0}).status_code == 400


def test_another_accounts_subscribers_are_invisible(rt, other_api):
    other_api.credentials(HTTP_AUTHORIZATION=f"api_key={other_api.raw_key}")
    post(other_api, SEED_CREATE)

    assert rt.get(BASE + "/nps/customers").json()["data"]["total"] == 0


def test_queries_do_not_grow_with_properties_per_subscriber(rt):
    def queries(properties_each, prefix):
        body = {
            "subscribers": [
                {
                    "email": f"{prefix}{s}@example.com",
                    "properties": [
                        {"label": f"P{i}", "value": "x"} for i in range(properties_each)
                    ],
                }
                for s in range(3)
            ]
        }
        post(rt, body)  # the keys now exist: measure a steady-state update
        with CaptureQueriesContext(connection) as context:
            assert post(rt, body).status_code == 200
        return len(context.captured_queries)

    # Key, definitions, savepoint, upsert customers, upsert values, release: neither
    # subscribers nor properties change it (tests/compat/retently/test_query_budgets.py).
    assert queries(1, "a") == queries(20, "b") == 6
