"""POST /api/events customer properties: keys without silent merges or lost letters.

Issue 8, item 11: the names of seed 002's customer properties are normalized
("firstName" is first_name); two names of one key are refused naming both, and a
name that would lose characters is refused with the key it would make.
"""

import json

import pytest

from customers.models import Customer, PropertyDefinition
from events.models import Event


def post_event(client, properties: dict):
    body = {"name": "signed_up", "customer": {"external_id": "c1", "properties": properties}}
    return client.post("/api/events", json.dumps(body), content_type="application/json")


def assert_nothing_stored():
    assert not Event.objects.exists()
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


@pytest.mark.parametrize(
    ("properties", "names"),
    [
        ({"firstName": "A", "first_name": "B"}, '"firstName" and "first_name" both make'),
        ({"plan": "a", "\uff50\uff4c\uff41\uff4e": "b"}, '"plan" and "\uff50\uff4c\uff41\uff4e"'),
    ],
)
def test_two_names_of_one_key_are_refused_naming_both(api, properties, names):
    response = post_event(api, properties)

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "duplicate_key"
    assert names in error["message"]
    assert_nothing_stored()


def test_name_that_would_lose_characters_is_refused_with_the_suggestion(api):
    response = post_event(api, {"pl\u0430n_tier": "pro"})

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_key"
    assert "U+0430 CYRILLIC SMALL LETTER A" in error["message"]
    assert error["details"] == {"suggestion": "pln_tier"}
    assert_nothing_stored()


def test_distinct_names_are_normalized_and_stored(api):
    response = post_event(api, {"firstName": "Ann", "Caf\u00e9": "noir"})

    assert response.status_code == 201, response.content
    keys = set(PropertyDefinition.objects.values_list("key", flat=True))
    assert keys == {"first_name", "cafe"}
