"""The official `customerio` Python client, unchanged, against gunicorn over HTTPS (seed 003).

Every write goes through the client; every check reads the native API over HTTP.
"""

import os
from datetime import UTC, datetime

import pytest
import requests
from customerio import CustomerIO, CustomerIOException

PREFIX = "/compat/customerio/api/v1"
# The client's message is "<status>: <url> <data> <body>"; the body is Customer.io's error format.
REFUSED = r'^401: .*\{"meta":\s*\{"errors":\s*\["'


def client(server, site_id=None, key=None) -> CustomerIO:
    return CustomerIO(
        server.site_id if site_id is None else site_id,
        server.key if key is None else key,
        host="127.0.0.1",
        port=server.port,
        url_prefix=PREFIX,
        retries=0,
    )


@pytest.fixture
def cio(cio_server):
    with client(cio_server) as cio:
        yield cio


def the_customer(server, user_id: str) -> dict:
    customers = server.native("/api/customers", {"user_id": user_id})["customers"]
    assert len(customers) == 1, customers
    return customers[0]


def events_of(server, **identifier) -> list[dict]:
    return server.native("/api/events", identifier)["events"]


# --- the harness itself


def test_server_answers_healthz_and_the_native_api_over_verified_https(cio_server):
    health = requests.get(cio_server.url + "/healthz", verify=cio_server.ca_file, timeout=10)
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}

    assert cio_server.get("/api/properties").status_code == 200
    assert cio_server.get("/api/properties", headers={"X-API-Key": "ca_0_no"}).status_code == 401

    # TLS is verified, not skipped: a public CA bundle refuses the test certificate, and
    # default verification (what the official client does) trusts it only through
    # REQUESTS_CA_BUNDLE.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(cio_server.url + "/healthz", verify=requests.certs.where(), timeout=10)
    assert os.environ["REQUESTS_CA_BUNDLE"] == cio_server.ca_file
    assert requests.get(cio_server.url + "/healthz", timeout=10).status_code == 200


# --- identify


def test_identify_creates_the_customer_with_a_lowercased_email_and_typed_properties(
    cio, cio_server
):
    response = cio.identify(
        id="usr_identify", email="Ann@Example.com", plan="premium", seats=3, trial=True
    )

    assert response.status_code == 200
    assert response.json() == {}
    customer = the_customer(cio_server, "usr_identify")
    assert customer["email"] == "ann@example.com"
    assert customer["properties"] == {"plan": "premium", "seats": 3, "trial": True}


def test_identify_with_an_empty_value_unassigns_the_property_from_that_customer_only(
    cio, cio_server
):
    cio.identify(id="usr_unassign", plan="premium", seats=3)
    cio.identify(id="usr_unassign_other", plan="pro")

    cio.identify(id="usr_unassign", plan="")

    assert the_customer(cio_server, "usr_unassign")["properties"] == {"seats": 3}
    keys = {
        p["key"]
        for p in cio_server.native("/api/customers/properties", {"user_id": "usr_unassign"})[
            "properties"
        ]
    }
    assert keys == {"seats"}
    assert the_customer(cio_server, "usr_unassign_other")["properties"] == {"plan": "pro"}


# --- track


def test_track_records_the_event_and_the_same_id_replaces_it(cio, cio_server):
    cio.identify(id="usr_track")

    response = cio.track(
        customer_id="usr_track", name="purchased", data={"price": 23.45}, id="evt-1"
    )

    assert response.status_code == 200
    assert response.json() == {}
    [event] = events_of(cio_server, user_id="usr_track")
    assert event["id"] == "evt-1"
    assert event["name"] == "purchased"
    assert event["properties"] == {"price": 23.45}

    cio.track(customer_id="usr_track", name="purchased", data={"price": 9, "qty": 2}, id="evt-1")

    events = events_of(cio_server, user_id="usr_track")
    assert [e["id"] for e in events] == ["evt-1"]
    assert events[0]["properties"] == {"price": 9, "qty": 2}


def test_track_anonymous_keeps_the_event_on_the_visitor(cio, cio_server):
    cio.track_anonymous(anonymous_id="anon_42", name="viewed_pricing", data={"plan": "pro"})

    [event] = events_of(cio_server, visitor_id="anon_42")
    assert event["name"] == "viewed_pricing"
    assert event["properties"] == {"plan": "pro"}


def test_backfill_stores_the_event_at_the_given_time(cio, cio_server):
    cio.identify(id="usr_backfill")

    cio.backfill(
        customer_id="usr_backfill",
        name="signed_up",
        timestamp=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        source="ads",
    )

    [event] = events_of(cio_server, user_id="usr_backfill")
    assert event["name"] == "signed_up"
    assert event["timestamp"] == "2024-01-02T03:04:05+00:00"
    assert event["properties"] == {"source": "ads"}


# --- delete


def test_delete_removes_the_customer_and_their_events(cio, cio_server):
    cio.identify(id="usr_delete", plan="pro")
    cio.track(customer_id="usr_delete", name="purchased", data={"price": 1})
    assert len(events_of(cio_server, user_id="usr_delete")) == 1

    response = cio.delete(customer_id="usr_delete")

    assert response.status_code == 200
    customers = cio_server.native("/api/customers", {"user_id": "usr_delete"})["customers"]
    assert customers == []
    events = cio_server.get("/api/events", {"user_id": "usr_delete"})
    assert events.status_code == 404, events.text
    assert events.json()["status"] == "error"


# --- credentials


def test_a_wrong_api_key_is_refused_with_401_and_writes_nothing(cio_server):
    with (
        client(cio_server, key="ca_00000000_wrong") as cio,
        pytest.raises(CustomerIOException, match=REFUSED),
    ):
        cio.identify(id="usr_wrong_key", email="wrong-key@example.com")

    assert cio_server.native("/api/customers", {"user_id": "usr_wrong_key"})["customers"] == []


def test_a_right_key_with_another_site_id_is_refused_with_401(cio_server):
    with (
        client(cio_server, site_id="0000000000wrongsite0") as cio,
        pytest.raises(CustomerIOException, match=REFUSED),
    ):
        cio.identify(id="usr_wrong_site", plan="pro")

    assert cio_server.native("/api/customers", {"user_id": "usr_wrong_site"})["customers"] == []
