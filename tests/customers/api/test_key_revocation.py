"""A key revoked or changed through another connection (another process, a page, the admin)
is seen by the very next request: the per-process reuse of loaded keys never outlives
the key's row."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from customers import statements
from customers.models import Account, ApiKey, PropertyValue
from customers.services import Actor, api_key_revoke
from tests.factories import make_account, make_api_key

pytestmark = pytest.mark.django_db(transaction=True)

BODY = {"email": "ann@example.com", "properties": {"plan": "pro"}}


def in_another_connection(work) -> None:
    """Run `work()` in a thread of its own, so on a database connection of its own."""
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # re-raised below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if errors:
        raise errors[0]


def put(client: APIClient, raw_key: str):
    return client.put(
        "/api/customers/properties", BODY, format="json", headers={"X-API-Key": raw_key}
    )


def test_a_key_revoked_through_another_connection_is_refused_on_the_next_request():
    account = make_account("Acme")
    api_key, raw_key = make_api_key(account)
    client = APIClient()
    assert put(client, raw_key).status_code == 200
    assert put(client, raw_key).status_code == 200

    in_another_connection(
        lambda: api_key_revoke(api_key=ApiKey.objects.get(pk=api_key.pk), actor=Actor(system="t"))
    )
    response = put(client, raw_key)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert PropertyValue.objects.count() == 1


def test_a_key_loaded_again_with_the_same_row_is_reused_and_a_changed_row_is_not():
    account = make_account("Acme")
    api_key, _ = make_api_key(account)

    first = statements.live_api_key(api_key.prefix)
    again = statements.live_api_key(api_key.prefix)
    in_another_connection(lambda: Account.objects.filter(pk=account.pk).update(name="Renamed"))
    renamed = statements.live_api_key(api_key.prefix)

    assert again is first
    assert renamed is not first
    assert (first.account.name, renamed.account.name) == ("Acme", "Renamed")
