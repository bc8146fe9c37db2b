"""The official `customerio` Python client pointed at a Customer.io host (COMPAT_HOSTS) with
only its host, port, site id and key changed: no url_prefix, every call it exposes.

Every check reads what was stored through the native API (at 127.0.0.1, which is no vendor
host), or the database where no native endpoint shows it (devices, suppression).
"""

from datetime import UTC, datetime

import pytest
import requests
from customerio import CustomerIO
from customerio.constants import CIOID, EMAIL, ID

from tests.compat.customerio.conftest import VENDOR_HOST


@pytest.fixture
def cio(cio_server):
    with CustomerIO(
        cio_server.site_id, cio_server.key, host=VENDOR_HOST, port=cio_server.port, retries=0
    ) as client:
        yield client


def customer(server, **identifier) -> dict:
    [found] = server.native("/api/customers", identifier)["customers"]
    return found


def events(server, **identifier) -> list[dict]:
    return server.native("/api/events", identifier)["events"]


def test_identify_reaches_api_v1_on_the_vendor_host(cio, cio_server):
    response = cio.identify(id="vh_ann", email="Ann.VH@Example.com", plan="pro", seats=3)

    assert response.status_code == 200
    assert response.url.startswith(f"https://{VENDOR_HOST}:{cio_server.port}/api/v1/customers/")
    stored = customer(cio_server, user_id="vh_ann")
    assert stored["email"] == "ann.vh@example.com"
    assert stored["properties"] == {"plan": "pro", "seats": 3}


def test_identify_with_a_value_of_another_type_answers_200_and_keeps_the_rest(cio, cio_server):
    cio.identify(id="vh_seats", seats=3)

    response = cio.identify(id="vh_seats", seats="unlimited", plan="pro")

    assert response.status_code == 200
    assert customer(cio_server, user_id="vh_seats")["properties"] == {"seats": 3, "plan": "pro"}
    [(value,)] = cio_server.rows(
        "SELECT value FROM customers_dataissue WHERE door = 'customerio' AND key = 'seats'"
    )
    assert value == "unlimited"


def test_track_and_pageview_record_events(cio, cio_server):
    cio.identify(id="vh_track")

    cio.track(customer_id="vh_track", name="purchased", data={"price": 23.45}, id="vh-evt-1")
    cio.pageview(customer_id="vh_track", page="/pricing", referrer="ads")

    recorded = {e["name"]: e for e in events(cio_server, user_id="vh_track")}
    assert recorded["purchased"]["properties"] == {"price": 23.45}
    assert recorded["purchased"]["id"] == "vh-evt-1"
    assert recorded["/pricing"]["source"] == "customerio_page"
    assert recorded["/pricing"]["properties"] == {"referrer": "ads"}


def test_track_anonymous_with_an_id_keeps_the_event_on_the_visitor(cio, cio_server):
    cio.track_anonymous(anonymous_id="vh_anon", name="viewed_pricing", data={"plan": "pro"})

    [event] = events(cio_server, visitor_id="vh_anon")
    assert event["properties"] == {"plan": "pro"}


def test_track_anonymous_without_an_id_keeps_the_event_for_the_account(cio, cio_server):
    cio.track_anonymous(
        anonymous_id=None, name="vh_invite", data={"recipient": "friend@example.com"}
    )

    [event] = cio_server.native("/api/events", {"name": "vh_invite"})["events"]
    assert (event["customer_id"], event["properties"]) == (
        None,
        {"recipient": "friend@example.com"},
    )


def test_identify_with_the_anonymous_id_merges_the_visitor(cio, cio_server):
    cio.track_anonymous(anonymous_id="vh_anon_2", name="viewed_pricing")

    cio.identify(id="vh_known", anonymous_id="vh_anon_2")

    assert [e["name"] for e in events(cio_server, user_id="vh_known")] == ["viewed_pricing"]
    assert customer(cio_server, visitor_id="vh_anon_2")["user_id"] == "vh_known"


