"""Retently labels become keys without silent merges or lost letters (issue 8, item 11)."""

import json

import pytest

from customers.models import Customer, PropertyDefinition, PropertyValue

URL = "/compat/retently/api/v2/customers"


@pytest.fixture
def rt(api):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    return api


def post(client, *subscribers):
    return client.post(
        URL, json.dumps({"subscribers": list(subscribers)}), content_type="application/json"
    )


def subscriber(email: str, *labels: str) -> dict:
    return {
        "email": email,
        "properties": [{"label": label, "value": f"v{n}"} for n, label in enumerate(labels)],
    }


def stored(email: str) -> dict:
    return {
        v.definition.key: v.value_text
        for v in PropertyValue.objects.select_related("definition").filter(customer__email=email)
    }


@pytest.mark.parametrize(
    ("first", "second", "names"),
    [
        ("Plan", "plan", '"Plan" and "plan" both make the key "plan"'),
        ("\uff30lan", "Plan", '"\uff30lan" and "Plan" both make the key "plan"'),
        ("Plan tier", "planTier", '"Plan tier" and "planTier" both make the key "plan_tier"'),
        ("Plan", "Plan", '"Plan" is sent twice'),
    ],
)
def test_two_labels_of_one_key_refuse_the_subscriber_naming_both(rt, first, second, names):
    response = post(rt, subscriber("a@example.com", first, second))

    assert response.status_code == 400, response.content
    outcome = response.json()["data"]["a@example.com"]
    assert outcome["status"] == "refused"
    assert outcome["code"] == "duplicate_key"
    assert names in outcome["error"]
    assert not Customer.objects.exists()
    assert not PropertyDefinition.objects.exists()


def test_other_subscribers_of_the_request_are_saved(rt):
    response = post(
        rt, subscriber("a@example.com", "Plan", "plan"), subscriber("b@example.com", "Plan")
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["a@example.com"]["code"] == "duplicate_key"
    assert data["b@example.com"]["status"] == "saved"
    assert list(Customer.objects.values_list("email", flat=True)) == ["b@example.com"]
    assert stored("b@example.com") == {"plan": "v0"}


@pytest.mark.parametrize(
    ("label", "character", "suggestion"),
    [
        ("Pl\u0430n tier", "U+0430 CYRILLIC SMALL LETTER A", "pln_tier"),
        ("Plan\u200b", "U+200B ZERO WIDTH SPACE", "plan"),
        ("Stra\u00dfe", "U+00DF LATIN SMALL LETTER SHARP S", "strae"),
    ],
)
def test_label_that_would_lose_characters_is_refused_with_the_suggestion(
    rt, label, character, suggestion
):
    response = post(rt, subscriber("a@example.com", label, "Company size"))

    assert response.status_code == 200, response.content
    outcome = response.json()["data"]["a@example.com"]
    (refused,) = outcome["refused"]
    assert (refused["label"], refused["code"]) == (label, "invalid_key")
    assert character in refused["error"]
    assert f'(for example "{suggestion}")' in refused["error"]
    assert stored("a@example.com") == {"company_size": "v1"}
    assert not PropertyDefinition.objects.filter(key=suggestion).exists()


def test_labels_with_accents_and_compatibility_forms_are_normalized(rt):
    response = post(rt, subscriber("a@example.com", "Caf\u00e9 cr\u00e8me", "\uff33eats"))

    assert response.status_code == 200, response.content
    assert response.json()["data"]["a@example.com"]["refused"] == []
    assert stored("a@example.com") == {"cafe_creme": "v0", "seats": "v1"}
