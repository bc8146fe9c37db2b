"""Customer ids in Customer.io paths: a NUL character is a 400, never a query (issue 8, item 5)."""

import base64
import json
from urllib.parse import quote

import pytest

from customers.models import Customer
from events.models import Event
from tests.compat.customerio.helpers import errors

BASE = "/compat/customerio/api/v1"
NUL_IDS = ["\x00", "u\x001", "\x00u1"]


@pytest.fixture
def cio(api, account):
    credentials = base64.b64encode(f"{account.site_id}:{api.raw_key}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")
    return api


@pytest.mark.parametrize("customer_id", NUL_IDS)
def test_identify_with_nul_in_the_customer_id_is_refused(cio, customer_id):
    response = cio.put(
        f"{BASE}/customers/{quote(customer_id, safe='')}",
        json.dumps({"email": "jane@example.com", "plan": "pro"}),
        content_type="application/json",
    )

    assert "user_id" in errors(response, 400)[0]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("customer_id", NUL_IDS)
def test_event_with_nul_in_the_customer_id_is_refused(cio, customer_id):
    response = cio.post(
        f"{BASE}/customers/{quote(customer_id, safe='')}/events",
        json.dumps({"name": "purchased"}),
        content_type="application/json",
    )

    errors(response, 400)
    assert not Event.objects.exists()
    assert not Customer.objects.exists()


@pytest.mark.parametrize("customer_id", NUL_IDS)
def test_delete_with_nul_in_the_customer_id_is_refused_and_deletes_nothing(cio, customer_id):
    kept = cio.put(
        f"{BASE}/customers/u1", json.dumps({"plan": "pro"}), content_type="application/json"
    )
    assert kept.status_code == 200, kept.content

    response = cio.delete(f"{BASE}/customers/{quote(customer_id, safe='')}")

    errors(response, 400)
    assert list(Customer.objects.values_list("user_id", flat=True)) == ["u1"]