def test_backfill_stores_the_event_at_its_time(cio, cio_server):
    cio.identify(id="vh_backfill")

    cio.backfill(
        customer_id="vh_backfill",
        name="signed_up",
        timestamp=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        source="ads",
    )

    [event] = events(cio_server, user_id="vh_backfill")
    assert event["timestamp"] == "2024-01-02T03:04:05+00:00"


def test_delete_twice_answers_200_both_times(cio, cio_server):
    cio.identify(id="vh_delete", plan="pro")

    assert cio.delete(customer_id="vh_delete").status_code == 200
    assert cio.delete(customer_id="vh_delete").status_code == 200

    assert cio_server.native("/api/customers", {"user_id": "vh_delete"})["customers"] == []


def test_add_device_then_delete_device(cio, cio_server):
    cio.identify(id="vh_device")
    person = customer(cio_server, user_id="vh_device")["customer_id"]
    devices = "SELECT token, platform, customer_id FROM customers_device WHERE token = ?"

    cio.add_device(customer_id="vh_device", device_id="vh/tok", platform="ios", last_used=1)
    assert cio_server.rows(devices, ("vh/tok",)) == [("vh/tok", "ios", person)]

    cio.delete_device(customer_id="vh_device", device_id="vh/tok")
    assert cio_server.rows(devices, ("vh/tok",)) == []


def test_suppress_then_unsuppress(cio, cio_server):
    cio.identify(id="vh_suppress")
    suppressed = "SELECT suppressed_at IS NOT NULL FROM customers_customer WHERE user_id = ?"

    cio.suppress(customer_id="vh_suppress")
    assert cio_server.rows(suppressed, ("vh_suppress",)) == [(1,)]

    cio.unsuppress(customer_id="vh_suppress")
    assert cio_server.rows(suppressed, ("vh_suppress",)) == [(0,)]


def test_merge_customers_by_id_email_and_cio_id(cio, cio_server):
    cio.identify(id="vh_primary", plan="pro")
    cio.identify(id="vh_secondary", email="vh.second@example.com", plan="free", seats=2)
    cio.track(customer_id="vh_secondary", name="signed_up")
    cio.identify(id="vh_third", company_size=10)
    third = customer(cio_server, user_id="vh_third")["customer_id"]

    cio.merge_customers(ID, "vh_primary", EMAIL, "vh.second@example.com")
    cio.merge_customers(ID, "vh_primary", CIOID, str(third))

    merged = customer(cio_server, user_id="vh_primary")
    assert merged["email"] == "vh.second@example.com"
    assert merged["properties"] == {"plan": "pro", "seats": 2, "company_size": 10}
    assert [e["name"] for e in events(cio_server, user_id="vh_primary")] == ["signed_up"]
    for gone in ("vh_secondary", "vh_third"):
        assert cio_server.native("/api/customers", {"user_id": gone})["customers"] == []


def test_batch_posts_to_api_v2_batch_on_the_vendor_host(cio, cio_server):
    operations = [
        {
            "type": "person",
            "action": "identify",
            "identifiers": {"id": "vh_batch"},
            "attributes": {"plan": "pro"},
        },
        {
            "type": "person",
            "action": "event",
            "identifiers": {"id": "vh_batch"},
            "name": "paid",
            "attributes": {"amount": 10},
        },
        {"type": "person", "action": "dance", "identifiers": {"id": "vh_batch"}},
    ]

    response = cio.batch(operations)

    assert response.status_code == 207
    assert [e["batch_index"] for e in response.json()["errors"]] == [2]
    assert customer(cio_server, user_id="vh_batch")["properties"] == {"plan": "pro"}
    [event] = events(cio_server, user_id="vh_batch")
    assert event["properties"] == {"amount": 10}


def test_the_native_api_is_not_served_on_the_vendor_host(cio_server):
    response = requests.get(
        f"https://{VENDOR_HOST}:{cio_server.port}/api/customers",
        headers={"X-API-Key": cio_server.key},
        verify=cio_server.ca_file,
        timeout=10,
    )

    assert response.status_code == 404
    assert response.json()["meta"]["errors"]
