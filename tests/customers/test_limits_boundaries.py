"""Each limit of PRODUCT.md §3, exactly at it (accepted and stored) and one past it (refused,
nothing stored); and refusals or deletes that must leave exactly what they say.

Everything is read back through the native API.
"""

import base64
import io
import json

import pytest
from django.test import override_settings

from customers.services import purges
from tests.factories import make_customer

URL = "/api/customers/properties"
EMAIL = "jane@example.com"
# What the customer made before a test's write already holds.
SEED = {"seed": "x"}
HC = "/compat/helpcrunch/v1"
RT = "/compat/retently/api/v2"


def put(client, body, **extra):
    return client.put(URL, json.dumps(body), content_type="application/json", **extra)


def properties_of(api, **identifier) -> dict:
    response = api.get(URL, identifier or {"email": EMAIL})
    assert response.status_code == 200, response.content
    return {p["key"]: p["value"] for p in response.json()["properties"]}


def customers_of(api) -> list[dict]:
    response = api.get("/api/customers", {"limit": 200})
    assert response.status_code == 200, response.content
    return response.json()["customers"]


def definitions_of(api) -> dict:
    response = api.get("/api/properties", {"status": "all"})
    assert response.status_code == 200, response.content
    return {d["key"]: d for d in response.json()["properties"]}


