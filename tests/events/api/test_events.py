import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, PropertyDefinition, PropertyValue
from events.models import Event
from tests.factories import make_definition

URL = "/api/events"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def event_body(**overrides):
    body = {
        "id": "7f0b3c1e-0000-4000-8000-000000000001",
        "name": "order_shipped",
        "source": "shopify",
        "timestamp": "2026-06-01T12:00:00Z",
        "customer": {"external_id": "cust_1", "properties": {"first_name": "Ann"}},
        "properties": {"order_id": "A-1", "total": 99.5, "items": [{"sku": "x"}]},
    }
    body.update(overrides)
    return body


def assert_refused(response, fragment):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == "error"
    assert fragment in json.dumps(body["error"]), body
    assert not Event.objects.exists()
    assert not Customer.objects.exists()
    assert not PropertyValue.objects.exists()


def test_new_event_is_201_and_writes_event_and_profile(api, account):
    response = post(api, event_body())

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "created"
    assert body["event"]["id"] == "7f0b3c1e-0000-4000-8000-000000000001"
    assert body["event"]["timestamp"] == "2026-06-01T12:00:00+00:00"
    event = Event.objects.get()
    assert event.properties == {"order_id": "A-1", "total": 99.5, "items": [{"sku": "x"}]}
    assert event.source == "shopify"
    customer = Customer.objects.get(account=account, user_id="cust_1")
    assert event.customer == customer
    value = PropertyValue.objects.get(customer=customer, definition__key="first_name")
    assert value.value_text == "Ann"


def test_same_id_replaces_the_event_with_200(api):
    post(api, event_body())

    response = post(api, event_body(name="order_delivered", properties={"late": True}))

    assert response.status_code == 200
    assert response.json()["status"] == "replaced"
    event = Event.objects.get()
    assert (event.name, event.properties) == ("order_delivered", {"late": True})


def test_missing_timestamp_and_id_mean_now_and_a_new_id(api):
    body = event_body()
    del body["timestamp"], body["id"]

    first = post(api, body)
    second = post(api, body)

    assert first.status_code == second.status_code == 201
    assert Event.objects.count() == 2
    assert first.json()["event"]["id"] != second.json()["event"]["id"]


@pytest.mark.parametrize(
    ("customer", "field"),
    [
        ({"email": "Ann@Example.com"}, "email"),
        ({"phone_number": "+14155550123"}, "phone"),
    ],
)
def test_customer_identified_by_email_or_phone_alone(api, customer, field):
    response = post(api, event_body(customer=customer))

    assert response.status_code == 201
    stored = Customer.objects.get()
    assert getattr(stored, field) == next(iter(customer.values())).lower()


def test_external_id_with_email_keeps_both_on_the_profile(api):
    customer = {"external_id": "cust_9", "email": "z@example.com", "phone_number": "+442071838750"}

    post(api, event_body(customer=customer))

    stored = Customer.objects.get()
    assert (stored.user_id, stored.email, stored.phone) == (
        "cust_9",
        "z@example.com",
        "+442071838750",
    )


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"name": "OrderShipped"}, "snake_case"),
        ({"name": "order shipped"}, "snake_case"),
        ({"name": "a" * 256}, "255"),
        ({"name": ""}, "name"),
        ({"source": ""}, "source"),
        ({"source": "Shopify App"}, "snake_case"),
        ({"timestamp": "yesterday"}, "ISO 8601"),
        ({"timestamp": "12/31/2019"}, "ISO 8601"),
        ({"customer": {"phone_number": "0044 20 7183 8750"}}, "E.164"),
        ({"customer": {"phone_number": "+1", "email": "a@example.com"}}, "not both"),
        ({"customer": {"phone_number": "+14155550123", "email": "a@example.com"}}, "not both"),
        ({"customer": {}}, "external_id"),
        ({"customer": {"external_id": "c", "properties": {"plan": None}}}, "null"),
        ({"customer": {"external_id": "c", "properties": {"plan tier": "x"}}}, "underscores"),
        ({"customer": {"external_id": "c", "properties": {"plan": {"a": 1}}}}, "primitives"),
        ({"customer": {"external_id": "c", "nickname": "x"}}, "nickname"),
        ({"colour": "red"}, "colour"),
        ({"id": "x" * 256}, "255"),
    ],
)
def test_invalid_events_are_refused_and_write_nothing(api, overrides, fragment):
    assert_refused(post(api, event_body(**overrides)), fragment)


