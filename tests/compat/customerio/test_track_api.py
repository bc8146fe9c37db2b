"""Customer.io Track v1 (seed 003): the seed's curl examples and every rule of the adapter."""

import base64
import json
import shlex
import shutil
import subprocess

import pytest

from customers.models import Customer, DataIssue, PropertyDefinition, PropertyValue
from events.models import Event
from tests.compat.customerio.helpers import errors
from tests.factories import make_definition
from tests.stored import values_of

BASE = "/compat/customerio/api/v1"
SEED_HOST = "https://track.customer.io/api"

# Verbatim from the seed.
SEED_EVENT = """curl -i https://track.customer.io/api/v1/customers/5/events \\
-u YOUR-SITE-ID-HERE:YOUR-SECRET-API-KEY-HERE \\
-d name=eventName"""
SEED_IDENTIFY = """curl -i https://track.customer.io/api/v1/customers/5 \\
-X PUT \\
-u YOUR-SITE-ID-HERE:YOUR-SECRET-API-KEY-HERE \\
-d email=customer@example.com \\
-d name=Bob \\
-d plan=premium"""
SEED_DELETE = """curl -i https://track.customer.io/api/v1/customers/5 \\
-X DELETE \\
-u YOUR-SITE-ID-HERE:YOUR-SECRET-API-KEY-HERE"""
SEED_PURCHASE = """curl -i https://track.customer.io/api/v1/customers/5/events \\
-u YOUR-SITE-ID-HERE:YOUR-SECRET-API-KEY-HERE \\
-d name=purchased \\
-d data[price]=23.45"""


def basic(site_id, key):
    return "Basic " + base64.b64encode(f"{site_id}:{key}".encode()).decode()


@pytest.fixture
def cio(api, account):
    api.credentials(HTTP_AUTHORIZATION=basic(account.site_id, api.raw_key))
    return api


# --- the seed's curl examples, with real curl