def assert_refused(response, status=400, code=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    if code is not None:
        assert error["code"] == code, error
    return error


# --- text length


def test_text_exactly_at_the_length_limit_is_stored(api, settings):
    text = "é" * settings.CONTACTS_MAX_TEXT_LENGTH

    response = put(api, {"email": EMAIL, "properties": {"notes": text}})

    assert response.status_code == 200, response.content
    assert properties_of(api) == {"notes": text}


def test_text_one_past_the_length_limit_is_refused_and_nothing_stored(api, settings):
    make_customer(api.api_key.account, EMAIL, SEED)
    text = "é" * (settings.CONTACTS_MAX_TEXT_LENGTH + 1)

    response = put(api, {"email": EMAIL, "properties": {"notes": text, "plan": "pro"}})

    error = assert_refused(response)
    assert str(settings.CONTACTS_MAX_TEXT_LENGTH) in error["message"]
    assert properties_of(api) == {"seed": "x"}
    assert set(definitions_of(api)) == {"seed"}


@override_settings(CONTACTS_MAX_TEXT_LENGTH=20)
def test_the_text_limit_follows_the_setting(api):
    make_customer(api.api_key.account, EMAIL, SEED)

    at = put(api, {"email": EMAIL, "properties": {"notes": "a" * 20}})
    past = put(api, {"email": EMAIL, "properties": {"notes": "b" * 21}})

    assert at.status_code == 200, at.content
    assert_refused(past)
    assert properties_of(api)["notes"] == "a" * 20


# --- labels and descriptions of definitions


@pytest.mark.parametrize(("field", "limit"), [("label", 200), ("description", 2000)])
def test_definition_text_exactly_at_its_limit_is_stored(api, field, limit):
    response = api.post(
        "/api/properties",
        json.dumps({"key": "plan", "type": "text", field: "L" * limit}),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert definitions_of(api)["plan"][field] == "L" * limit


@pytest.mark.parametrize(("field", "limit"), [("label", 200), ("description", 2000)])
def test_definition_text_one_past_its_limit_is_refused_and_nothing_stored(api, field, limit):
    response = api.post(
        "/api/properties",
        json.dumps({"key": "plan", "type": "text", field: "L" * (limit + 1)}),
        content_type="application/json",
    )

    error = assert_refused(response)
    assert str(limit) in error["message"]
    assert definitions_of(api) == {}


@pytest.mark.parametrize(("field", "limit"), [("label", 200), ("description", 2000)])
def test_relabel_at_and_past_the_limit(api, field, limit):
    make_customer(api.api_key.account, EMAIL, SEED)
    before = definitions_of(api)["seed"]

    past = api.patch(
        "/api/properties/seed",
        json.dumps({field: "M" * (limit + 1)}),
        content_type="application/json",
    )

    assert_refused(past)
    assert definitions_of(api)["seed"] == before
    at = api.patch(
        "/api/properties/seed", json.dumps({field: "M" * limit}), content_type="application/json"
    )
    assert at.status_code == 200, at.content
    assert definitions_of(api)["seed"][field] == "M" * limit


# --- tag names


@pytest.fixture
def hc(api):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api.raw_key}")
    return api


def tags_of(api, customer_id: int) -> list[str]:
    response = api.get("/api/customers", {"customer_id": customer_id}, HTTP_X_API_KEY=api.raw_key)
    return response.json()["customers"][0]["tags"]


def test_tag_name_exactly_100_characters_is_stored(hc):
    customer_id = make_customer(hc.api_key.account, EMAIL, SEED).pk
    name = "t" * 100

    response = hc.put(
        f"{HC}/customers/{customer_id}/tags",
        json.dumps({"tags": [{"name": name}]}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert tags_of(hc, customer_id) == [name]


def test_tag_name_of_101_characters_is_refused_and_nothing_stored(hc, account):
    customer_id = make_customer(hc.api_key.account, EMAIL, SEED).pk

    response = hc.put(
        f"{HC}/customers/{customer_id}/tags",
        json.dumps({"tags": [{"name": "ok"}, {"name": "t" * 101}]}),
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"][1]["code"] == "tags[1].name"
    assert tags_of(hc, customer_id) == []
    assert not account.tags.exists()


def test_retently_subscriber_with_a_101_character_tag_is_refused_whole(api, account):
    api.credentials(HTTP_AUTHORIZATION=f"api_key={api.raw_key}")
    subscriber = {
        "email": EMAIL,
        "tags": ["t" * 101],
        "properties": [{"label": "Plan", "value": "pro"}],
    }

    response = api.post(
        f"{RT}/customers",
        json.dumps({"subscribers": [subscriber]}),
        content_type="application/json",
    )

    assert response.status_code == 400, response.content
    assert response.json()["data"][EMAIL]["status"] == "refused"
    assert customers_of(api) == []
    assert not account.tags.exists()


# --- definitions per account


@override_settings(CONTACTS_MAX_DEFINITIONS=3)
def test_definitions_up_to_the_account_limit_are_created(api):
    for key in ("a", "b", "c"):
        response = api.post(
            "/api/properties", json.dumps({"key": key}), content_type="application/json"
        )
        assert response.status_code == 201, response.content

    assert set(definitions_of(api)) == {"a", "b", "c"}


@override_settings(CONTACTS_MAX_DEFINITIONS=3)
def test_one_definition_past_the_account_limit_is_refused(api):
    for key in ("a", "b", "c"):
        api.post("/api/properties", json.dumps({"key": key}), content_type="application/json")

    response = api.post(
        "/api/properties", json.dumps({"key": "d"}), content_type="application/json"
    )

    error = assert_refused(response, code="too_many_definitions")
    assert "3" in error["message"]
    assert set(definitions_of(api)) == {"a", "b", "c"}


@override_settings(CONTACTS_MAX_DEFINITIONS=3)
def test_a_write_reaching_the_definition_limit_is_stored(api):
    make_customer(api.api_key.account, EMAIL, SEED)  # defines "seed"

    response = put(api, {"email": EMAIL, "properties": {"a": "1", "b": "2"}})

    assert response.status_code == 200, response.content
    assert properties_of(api) == {"seed": "x", "a": "1", "b": "2"}


@override_settings(CONTACTS_MAX_DEFINITIONS=3)
def test_a_write_needing_one_definition_too_many_stores_nothing(api):
    make_customer(api.api_key.account, EMAIL, SEED)

    response = put(api, {"email": EMAIL, "properties": {"seed": "y", "a": "1", "b": "2", "c": "3"}})

    assert_refused(response, code="too_many_definitions")
    assert properties_of(api) == {"seed": "x"}
    assert set(definitions_of(api)) == {"seed"}


# --- collection items


def test_collection_exactly_at_the_item_limit_is_stored(api, settings):
    items = [f"i{n}" for n in range(settings.CONTACTS_MAX_COLLECTION_ITEMS)]

    response = put(api, {"email": EMAIL, "properties": {"colors": items}})

    assert response.status_code == 200, response.content
    assert properties_of(api) == {"colors": items}


def test_collection_one_item_past_the_limit_is_refused_and_nothing_stored(api, settings):
    make_customer(api.api_key.account, EMAIL, SEED)
    items = [f"i{n}" for n in range(settings.CONTACTS_MAX_COLLECTION_ITEMS + 1)]

    response = put(api, {"email": EMAIL, "properties": {"colors": items}})

    error = assert_refused(response)
    assert str(settings.CONTACTS_MAX_COLLECTION_ITEMS) in error["message"]
    assert properties_of(api) == {"seed": "x"}
    assert set(definitions_of(api)) == {"seed"}


# --- keys per request


def test_exactly_50_keys_in_one_update_are_stored(api, settings):
    assert settings.CONTACTS_MAX_KEYS_PER_REQUEST == 50
    written = {f"key_{n}": n for n in range(50)}

    response = put(api, {"email": EMAIL, "properties": written})

    assert response.status_code == 200, response.content
    assert properties_of(api) == written


def test_51_keys_in_one_update_are_refused_before_anything_is_stored(api):
    response = put(api, {"email": EMAIL, "properties": {f"key_{n}": n for n in range(51)}})

    error = assert_refused(response, code="too_many_properties")
    assert "50" in error["message"]
    assert customers_of(api) == []
    assert definitions_of(api) == {}


# --- integers around 2**53, the largest a double holds exactly


@pytest.mark.parametrize("value", [2**53, -(2**53), str(2**53)])
def test_integer_property_at_2_53_is_stored_exactly(api, value):
    response = put(
        api, {"email": EMAIL, "properties": {"big": {"value": value, "type": "integer"}}}
    )

    assert response.status_code == 200, response.content
    assert properties_of(api) == {"big": int(value)}


@pytest.mark.parametrize("value", [2**53 + 1, -(2**53) - 1, str(2**53 + 1)])
def test_integer_property_past_2_53_is_refused_and_nothing_stored(api, value):
    make_customer(api.api_key.account, EMAIL, SEED)

    response = put(
        api, {"email": EMAIL, "properties": {"big": {"value": value, "type": "integer"}}}
    )

    error = assert_refused(response)
    assert str(2**53) in error["message"]
    assert properties_of(api) == {"seed": "x"}
    assert set(definitions_of(api)) == {"seed"}


def test_number_property_at_2_53_is_stored_exactly(api):
    response = put(api, {"email": EMAIL, "properties": {"big": 2**53}})

    assert response.status_code == 200, response.content
    assert properties_of(api) == {"big": 2**53}


def test_number_property_past_2_53_is_never_stored_with_lost_digits(api):
    make_customer(api.api_key.account, EMAIL, SEED)

    response = put(api, {"email": EMAIL, "properties": {"big": 2**53 + 1}})

    # The contract (PRODUCT.md §3) stores values exactly: refused, or stored as sent.
    if response.status_code == 200:
        assert properties_of(api)["big"] == 2**53 + 1
    else:
        assert_refused(response)
        assert properties_of(api) == {"seed": "x"}


# --- request body size


def body_of_exactly(size: int) -> bytes:
    """Return a valid bulk update of exactly `size` bytes."""
    empty = json.dumps({"email": EMAIL, "properties": {"pad": ""}}).encode()
    pad = "p" * (size - len(empty))
    body = json.dumps({"email": EMAIL, "properties": {"pad": pad}}).encode()
    assert len(body) == size
    return body


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@override_settings(CONTACTS_MAX_BODY_BYTES=300)
def test_body_exactly_at_the_size_limit_is_stored(api, chunked):
    body = body_of_exactly(300)
    extra = {}
    if chunked:
        extra = {
            "CONTENT_LENGTH": "",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
        }

    response = api.generic("PUT", URL, body, content_type="application/json", **extra)

    assert response.status_code == 200, response.content
    assert properties_of(api) == json.loads(body)["properties"]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@override_settings(CONTACTS_MAX_BODY_BYTES=300)
def test_body_one_byte_past_the_size_limit_is_413_and_nothing_stored(api, chunked):
    body = body_of_exactly(301)
    extra = {}
    if chunked:
        extra = {
            "CONTENT_LENGTH": "",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
        }

    response = api.generic("PUT", URL, body, content_type="application/json", **extra)

    assert_refused(response, 413, "payload_too_large")
    assert customers_of(api) == []


# --- refusals and deletes that must leave exactly what they say


def test_customerio_wrong_site_id_stores_nothing_in_either_account(api, account, other_account):
    token = base64.b64encode(f"{other_account.site_id}:{api.raw_key}".encode()).decode()

    response = api.put(
        "/compat/customerio/api/v1/customers/u1",
        json.dumps({"email": EMAIL, "plan": "pro"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {token}",
    )

    assert response.status_code == 401, response.content
    assert response.json() == {"meta": {"errors": [response.json()["meta"]["errors"][0]]}}
    assert customers_of(api) == []
    assert definitions_of(api) == {}
    assert not other_account.customers.exists()


def archive(admin_api, key):
    response = admin_api.post(f"/api/properties/{key}/archive")
    assert response.status_code == 200, response.content


# The purge is enqueued when the request's transaction commits: commit as served requests do.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch_size", [5_000, 2], ids=["one-batch", "several-batches"])
def test_inline_purge_counts_exactly_the_values_it_removed(
    api, admin_api, other_api, monkeypatch, batch_size
):
    monkeypatch.setattr(purges, "PURGE_BATCH_SIZE", batch_size)
    for n in range(5):
        put(api, {"email": f"c{n}@example.com", "properties": {"plan": f"p{n}", "other": n}})
    put(api, {"email": "no-plan@example.com", "properties": {"other": 9}})
    put(other_api, {"email": "c0@example.com", "properties": {"plan": "theirs"}})
    assert definitions_of(api)["plan"]["customer_count"] == 5
    archive(admin_api, "plan")

    response = admin_api.delete("/api/properties/plan")

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "deleted", "key": "plan", "values_removed": 5}
    assert "plan" not in definitions_of(api)
    assert definitions_of(api)["other"]["customer_count"] == 6
    for customer in customers_of(api):
        assert "plan" not in customer["properties"]
    assert properties_of(other_api, email="c0@example.com") == {"plan": "theirs"}


@pytest.mark.parametrize(
    "properties",
    [
        {"notes": "x" * 10_001},
        {"colors": [str(n) for n in range(101)]},
        {"big": {"value": 2**53 + 1, "type": "integer"}},
        {"k" * 65: "x"},
        {"Plan Tier": "x"},
    ],
    ids=["text", "collection", "integer", "long-key", "unnormalized-key"],
)
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_refused_write_for_a_new_customer_creates_no_customer(api, method, properties):
    ((key, value),) = properties.items()
    if method == "PUT":
        response = put(api, {"email": EMAIL, "properties": properties})
    else:
        body = {"email": EMAIL, **(value if isinstance(value, dict) else {"value": value})}
        response = api.patch(f"{URL}/{key}", json.dumps(body), content_type="application/json")

    assert_refused(response)
    assert customers_of(api) == []
    assert definitions_of(api) == {}