def test_customer_property_of_wrong_type_refuses_the_whole_event(api, account):
    make_definition(account, "seats", "integer")

    response = post(api, event_body(customer={"external_id": "c", "properties": {"seats": 2.5}}))

    assert response.status_code == 400
    assert not Event.objects.exists()
    assert not Customer.objects.exists()


def test_customer_property_keys_are_normalized(api):
    post(api, event_body(customer={"external_id": "c", "properties": {"lastOrderId": "A-1"}}))

    assert PropertyDefinition.objects.filter(key="last_order_id").exists()


def test_recording_an_event_with_n_customer_properties_runs_fixed_queries(api):
    post(api, event_body(id="warm", customer={"external_id": "c", "properties": {"p0": "x"}}))

    def queries(n, event_id):
        props = {f"{event_id}_p{i}": f"v{i}" for i in range(n)}
        body = event_body(id=event_id, customer={"external_id": "c", "properties": props})
        with CaptureQueriesContext(connection) as context:
            assert post(api, body).status_code == 201
        return len(context.captured_queries)

    # key, customer, definitions, count, insert, read back, upsert values, touch customer,
    # event exists?, upsert event, and three savepoint pairs (track, profile, properties).
    assert queries(1, "e1") == queries(30, "e30") == 16


# --- GET


@pytest.fixture
def history(api):
    post(api, event_body(id="e1", name="signed_up", timestamp="2026-01-01T00:00:00Z"))
    post(api, event_body(id="e2", name="order_shipped", timestamp="2026-02-01T00:00:00Z"))
    post(
        api,
        event_body(id="e3", name="order_shipped", source="pos", timestamp="2026-03-01T00:00:00Z"),
    )
    post(
        api,
        event_body(id="e4", customer={"external_id": "other"}, timestamp="2026-04-01T00:00:00Z"),
    )


def ids(response):
    assert response.status_code == 200, response.content
    return [e["id"] for e in response.json()["events"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["e4", "e3", "e2", "e1"]),
        ({"user_id": "cust_1"}, ["e3", "e2", "e1"]),
        ({"name": "order_shipped"}, ["e4", "e3", "e2"]),
        ({"source": "pos"}, ["e3"]),
        ({"after": "2026-02-01T00:00:00Z", "before": "2026-04-01T00:00:00Z"}, ["e3", "e2"]),
        ({"user_id": "cust_1", "limit": 2}, ["e3", "e2"]),
    ],
)
def test_list_events_newest_first_with_filters(api, history, params, expected):
    assert ids(api.get(URL, params)) == expected


def test_list_pages_through_with_cursor(api, history):
    first = api.get(URL, {"limit": 3}).json()
    second = api.get(first["next"]).json()

    assert [e["id"] for e in first["events"] + second["events"]] == ["e4", "e3", "e2", "e1"]
    assert second["next"] is None


def test_list_for_unknown_customer_is_404(api, history):
    assert api.get(URL, {"user_id": "nobody"}).status_code == 404


def test_list_with_bad_time_filter_is_400(api, history):
    assert api.get(URL, {"after": "soon"}).status_code == 400


def test_other_accounts_events_are_invisible(api, other_api, history):
    assert ids(other_api.get(URL)) == []
    assert other_api.get(URL, {"user_id": "cust_1"}).status_code == 404


def test_listing_events_runs_fixed_queries(api):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert api.get(URL, {"user_id": "cust_1"}).status_code == 200
        return len(context.captured_queries)

    post(api, event_body(id="first"))
    few = queries()
    for n in range(20):
        post(api, event_body(id=f"e{n}"))

    # key, customer, one page of events with their customers.
    assert queries() == few == 3
