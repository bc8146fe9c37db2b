"""Bodies as gunicorn hands them over: chunked, empty, over the limit; each door's format."""

import base64
import io
import json

import pytest
from django.test import override_settings

from customers.models import Customer
from tests.factories import make_customer
from tests.stored import values_of

CHUNKED = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"}


def dechunked(raw: bytes, *, terminated: bool = True) -> dict:
    """Return the WSGI environ gunicorn gives a chunked request: no Content-Length, and
    the de-chunked body readable to its end."""
    return {**CHUNKED, "wsgi.input": io.BytesIO(raw), "wsgi.input_terminated": terminated}


def chunked(client, method, path, body, *, terminated=True):
    """Send `body` as gunicorn passes on a chunked request."""
    raw = json.dumps(body).encode()
    return client.generic(
        method, path, raw, content_type="application/json", **dechunked(raw, terminated=terminated)
    )


@pytest.fixture
def doors(api, account):
    """One client per door, each holding the account's key the way that door expects it."""
    from rest_framework.test import APIClient

    basic = base64.b64encode(f"{account.site_id}:{api.raw_key}".encode()).decode()
    clients = {
        "native": APIClient(HTTP_X_API_KEY=api.raw_key),
        "customerio": APIClient(HTTP_AUTHORIZATION=f"Basic {basic}"),
        "retently": APIClient(HTTP_AUTHORIZATION=f"api_key={api.raw_key}"),
        "helpcrunch": APIClient(HTTP_AUTHORIZATION=f"Bearer {api.raw_key}"),
    }
    return clients


def test_chunked_native_put_is_stored(doors, account):
    body = {"email": "ann@example.com", "properties": {"plan": "pro"}}
    response = chunked(doors["native"], "PUT", "/api/customers/properties", body)
    assert response.status_code == 200, response.content
    customer = Customer.objects.get(account=account, email="ann@example.com")
    assert values_of(customer) == {"plan": "pro"}


def test_chunked_customerio_identify_is_stored(doors, account):
    response = chunked(doors["customerio"], "PUT", "/compat/customerio/api/v1/customers/u1", {
        "email": "ann@example.com", "plan": "pro"
    })  # fmt: skip
    assert response.status_code == 200, response.content
    assert values_of(Customer.objects.get(account=account, user_id="u1")) == {"plan": "pro"}


def test_chunked_helpcrunch_put_replaces_with_the_body_sent(doors, account):
    customer = make_customer(account, "ann@example.com", {"plan": "basic"})
    body = {"email": "ann@example.com", "name": "Ann", "customData": [
        {"property": "plan", "value": "pro"}
    ]}  # fmt: skip
    path = f"/compat/helpcrunch/v1/customers/{customer.pk}"
    response = chunked(doors["helpcrunch"], "PUT", path, body)
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert (customer.email, customer.name) == ("ann@example.com", "Ann")
    assert values_of(customer) == {"plan": "pro"}


def test_chunked_definition_patch_is_stored(doors, account):
    doors["native"].post("/api/properties", {"key": "plan", "type": "text"}, format="json")
    response = chunked(doors["native"], "PATCH", "/api/properties/plan", {"label": "Plan tier"})
    assert response.status_code == 200, response.content
    assert response.json()["property"]["label"] == "Plan tier"
    assert doors["native"].get("/api/properties/plan").json()["property"]["label"] == "Plan tier"


def test_chunked_body_a_server_did_not_dechunk_is_411(doors, account):
    body = {"email": "ann@example.com", "properties": {"plan": "pro"}}
    response = chunked(doors["native"], "PUT", "/api/customers/properties", body, terminated=False)
    assert response.status_code == 411
    assert response.json()["error"]["code"] == "length_required"
    assert not Customer.objects.filter(account=account).exists()