def curl(example, *, host, site_id, key):
    command = example.replace(SEED_HOST, host + "/compat/customerio/api")
    command = command.replace("YOUR-SITE-ID-HERE", site_id).replace("YOUR-SECRET-API-KEY-HERE", key)
    args = shlex.split(command.replace("\\\n", " "))
    args = [a for a in args if a != "-i"]
    args[1:1] = ["-sS", "-g", "-w", "\n%{http_code}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=30, check=True)
    body, _, status = result.stdout.rpartition("\n")
    return int(status), json.loads(body)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_seed_curl_examples_work(live_server, api, account):
    env = {"host": live_server.url, "site_id": account.site_id, "key": api.raw_key}

    assert curl(SEED_IDENTIFY, **env) == (200, {})
    customer = Customer.objects.get(account=account, user_id="5")
    assert customer.email == "customer@example.com"
    assert values_of(customer) == {"name": "Bob", "plan": "premium"}

    assert curl(SEED_EVENT, **env) == (200, {})
    assert curl(SEED_PURCHASE, **env) == (200, {})
    events = {e.name: e for e in Event.objects.filter(customer=customer)}
    assert set(events) == {"eventName", "purchased"}
    assert events["purchased"].properties == {"price": "23.45"}

    assert curl(SEED_DELETE, **env) == (200, {})
    assert not Customer.objects.filter(user_id="5").exists()
    assert not Event.objects.exists()
    assert not PropertyValue.objects.exists()
    assert PropertyDefinition.objects.filter(key="plan").exists()


# --- identify


def test_identify_with_json_types_values(cio, account):
    body = {"email": "Ann@Example.com", "plan": "pro", "seats": 3, "vip": True, "tags": ["a", "b"]}

    response = cio.put(f"{BASE}/customers/usr_1", json.dumps(body), content_type="application/json")

    assert response.status_code == 200
    assert response.json() == {}
    customer = Customer.objects.get(user_id="usr_1")
    assert customer.email == "ann@example.com"
    assert values_of(customer) == {"plan": "pro", "seats": 3, "vip": True, "tags": ["a", "b"]}


def test_identify_normalizes_attribute_names(cio):
    cio.put(
        f"{BASE}/customers/u",
        json.dumps({"firstName": "Ann", "Plan Tier": "x"}),
        content_type="application/json",
    )

    assert set(PropertyDefinition.objects.values_list("key", flat=True)) == {
        "first_name",
        "plan_tier",
    }


def test_identify_with_created_at_sets_the_customers_creation_time(cio):
    cio.put(
        f"{BASE}/customers/u",
        json.dumps({"created_at": 1603885746}),
        content_type="application/json",
    )

    customer = Customer.objects.get(user_id="u")
    assert int(customer.created_at.timestamp()) == 1603885746
    assert not PropertyDefinition.objects.exists()


def test_empty_attribute_unassigns_from_this_customer_only(cio):
    cio.put(f"{BASE}/customers/a", "plan=premium", content_type="application/x-www-form-urlencoded")
    cio.put(f"{BASE}/customers/b", "plan=basic", content_type="application/x-www-form-urlencoded")

    response = cio.put(
        f"{BASE}/customers/a", "plan=", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert values_of(Customer.objects.get(user_id="a")) == {}
    assert values_of(Customer.objects.get(user_id="b")) == {"plan": "basic"}
    assert PropertyDefinition.objects.filter(key="plan").exists()


def test_update_only_never_creates(cio):
    response = cio.put(
        f"{BASE}/customers/ghost",
        json.dumps({"_update": True, "plan": "x"}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


def test_update_only_updates_an_existing_customer(cio):
    cio.put(f"{BASE}/customers/u", json.dumps({"plan": "a"}), content_type="application/json")

    cio.put(
        f"{BASE}/customers/u",
        "_update=true&plan=b",
        content_type="application/x-www-form-urlencoded",
    )

    assert values_of(Customer.objects.get(user_id="u")) == {"plan": "b"}


@pytest.mark.parametrize(
    "body",
    [
        {"created_at": "yesterday"},
        {"ok": "x", "!!!": "no key"},
    ],
)
def test_identify_with_bad_attributes_is_400_and_writes_nothing(cio, body):
    response = cio.put(f"{BASE}/customers/u", json.dumps(body), content_type="application/json")

    errors(response, 400)
    assert not Customer.objects.exists()
    assert not PropertyValue.objects.exists()


def test_identify_with_another_customers_email_stores_the_rest_and_records_an_issue(cio):
    cio.put(
        f"{BASE}/customers/a",
        "email=a@example.com",
        content_type="application/x-www-form-urlencoded",
    )

    response = cio.put(
        f"{BASE}/customers/b",
        "email=a@example.com&plan=pro",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200, response.content
    b = Customer.objects.get(user_id="b")
    assert b.email is None
    assert values_of(b) == {"plan": "pro"}
    assert Customer.objects.get(user_id="a").email == "a@example.com"
    [issue] = DataIssue.objects.all()
    assert (issue.door, issue.key, issue.reason, issue.customer) == (
        "customerio",
        "email",
        "identifier_taken",
        b,
    )
    assert issue.value == "a@example.com"


def test_identify_with_a_value_its_type_refuses_stores_the_rest(cio, account):
    make_definition(account, "seats", "integer")

    response = cio.put(
        f"{BASE}/customers/u",
        "seats=lots&plan=pro",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200, response.content
    assert values_of(Customer.objects.get(user_id="u")) == {"plan": "pro"}
    [issue] = DataIssue.objects.all()
    assert (issue.key, issue.value) == ("seats", "lots")
    assert "integer" in issue.message


# --- delete


def test_delete_removes_customer_values_and_events_only(cio):
    cio.put(f"{BASE}/customers/a", "plan=x", content_type="application/x-www-form-urlencoded")
    cio.put(f"{BASE}/customers/b", "plan=y", content_type="application/x-www-form-urlencoded")
    cio.post(
        f"{BASE}/customers/a/events", "name=x", content_type="application/x-www-form-urlencoded"
    )
    cio.post(
        f"{BASE}/customers/b/events", "name=y", content_type="application/x-www-form-urlencoded"
    )

    response = cio.delete(f"{BASE}/customers/a")

    assert response.status_code == 200
    assert list(Customer.objects.values_list("user_id", flat=True)) == ["b"]
    assert list(Event.objects.values_list("name", flat=True)) == ["y"]
    assert PropertyValue.objects.count() == 1


def test_delete_of_unknown_customer_is_200_so_retries_succeed(cio):
    response = cio.delete(f"{BASE}/customers/nobody")

    assert response.status_code == 200, response.content
    assert response.json() == {}
    assert not Customer.objects.exists()


# --- events


def test_track_with_json_id_and_timestamp(cio):
    body = {"name": "purchased", "data": {"price": 23.45}, "id": "evt-1", "timestamp": 1603885746}

    response = cio.post(
        f"{BASE}/customers/u/events", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 200
    event = Event.objects.get()
    assert (event.event_id, event.name, event.properties) == (
        "evt-1",
        "purchased",
        {"price": 23.45},
    )
    assert int(event.occurred_at.timestamp()) == 1603885746
    assert event.source == "customerio"
    assert event.customer.user_id == "u"


def test_track_same_id_replaces(cio):
    for price in (1, 2):
        body = {"name": "purchased", "data": {"price": price}, "id": "evt-1"}
        cio.post(f"{BASE}/customers/u/events", json.dumps(body), content_type="application/json")

    assert list(Event.objects.values_list("properties", flat=True)) == [{"price": 2}]


def test_form_fields_with_nested_brackets(cio):
    cio.post(
        f"{BASE}/customers/u/events",
        "name=ordered&data[item][sku]=A1&data[price]=9",
        content_type="application/x-www-form-urlencoded",
    )

    assert Event.objects.get().properties == {"item": {"sku": "A1"}, "price": "9"}


def test_page_view_type_is_kept_as_source(cio):
    body = {"name": "https://example.com/pricing", "type": "page"}

    cio.post(f"{BASE}/customers/u/events", json.dumps(body), content_type="application/json")

    assert Event.objects.get().source == "customerio_page"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "x", "data": [1]},
        {"name": "x", "timestamp": "soon"},
        {"name": "x", "type": "other"},
    ],
)
def test_bad_events_are_400_and_write_nothing(cio, body):
    response = cio.post(
        f"{BASE}/customers/u/events", json.dumps(body), content_type="application/json"
    )

    errors(response, 400)
    assert not Event.objects.exists()
    assert not Customer.objects.exists()


def test_anonymous_event_goes_to_the_visitor(cio):
    body = {"name": "viewed", "anonymous_id": "anon_1", "data": {"plan": "pro"}}

    response = cio.post(f"{BASE}/events", json.dumps(body), content_type="application/json")

    assert response.status_code == 200
    assert Event.objects.get().customer.visitor_id == "anon_1"


def test_anonymous_event_without_anonymous_id_is_kept_on_no_person(cio, account):
    body = {"name": "invite", "data": {"recipient": "new@example.com"}}

    response = cio.post(f"{BASE}/events", json.dumps(body), content_type="application/json")

    assert response.status_code == 200, response.content
    event = Event.objects.get()
    assert (event.account, event.customer, event.name) == (account, None, "invite")
    assert event.properties == {"recipient": "new@example.com"}
    assert not Customer.objects.exists()


# --- authentication and request errors


def test_wrong_key_is_401_in_customerio_format(api, account):
    api.credentials(HTTP_AUTHORIZATION=basic(account.site_id, "ca_00000000_wrong"))

    assert errors(api.put(f"{BASE}/customers/u", "{}", content_type="application/json"), 401)
    assert not Customer.objects.exists()


def test_wrong_site_id_is_401(api, other_account):
    api.credentials(HTTP_AUTHORIZATION=basic(other_account.site_id, api.raw_key))

    errors(api.put(f"{BASE}/customers/u", "{}", content_type="application/json"), 401)


def test_missing_credentials_are_401_with_a_basic_challenge(client, db):
    response = client.put(f"{BASE}/customers/u", "{}", content_type="application/json")

    errors(response, 401)
    assert response["WWW-Authenticate"].startswith("Basic")


def test_another_accounts_customer_is_not_touched(cio, other_api, other_account):
    other_api.credentials(HTTP_AUTHORIZATION=basic(other_account.site_id, other_api.raw_key))
    other_api.put(
        f"{BASE}/customers/u", "plan=theirs", content_type="application/x-www-form-urlencoded"
    )

    assert cio.delete(f"{BASE}/customers/u").status_code == 200
    assert Customer.objects.get(user_id="u").account == other_account


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ('{"plan": ', "application/json", 400),
        ('{"plan": "a\\u0000b"}', "application/json", 400),
        ("plan=a%00b", "application/x-www-form-urlencoded", 400),
        ("<plan/>", "application/xml", 415),
    ],
)
def test_malformed_bodies_are_refused(cio, body, content_type, status):
    errors(cio.put(f"{BASE}/customers/u", body, content_type=content_type), status)
    assert not Customer.objects.exists()


def test_unknown_path_is_404_in_customerio_format(cio):
    errors(cio.get(f"{BASE}/nothing"), 404)
