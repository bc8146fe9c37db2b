"""Customer.io attribute names become keys without silent merges or lost letters (issue 8, item 11).

One PUT used to store "plan" in fullwidth letters and "plan" followed by a zero-width
space both as "plan", the last winning, and "plan_tier" with a Cyrillic "a" as "pln_tier".
"""

import base64
import json
from urllib.parse import urlencode

import pytest

from customers.models import Customer, PropertyDefinition, PropertyValue

URL = "/compat/customerio/api/v1/customers/u1"


@pytest.fixture
def cio(api, account):
    credentials = base64.b64encode(f"{account.site_id}:{api.raw_key}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {credentials}")
    return api


def identify(client, attributes: dict):
    return client.put(URL, json.dumps(attributes), content_type="application/json")


def refusal(response) -> str:
    assert response.status_code == 400, response.content
    (message,) = response.json()["meta"]["errors"]
    return message


def stored() -> dict:
    return {
        v.definition.key: v.value_text
        for v in PropertyValue.objects.select_related("definition").filter(customer__user_id="u1")
    }


def assert_nothing_stored():
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("\uff50\uff4c\uff41\uff4e", "plan"),  # "plan" in fullwidth letters
        ("plan", "\uff50\uff4c\uff41\uff4e"),
        ("Plan", "plan"),
        ("plan tier", "plan_tier"),
        ("planTier", "Plan Tier"),
    ],
)
def test_two_attributes_of_one_key_are_refused_naming_both(cio, first, second):
    message = refusal(identify(cio, {first: "a", second: "b"}))

    assert json.dumps(first, ensure_ascii=False) in message
    assert json.dumps(second, ensure_ascii=False) in message
    assert "send each property once" in message
    assert_nothing_stored()


def test_two_form_fields_of_one_key_are_refused_naming_both(cio):
    response = cio.put(
        URL,
        urlencode({"Plan": "a", "plan": "b"}),
        content_type="application/x-www-form-urlencoded",
    )

    message = refusal(response)
    assert '"Plan" and "plan" both make the key "plan"' in message
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("name", "character", "suggestion"),
    [
        ("pl\u0430n_tier", "U+0430 CYRILLIC SMALL LETTER A", "pln_tier"),
        ("plan\u200b", "U+200B ZERO WIDTH SPACE", "plan"),
        ("plan\u2013tier", "U+2013 EN DASH", "plan_tier"),
        ("Stra\u00dfe", "U+00DF LATIN SMALL LETTER SHARP S", "strae"),
    ],
)
def test_attribute_that_would_lose_characters_is_refused_with_the_suggestion(
    cio, name, character, suggestion
):
    message = refusal(identify(cio, {name: "x", "company": "Acme"}))

    assert character in message
    assert f'(for example "{suggestion}")' in message
    assert_nothing_stored()


def test_attribute_without_any_usable_character_is_refused_without_a_suggestion(cio):
    message = refusal(identify(cio, {"\u65e5\u672c": "x"}))

    assert "U+65E5" in message
    assert "for example" not in message
    assert_nothing_stored()


def test_distinct_names_are_still_normalized(cio):
    response = identify(
        cio,
        {
            "Plan Tier": "pro",
            "firstName": "Ann",
            "Caf\u00e9": "noir",
            "\uff53\uff45\uff41\uff54\uff53": "3",
        },
    )

    assert response.status_code == 200, response.content
    assert stored() == {"plan_tier": "pro", "first_name": "Ann", "cafe": "noir", "seats": "3"}