@pytest.mark.parametrize("body", [b"", b"  \n"])
def test_empty_helpcrunch_put_is_400_and_wipes_nothing(doors, account, body):
    customer = make_customer(account, "ann@example.com", {"plan": "basic"})
    Customer.objects.filter(pk=customer.pk).update(first_name="Ann")
    response = doors["helpcrunch"].generic(
        "PUT", f"/compat/helpcrunch/v1/customers/{customer.pk}", body,
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400, response.content
    assert response.json()["errors"][1]["code"] == "body"
    customer.refresh_from_db()
    assert (customer.email, customer.first_name) == ("ann@example.com", "Ann")
    assert values_of(customer) == {"plan": "basic"}


@pytest.mark.parametrize(
    ("door", "method", "path"),
    [
        ("native", "PUT", "/api/customers/properties"),
        ("native", "PATCH", "/api/customers/properties/plan"),
        ("native", "POST", "/api/properties"),
        ("native", "PATCH", "/api/properties/plan"),
        ("native", "POST", "/api/events"),
        ("customerio", "PUT", "/compat/customerio/api/v1/customers/u1"),
        ("customerio", "POST", "/compat/customerio/api/v1/customers/u1/events"),
        ("customerio", "POST", "/compat/customerio/api/v1/events"),
        ("retently", "POST", "/compat/retently/api/v2/customers"),
        ("helpcrunch", "POST", "/compat/helpcrunch/v1/customers"),
        ("helpcrunch", "PATCH", "/compat/helpcrunch/v1/customers/{pk}"),
        ("helpcrunch", "PUT", "/compat/helpcrunch/v1/customers/batch"),
    ],
)
def test_missing_body_on_a_write_is_400_and_changes_nothing(doors, account, door, method, path):
    customer = make_customer(account, "ann@example.com", {"plan": "basic"})
    doors["native"].post("/api/properties", {"key": "plan", "type": "text"}, format="json")
    response = doors[door].generic(method, path.format(pk=customer.pk))
    assert response.status_code == 400, response.content
    assert values_of(customer) == {"plan": "basic"}
    assert Customer.objects.filter(account=account).count() == 1


OVER = b'{"email": "ann@example.com", "properties": {"plan": "' + b"x" * 300 + b'"}}'


@override_settings(CONTACTS_MAX_BODY_BYTES=200)
@pytest.mark.parametrize(
    ("door", "method", "path", "message_of"),
    [
        ("native", "PUT", "/api/customers/properties", lambda b: b["error"]["message"]),
        ("customerio", "PUT", "/compat/customerio/api/v1/customers/u1",
         lambda b: b["meta"]["errors"][0]),
        ("retently", "POST", "/compat/retently/api/v2/customers", lambda b: b["message"]),
        ("helpcrunch", "POST", "/compat/helpcrunch/v1/customers",
         lambda b: b["errors"][1]["message"]),
    ],
)  # fmt: skip
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_body_over_the_limit_is_413_in_the_doors_format(
    doors, account, door, method, path, message_of, framing
):
    extra = dechunked(OVER) if framing == "chunked" else {}
    response = doors[door].generic(method, path, OVER, content_type="application/json", **extra)
    assert response.status_code == 413, response.content
    assert "over 200 bytes" in message_of(response.json())
    assert not Customer.objects.filter(account=account).exists()


@pytest.mark.parametrize(
    ("door", "method", "path"),
    [
        ("native", "PUT", "/api/customers/properties"),
        ("native", "POST", "/api/events"),
        ("customerio", "PUT", "/compat/customerio/api/v1/customers/u1"),
        ("customerio", "POST", "/compat/customerio/api/v1/customers/u1/events"),
        ("customerio", "POST", "/compat/customerio/api/v1/events"),
        ("helpcrunch", "POST", "/compat/helpcrunch/v1/customers"),
        ("helpcrunch", "PUT", "/compat/helpcrunch/v1/customers/batch"),
        ("retently", "POST", "/compat/retently/api/v2/customers"),
    ],
)
def test_lone_surrogate_in_a_key_is_400_not_500(doors, account, door, method, path):
    raw = b'{"email": "ann@example.com", "properties": {"k\\ud800": "v"}, "name": "x"}'
    response = doors[door].generic(method, path, raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "\\ud800" in response.content.decode()
    assert not Customer.objects.filter(account=account).exists()


def test_non_finite_number_in_customerio_event_data_is_400(doors, account):
    raw = b'{"name": "purchase", "data": {"price": 1e400}}'
    response = doors["customerio"].generic(
        "POST", "/compat/customerio/api/v1/customers/u1/events", raw,
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400, response.content
    assert "out of range" in response.json()["meta"]["errors"][0]
    assert not Customer.objects.filter(account=account).exists()


def test_non_finite_label_is_refused_and_the_label_kept(doors, account):
    doors["native"].post(
        "/api/properties", {"key": "k", "type": "text", "label": "K"}, format="json"
    )
    response = doors["native"].generic(
        "PATCH", "/api/properties/k", b'{"label": 1e400}', content_type="application/json"
    )
    assert response.status_code == 400
    assert doors["native"].get("/api/properties/k").json()["property"]["label"] == "K"


def test_customerio_form_with_invalid_utf8_is_refused_like_json(doors, account):
    response = doors["customerio"].generic(
        "PUT", "/compat/customerio/api/v1/customers/u1", b"email=ann%40example.com&city=%FF",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 400, response.content
    assert "UTF-8" in response.json()["meta"]["errors"][0]
    assert not Customer.objects.filter(account=account).exists()


def test_duplicate_keys_are_refused_on_every_door(doors, account):
    raw = b'{"email": "ann@example.com", "properties": {"plan": "a", "plan": "b"}}'
    response = doors["native"].generic(
        "PUT", "/api/customers/properties", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert "'plan' appears twice" in response.json()["error"]["message"]
    raw = b'{"email": "ann@example.com", "plan": "a", "plan": "b"}'
    response = doors["customerio"].generic(
        "PUT", "/compat/customerio/api/v1/customers/u1", raw, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Customer.objects.filter(account=account).exists()
