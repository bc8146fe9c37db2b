"""Vendor hosts (COMPAT_HOSTS): each serves one vendor's API at its own root paths, only that."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from customers.models import Customer
from tests.compat.customerio.helpers import errors, ok, send
from tests.stored import values_of

HOSTS = {
    "track.example.com": "customerio",
    "hc.example.com": "helpcrunch",
    "rt.example.com": "retently",
}
SETTINGS = Path(__file__).resolve().parents[3] / "config" / "settings.py"
TRACK = {"HTTP_HOST": "track.example.com"}


@pytest.fixture(autouse=True)
def vendor_hosts(settings):
    settings.COMPAT_HOSTS = HOSTS
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *HOSTS]


def test_a_customerio_host_serves_track_v1_at_api_v1(track):
    ok(send(track, "put", "/api/v1/customers/ann", {"plan": "pro"}, **TRACK))
    ok(send(track, "post", "/api/v1/customers/ann/events", {"name": "paid"}, **TRACK))

    assert values_of(Customer.objects.get(user_id="ann")) == {"plan": "pro"}


def test_a_customerio_host_serves_track_v2_at_api_v2(track):
    op = {"type": "person", "action": "identify", "identifiers": {"id": "ann"}}

    response = send(track, "post", "/api/v2/batch", {"batch": [op]}, **TRACK)

    assert response.status_code == 200, response.content
    assert Customer.objects.filter(user_id="ann").exists()


@pytest.mark.parametrize(
    "path",
    ["/api/properties", "/api/customers", "/compat/customerio/api/v1/customers/ann", "/healthz"],
)
def test_a_customerio_host_serves_nothing_else_and_says_so_in_its_format(track, path):
    [message] = errors(send(track, "get", path, **TRACK), 404)

    assert path in message


def test_a_customerio_host_refuses_an_oversized_body_in_its_format(track, settings):
    settings.CONTACTS_MAX_BODY_BYTES = 100

    errors(send(track, "put", "/api/v1/customers/ann", {"bio": "x" * 500}, **TRACK), 413)


def test_a_customerio_host_refuses_bad_credentials_in_its_format(client, db):
    errors(send(client, "put", "/api/v1/customers/ann", {}, **TRACK), 401)


def test_the_native_api_is_still_served_on_other_hosts(track, api):
    ok(send(track, "put", "/compat/customerio/api/v1/customers/ann", {"plan": "pro"}))

    response = api.get("/api/customers", {"user_id": "ann"})
    assert response.status_code == 200
    assert response.json()["customers"][0]["properties"] == {"plan": "pro"}


def test_a_helpcrunch_host_serves_its_api_at_v1(api, account):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api.raw_key}")

    created = send(api, "post", "/v1/customers", {"userId": "u1"}, HTTP_HOST="hc.example.com")
    assert created.status_code in (200, 201), created.content
    assert Customer.objects.filter(user_id="u1").exists()

    missing = send(api, "get", "/api/v1/customers/ann", HTTP_HOST="hc.example.com")
    assert missing.status_code == 404
    assert "errors" in missing.json()


def test_a_retently_host_serves_its_api_at_api_v2(api):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")

    body = {"subscribers": [{"email": "ann@example.com"}]}
    response = send(api, "post", "/api/v2/customers", body, HTTP_HOST="rt.example.com")
    assert response.status_code == 200, response.content
    assert Customer.objects.filter(email="ann@example.com").exists()

    missing = send(api, "get", "/v1/customers", HTTP_HOST="rt.example.com")
    assert missing.status_code == 404
    assert missing.json()["code"] == 404


def test_an_unknown_host_is_still_refused(api):
    assert api.get("/api/customers", HTTP_HOST="evil.example.com").status_code == 400


def settings_with(monkeypatch, **env) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    return runpy.run_path(str(SETTINGS))


def test_compat_hosts_are_read_from_the_environment_and_allowed(monkeypatch):
    served = settings_with(
        monkeypatch, COMPAT_HOSTS=" Track.Example.com=customerio , hc.example.com=HelpCrunch"
    )

    assert served["COMPAT_HOSTS"] == {
        "track.example.com": "customerio",
        "hc.example.com": "helpcrunch",
    }
    assert {"track.example.com", "hc.example.com"} <= set(served["ALLOWED_HOSTS"])


@pytest.mark.parametrize(
    ("value", "named"), [("x.example.com=zendesk", "'zendesk'"), ("x.example.com", "''")]
)
def test_compat_hosts_naming_an_unknown_vendor_refuse_to_start(monkeypatch, value, named):
    with pytest.raises(ImproperlyConfigured) as caught:
        settings_with(monkeypatch, COMPAT_HOSTS=value)

    assert str(caught.value).startswith(f"COMPAT_HOSTS maps x.example.com to {named}")
