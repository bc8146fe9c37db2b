"""Subscribers of one request are saved together, yet each as if it were saved alone (issue 10)."""

import json

import pytest

from customers.models import Customer, PropertyDefinition, PropertyValue, Tag

URL = "/compat/retently/api/v2/customers"


@pytest.fixture
def rt(api):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    return api


def post(client, *subscribers):
    return client.post(
        URL, json.dumps({"subscribers": list(subscribers)}), content_type="application/json"
    )


def prop(label, value, type_=None):
    return {"label": label, "value": value, **({"type": type_} if type_ else {})}


def values_of(email: str) -> dict:
    return {
        v.definition.key: v.stored
        for v in PropertyValue.objects.select_related("definition").filter(customer__email=email)
    }


def test_new_and_existing_subscribers_are_all_saved_with_their_ids(rt):
    post(rt, {"email": "old@example.com", "first_name": "Old", "company": "Kept"})
    old = Customer.objects.get(email="old@example.com")

    response = post(
        rt,
        {"email": "new@example.com", "properties": [prop("Plan", "Free")]},
        {"email": "OLD@example.com", "first_name": "Renamed", "properties": [prop("Plan", "Pro")]},
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    new = Customer.objects.get(email="new@example.com")
    assert data["new@example.com"]["customer_id"] == new.pk
    assert data["OLD@example.com"]["customer_id"] == old.pk
    old.refresh_from_db()
    # A field the subscriber does not send keeps its stored value.
    assert (old.first_name, old.company) == ("Renamed", "Kept")
    assert values_of("old@example.com") == {"plan": "Pro"}
    assert values_of("new@example.com") == {"plan": "Free"}


def test_one_email_twice_is_one_customer_and_the_later_subscriber_wins(rt):
    response = post(
        rt,
        {
            "email": "a@example.com",
            "first_name": "First",
            "last_name": "Kept",
            "tags": ["one"],
            "properties": [prop("Plan", "Free"), prop("Seats", "3"), prop("Team", "Red")],
        },
        {
            "email": "A@Example.com",
            "first_name": "Second",
            "tags": ["two"],
            "properties": [prop("Plan", "Pro"), prop("Seats", "")],
        },
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    customer = Customer.objects.get()
    assert data["a@example.com"]["customer_id"] == data["A@Example.com"]["customer_id"]
    assert (customer.first_name, customer.last_name) == ("Second", "Kept")
    assert sorted(t.name for t in customer.tags.all()) == ["one", "two"]
    assert values_of("a@example.com") == {"plan": "Pro", "team": "Red"}
    assert [p["value"] for p in data["A@Example.com"]["stored"]] == ["Pro", None]


def test_a_key_created_by_an_earlier_subscriber_types_the_later_ones(rt):
    response = post(
        rt,
        {"email": "a@example.com", "properties": [prop("Seats", 5, "integer")]},
        {"email": "b@example.com", "properties": [prop("Seats", "7")]},
        {"email": "c@example.com", "properties": [prop("Seats", "many", "string")]},
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["b@example.com"]["stored"][0]["type"] == "integer"
    assert data["c@example.com"]["status"] == "saved"
    assert [r["code"] for r in data["c@example.com"]["refused"]] == ["type_conflict"]
    assert PropertyDefinition.objects.get(key="seats").type == "integer"
    assert values_of("a@example.com") == {"seats": 5}
    assert values_of("b@example.com") == {"seats": 7}
    assert values_of("c@example.com") == {}


def test_the_definition_limit_counts_keys_created_earlier_in_the_request(rt, settings):
    settings.CONTACTS_MAX_DEFINITIONS = 2

    response = post(
        rt,
        {"email": "a@example.com", "properties": [prop("One", "x"), prop("Two", "x")]},
        {"email": "b@example.com", "properties": [prop("Two", "y"), prop("Three", "y")]},
    )

    assert response.status_code == 200, response.content
    refused = response.json()["data"]["b@example.com"]["refused"]
    assert [(r["name"], r["code"]) for r in refused] == [("three", "too_many_definitions")]
    assert sorted(PropertyDefinition.objects.values_list("key", flat=True)) == ["one", "two"]
    assert values_of("b@example.com") == {"two": "y"}


def test_a_subscriber_refused_whole_creates_nothing_for_the_others(rt):
    response = post(
        rt,
        {"email": "a@example.com", "first_name": "x" * 151, "properties": [prop("Plan", 1)]},
        {"email": "b@example.com", "tags": [" "], "properties": [prop("Plan", 2)]},
        {"email": "c@example.com", "properties": [prop("Plan", "3", "integer")]},
    )

    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert [data[e]["status"] for e in data] == ["refused", "refused", "saved"]
    assert list(Customer.objects.values_list("email", flat=True)) == ["c@example.com"]
    # The refused subscribers' untyped value would have made "plan" text.
    assert PropertyDefinition.objects.get(key="plan").type == "integer"
    assert not Tag.objects.exists()


def test_a_subscriber_sending_nothing_new_leaves_updated_at(rt):
    post(rt, {"email": "a@example.com", "first_name": "Ann", "properties": [prop("Plan", "x")]})
    before = Customer.objects.get().updated_at

    response = post(rt, {"email": "a@example.com", "first_name": "Ann", "tags": ["vip"]})

    assert response.status_code == 200, response.content
    customer = Customer.objects.get()
    assert customer.updated_at == before
    assert [t.name for t in customer.tags.all()] == ["vip"]
    post(rt, {"email": "a@example.com", "first_name": "Anna"})
    assert Customer.objects.get().updated_at > before


def test_another_accounts_customer_and_tag_of_the_same_names_are_untouched(
    rt, other_api, other_account
):
    other_api.credentials(HTTP_AUTHORIZATION=f"api_key={other_api.raw_key}")
    post(other_api, {"email": "a@example.com", "first_name": "Theirs", "tags": ["vip"]})

    response = post(
        rt, {"email": "a@example.com", "first_name": "Ours", "tags": ["vip"]}, {"email": "b@e.co"}
    )

    assert response.status_code == 200, response.content
    theirs = Customer.objects.get(account=other_account)
    assert theirs.first_name == "Theirs"
    assert [t.account_id for t in theirs.tags.all()] == [other_account.pk]
    ours = Customer.objects.exclude(account=other_account).get(email="a@example.com")
    assert ours.first_name == "Ours"
    assert [(t.name, t.account_id) for t in ours.tags.all()] == [("vip", ours.account_id)]
    assert Customer.objects.filter(account=other_account).count() == 1
