import json

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from customers.models import ApiKey, Customer, PropertyDefinition, PropertyValue
from customers.services import Actor, api_key_revoke

URL = "/api/customers/properties"


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["status"] == "error"
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def assert_nothing_written():
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()
    assert not PropertyValue.objects.exists()


# --- authentication


def test_missing_key_is_401(db):
    response = APIClient().get(URL, {"email": "a@example.com"})

    error = assert_error(response, 401, "unauthorized")
    assert "X-API-Key" in error["message"]


def test_bad_key_is_401(account):
    client = APIClient(HTTP_X_API_KEY="ca_deadbeef_not-a-real-secret")

    assert_error(client.get(URL, {"email": "a@example.com"}), 401, "unauthorized")


def test_key_with_right_prefix_and_wrong_secret_is_401(api):
    forged = api.raw_key[:-4] + "AAAA"
    client = APIClient(HTTP_X_API_KEY=forged)

    assert_error(client.get(URL, {"email": "a@example.com"}), 401)


def test_revoked_key_is_401_and_writes_nothing(api):
    api_key_revoke(api_key=api.api_key, actor=Actor(system="tests"))

    response = api.put(
        URL,
        json.dumps({"email": "a@example.com", "properties": {"x": 1}}),
        content_type="application/json",
    )

    assert_error(response, 401)
    assert_nothing_written()


def test_key_is_stored_hashed_only(api):
    stored = ApiKey.objects.get(pk=api.api_key.pk)

    assert api.raw_key not in (stored.key_hash, stored.prefix, stored.name)
    assert len(stored.key_hash) == 64


def test_last_used_at_is_written_once_per_period_not_per_request(api, account):
    api.get("/api/properties")
    first = ApiKey.objects.get(pk=api.api_key.pk).last_used_at
    assert first is not None

    api.get("/api/properties")

    assert ApiKey.objects.get(pk=api.api_key.pk).last_used_at == first


def test_last_used_at_is_refreshed_after_the_period(api):
    ApiKey.objects.filter(pk=api.api_key.pk).update(
        last_used_at=timezone.now() - timezone.timedelta(hours=1)
    )

    api.get("/api/properties")

    refreshed = ApiKey.objects.get(pk=api.api_key.pk).last_used_at
    assert timezone.now() - refreshed < timezone.timedelta(minutes=1)


# --- malformed requests


def test_malformed_json_is_400_and_writes_nothing(api):
    response = api.put(
        URL, '{"email": "a@example.com", "properties": {', content_type="application/json"
    )

    assert_error(response, 400, "invalid_json")
    assert_nothing_written()


def test_nan_literal_is_refused(api):
    response = api.put(
        URL,
        '{"email": "a@example.com", "properties": {"x": NaN}}',
        content_type="application/json",
    )

    assert_error(response, 400, "invalid_json")
    assert_nothing_written()


def test_wrong_content_type_is_415(api):
    response = api.put(
        URL, "email=a@example.com&properties=x", content_type="application/x-www-form-urlencoded"
    )

    error = assert_error(response, 415, "unsupported_media_type")
    assert "application/json" in error["message"]
    assert_nothing_written()


@pytest.mark.parametrize(
    "body",
    [
        {"email": "a@example.com", "properties": {"x": "a\u0000b"}},
        {"email": "a@example.com", "properties": {"x\u0000": "a"}},
        {"email": "a\u0000@example.com", "properties": {"x": "a"}},
    ],
)
def test_nul_characters_are_refused(api, body):
    response = api.put(URL, json.dumps(body), content_type="application/json")

    error = assert_error(response, 400)
    assert "NUL" in error["message"]
    assert_nothing_written()


@pytest.mark.parametrize(
    "url",
    [
        URL + "?visitor_id=a%00b",
        "/api/customers?q=a%00b",
        "/api/customers?tag=%00",
        "/api/customers?plan%00=x",
        "/api/properties?status=%00",
    ],
)
def test_nul_in_query_string_is_refused(api, url):
    error = assert_error(api.get(url), 400)

    assert "NUL" in error["message"]


@pytest.mark.parametrize("value", ["1" * 5000, "99999999999999999999", "0"])
def test_out_of_range_customer_id_is_400(api, value):
    assert_error(api.get(URL, {"customer_id": value}), 400, "invalid_identifier")


@override_settings(CONTACTS_MAX_BODY_BYTES=1000)
def test_oversized_body_is_413_and_writes_nothing(api):
    body = {"email": "a@example.com", "properties": {"x": "y" * 2000}}

    response = api.put(URL, json.dumps(body), content_type="application/json")

    error = assert_error(response, 413, "payload_too_large")
    assert "1000" in error["message"]
    assert_nothing_written()


def test_unknown_top_level_field_is_refused(api):
    body = {"email": "a@example.com", "properties": {"x": 1}, "propertes": {}}

    response = api.put(URL, json.dumps(body), content_type="application/json")

    error = assert_error(response, 400, "invalid_input")
    assert "propertes" in error["message"]
    assert_nothing_written()


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"email": "a@example.com"},
        {"email": "a@example.com", "properties": []},
        {"email": "a@example.com", "properties": {}},
        {"email": "a@example.com", "properties": {"x": {"value": 1, "extra": 2}}},
        {"email": "a@example.com", "properties": {"x": {"type": "text"}}},
    ],
)
def test_wrong_shapes_are_400(api, body):
    response = api.put(URL, json.dumps(body), content_type="application/json")

    assert_error(response, 400)
    assert_nothing_written()


def test_deeply_nested_json_is_400(api):
    body = '{"email": "a@example.com", "properties": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"

    response = api.put(URL, body, content_type="application/json")

    assert_error(response, 400)
    assert_nothing_written()


def test_unknown_endpoint_is_json_404(api):
    assert_error(api.get("/api/nothing-here"), 404, "not_found")


def test_wrong_method_is_405_in_the_error_shape(api):
    assert_error(api.post(URL, "{}", content_type="application/json"), 405, "method_not_allowed")


@override_settings(API_RATE_LIMIT="2/min")
def test_rate_limit_is_429_with_retry_after(api):
    cache.clear()

    responses = [api.get("/api/properties") for _ in range(3)]

    assert [r.status_code for r in responses[:2]] == [200, 200]
    assert_error(responses[2], 429, "rate_limited")
    assert int(responses[2]["Retry-After"]) > 0


def test_healthz_answers_without_the_database(client):
    # No db fixture: any query would raise here.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_lone_surrogate_is_refused(api):
    body = '{"email": "a@example.com", "properties": {"x": "\\ud800"}}'

    response = api.put(URL, body, content_type="application/json")

    assert_error(response, 400)
    assert_nothing_written()
