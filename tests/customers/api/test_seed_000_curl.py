# ruff: noqa: E501  (the seed examples are kept verbatim)
"""Replay the curl examples of seed 000 ("Customer Properties API") with real curl.

Only the host and key are changed, and the documented placeholders filled in:
{{uuid}} with a customer's uuid and {propertyKey} with a key; the GET and DELETE
examples get the documented `customer_uuid` query parameter.
"""

import json
import shlex
import shutil
import subprocess

import pytest

from customers.models import PropertyValue
from tests.factories import make_customer

BASE = "https://marketing.rcvtechnologies.com"

# Verbatim from the seed.
SEED_GET = """curl -X GET \\
  'https://marketing.rcvtechnologies.com/api/customers/properties' \\
  -H 'X-API-Key: YOUR_API_KEY' \\
  -H 'Accept: application/json'"""
SEED_PUT = """curl -X PUT \\
  'https://marketing.rcvtechnologies.com/api/customers/properties' \\
  -H 'X-API-Key: YOUR_API_KEY' \\
  -H 'Accept: application/json' \\
  -H 'Content-Type: application/json' \\
  -d '{"customer_uuid":"{{uuid}}","properties":{"company_name":"Acme Inc","plan_tier":"enterprise"}}'"""
SEED_PATCH = """curl -X PATCH \\
  'https://marketing.rcvtechnologies.com/api/customers/properties/{propertyKey}' \\
  -H 'X-API-Key: YOUR_API_KEY' \\
  -H 'Accept: application/json' \\
  -H 'Content-Type: application/json' \\
  -d '{"customer_uuid":"{{uuid}}","value":"Acme Inc","type":"text"}'"""
SEED_DELETE = """curl -X DELETE \\
  'https://marketing.rcvtechnologies.com/api/customers/properties/{propertyKey}' \\
  -H 'X-API-Key: YOUR_API_KEY' \\
  -H 'Accept: application/json'"""

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def curl(example: str, *, host: str, key: str, uuid: str, query: str = ""):
    command = example.replace(BASE, host).replace("YOUR_API_KEY", key)
    command = command.replace("{{uuid}}", uuid).replace("{propertyKey}", "company_name")
    args = shlex.split(command.replace("\\\n", " "))
    if query:
        url_index = next(i for i, a in enumerate(args) if a.startswith(host))
        args[url_index] += query
    args[1:1] = ["-sS", "-w", "\n%{http_code}"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=30, check=True)
    body, _, status = result.stdout.rpartition("\n")
    return int(status), json.loads(body)


@pytest.fixture
def customer(account):
    return make_customer(account, "jane@example.com")


def test_seed_curl_examples_work_in_order(live_server, api, customer):
    env = {"host": live_server.url, "key": api.raw_key, "uuid": str(customer.uuid)}
    query = f"?customer_uuid={customer.uuid}"

    status, body = curl(SEED_PUT, **env)
    assert status == 200
    assert body["status"] == "updated"
    assert body["customer_id"] == customer.pk
    assert body["customer_uuid"] == str(customer.uuid)
    assert {p["key"]: p["value"] for p in body["properties"]} == {
        "company_name": "Acme Inc",
        "plan_tier": "enterprise",
    }

    status, body = curl(SEED_GET, query=query, **env)
    assert status == 200
    assert body["status"] == "ok"
    assert body["customer_uuid"] == str(customer.uuid)
    assert {p["key"] for p in body["properties"]} == {"company_name", "plan_tier"}
    assert set(body["properties"][0]) == {"key", "value", "type", "updated_at"}

    status, body = curl(SEED_PATCH, **env)
    assert status == 200
    assert body == {
        "status": "updated",
        "customer_id": customer.pk,
        "property": {"key": "company_name", "value": "Acme Inc", "type": "text"},
    }

    status, body = curl(SEED_DELETE, query=query, **env)
    assert status == 200
    assert body == {"status": "deleted", "customer_id": customer.pk, "key": "company_name"}
    keys = set(
        PropertyValue.objects.filter(customer=customer).values_list("definition__key", flat=True)
    )
    assert keys == {"plan_tier"}


def test_seed_get_without_its_query_parameter_says_what_is_missing(live_server, api, customer):
    status, body = curl(SEED_GET, host=live_server.url, key=api.raw_key, uuid="")

    assert status == 400
    assert body["error"]["code"] == "missing_identifier"
    assert "customer_uuid" in body["error"]["message"]
