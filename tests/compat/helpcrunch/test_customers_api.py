"""HelpCrunch v1 customers (seed 004): the seed's body replayed, PUT vs PATCH, create, errors."""

import copy
import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from customers.identifiers import Identifier
from customers.models import Customer, DataIssue, PropertyDefinition, PropertyValue, Tag
from customers.services import Actor, PropertyWrite, customer_profile_save, definition_archive
from tests.compat.helpcrunch.helpers import BASE, define, error_of, native_properties, send

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")

# The request body of seed 004, verbatim. Its email is the "[email protected]" placeholder
# the documentation page was captured with (an address hidden by the page's host).
SEED_BODY = {
    "name": "John Doe",
    "email": "[email protected]",
    "userId": "user_1234567890",
    "company": "Example Inc.",
    "phone": "+10233456781",
    "firstSeen": "1603885746",
    "lastSeen": "1603885746",
    "unsubscribed": False,
    "blocked": False,
    "source": "https://example.com",
    "referer": "https://example.com",
    "lastPage": "https://example.com",
    "locale": "uk",
    "notes": "Lorem ipsum",
    "tags": [{"name": "vip", "color": "#ff0000"}],
    "customData": [
        {"property": "subscription_status", "value": "active"},
        {"property": "number_of_payments", "value": 15},
        {"property": "last_paid_amount", "value": 15.99},
        {"property": "last_payment_date", "value": "1603885746"},
        {"property": "last_invoice_url", "value": "https://example.com/invoice.html"},
        {"property": "last_payment_was_successful", "value": True},
    ],
}
EMAIL = "john.doe@example.com"
SEEN_AT = datetime.datetime(2020, 10, 28, 11, 49, 6, tzinfo=datetime.UTC)
# The seed's "Successful Response", less what this service does not hold (location,
# device, createdFrom, integrationId: null).
SEED_RESPONSE = {
    "name": "John Doe",
    "email": EMAIL,
    "userId": "user_1234567890",
    "company": "Example Inc.",
    "phone": "+10233456781",
    "firstSeen": "1603885746",
    "lastSeen": "1603885746",
    "location": None,
    "device": None,
    "unsubscribed": False,
    "blocked": False,
    "source": "https://example.com",
    "referer": "https://example.com",
    "lastPage": "https://example.com",
    "locale": "uk",
    "createdFrom": None,
    "integrationId": None,
    "notes": "Lorem ipsum",
    "tags": [{"name": "vip", "color": "#ff0000"}],
    "customData": {
        "subscription_status": "active",
        "number_of_payments": 15,
        "last_paid_amount": 15.99,
        "last_payment_date": 1603885746,
        "last_invoice_url": "https://example.com/invoice.html",
        "last_payment_was_successful": True,
    },
}


def seed_body() -> dict:
    body = copy.deepcopy(SEED_BODY)
    body["email"] = EMAIL
    return body


def create(hc, **fields) -> dict:
    if not {"userId", "email", "phone"} & set(fields):
        fields["email"] = "someone@example.com"
    response = send(hc, "POST", "/customers", fields)
    assert response.status_code == 201, response.content
    return response.json()


def profile(account, user_id: str, fields=None, **props) -> Customer:
    customer, _ = customer_profile_save(
        account=account,
        identifier=Identifier("user_id", user_id),
        fields=fields or {},
        writes=[PropertyWrite(k, v) for k, v in props.items()],
    )
    return customer


# --- the seed's request body


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_seed_body_gives_the_documented_customer(hc, api, account, method):
    # A HelpCrunch account has its custom attributes' types configured: here, a date.
    define(api, "last_payment_date", "date")
    customer = create(hc, email="old@example.com", company="Old Inc.")

    response = send(hc, method, f"/customers/{customer['id']}", seed_body())

    assert response.status_code == 200, response.content
    assert response.json() == {"id": customer["id"], **SEED_RESPONSE}
    stored = Customer.objects.get(pk=customer["id"])
    assert (stored.first_name, stored.last_name) == ("John", "Doe")
    assert (stored.email, stored.user_id, stored.phone) == (
        EMAIL,
        "user_1234567890",
        "+10233456781",
    )
    assert stored.company == "Example Inc."
    assert [(t.name, t.color) for t in stored.tags.all()] == [("vip", "#ff0000")]
    assert native_properties(api, customer["id"]) == {
        "first_seen": (SEEN_AT.isoformat(), "date"),
        "last_seen": (SEEN_AT.isoformat(), "date"),
        "unsubscribed": (False, "boolean"),
        "blocked": (False, "boolean"),
        "source": ("https://example.com", "text"),
        "referer": ("https://example.com", "text"),
        "last_page": ("https://example.com", "text"),
        "locale": ("uk", "text"),
        "notes": ("Lorem ipsum", "text"),
        "subscription_status": ("active", "text"),
        "number_of_payments": (15, "number"),
        "last_paid_amount": (15.99, "number"),
        "last_payment_date": (SEEN_AT.isoformat(), "date"),
        "last_invoice_url": ("https://example.com/invoice.html", "text"),
        "last_payment_was_successful": (True, "boolean"),
    }


def test_seed_date_string_without_a_date_property_is_kept_as_text(hc, api):
    customer = create(hc)

    response = send(hc, "PATCH", f"/customers/{customer['id']}", seed_body())

    assert response.status_code == 200, response.content
    # Strings are never guessed to be dates: the account has not said this one is.
    assert response.json()["customData"]["last_payment_date"] == "1603885746"
    assert native_properties(api, customer["id"])["last_payment_date"] == ("1603885746", "text")


def test_seed_body_verbatim_is_refused_for_its_placeholder_email(hc, api):
    customer = create(hc, email="old@example.com")

    response = send(hc, "PATCH", f"/customers/{customer['id']}", SEED_BODY)

    error = error_of(response, 400)
    assert error["code"] == "email"
    assert "email address" in error["message"]
    assert Customer.objects.get(pk=customer["id"]).email == "old@example.com"
    assert native_properties(api, customer["id"]) == {}
    assert not Tag.objects.exists()


# --- PATCH: only the fields sent


def test_patch_changes_only_the_fields_sent(hc, api):
    customer = create(hc, **seed_body())

    response = send(hc, "PATCH", f"/customers/{customer['id']}", {"company": "New Inc."})

    assert response.status_code == 200, response.content
    assert response.json() == {**customer, "company": "New Inc."}
    before = native_properties(api, customer["id"])
    assert before["notes"] == ("Lorem ipsum", "text")
    assert before["number_of_payments"] == (15, "number")
    assert Customer.objects.get(pk=customer["id"]).company == "New Inc."


def test_patch_null_clears_only_that_field(hc, api, account):
    customer = create(hc, **seed_body())
    body = {
        "email": None,
        "notes": None,
        "tags": None,
        "customData": [{"property": "subscription_status", "value": None}],
    }

    response = send(hc, "PATCH", f"/customers/{customer['id']}", body)

    assert response.status_code == 200, response.content
    result = response.json()
    assert result["email"] is None
    assert result["notes"] is None
    assert result["tags"] == []
    assert "subscription_status" not in result["customData"]
    assert result["customData"]["number_of_payments"] == 15
    assert result["userId"] == "user_1234567890"
    assert result["firstSeen"] == "1603885746"
    stored = native_properties(api, customer["id"])
    assert "notes" not in stored
    assert "subscription_status" not in stored
    assert stored["locale"] == ("uk", "text")
    assert Customer.objects.get(pk=customer["id"]).email is None
    # Unassigned from this customer only: the definitions stay.
    assert PropertyDefinition.objects.filter(key__in=["notes", "subscription_status"]).count() == 2
    assert Tag.objects.filter(account=account, name="vip").exists()


def test_patch_custom_data_null_unassigns_all_custom_data_but_no_standard_field(hc, api):
    customer = create(hc, **seed_body())

    response = send(hc, "PATCH", f"/customers/{customer['id']}", {"customData": None})

    assert response.status_code == 200, response.content
    assert response.json()["customData"] == {}
    assert response.json()["notes"] == "Lorem ipsum"
    assert set(native_properties(api, customer["id"])) == {
        "first_seen",
        "last_seen",
        "unsubscribed",
        "blocked",
        "source",
        "referer",
        "last_page",
        "locale",
        "notes",
    }


# --- PUT: replace


def test_put_clears_every_field_omitted(hc, api, account):
    customer = create(hc, **seed_body())
    other = profile(account, "other", number_of_payments=3, notes="keep")

    response = send(hc, "PUT", f"/customers/{customer['id']}", {"name": "Jane Roe"})

    assert response.status_code == 200, response.content
    assert response.json() == {
        **dict.fromkeys(SEED_RESPONSE),
        "id": customer["id"],
        "name": "Jane Roe",
        "tags": [],
        "customData": {},
    }
    stored = Customer.objects.get(pk=customer["id"])
    assert (stored.email, stored.user_id, stored.phone, stored.company) == (None, None, None, "")
    assert (stored.first_name, stored.last_name) == ("Jane", "Roe")
    assert not stored.tags.exists()
    assert native_properties(api, customer["id"]) == {}
    # The definitions and another customer's values stay.
    assert PropertyDefinition.objects.filter(key="number_of_payments").exists()
    assert native_properties(api, other.pk) == {
        "number_of_payments": (3, "number"),
        "notes": ("keep", "text"),
    }


def test_put_custom_data_is_the_whole_custom_data(hc, api):
    customer = create(hc, email="a@example.com", customData={"plan": "basic", "seats": 3})

    response = send(
        hc,
        "PUT",
        f"/customers/{customer['id']}",
        {"email": "a@example.com", "customData": {"plan": "pro"}},
    )

    assert response.status_code == 200, response.content
    assert response.json()["customData"] == {"plan": "pro"}
    assert native_properties(api, customer["id"]) == {"plan": ("pro", "text")}


def test_put_unassigns_a_standard_field_whatever_its_definitions_type(hc, api, account):
    define(api, "source", "url")
    customer = profile(account, "u1", source="https://example.com/a")

    response = send(hc, "PUT", f"/customers/{customer.pk}", {"userId": "u1"})

    assert response.status_code == 200, response.content
    assert response.json()["source"] is None
    assert native_properties(api, customer.pk) == {}


def test_put_leaves_an_archived_property_alone(hc, api, account):
    customer = profile(account, "u1", notes="old", plan="basic")
    archived = PropertyDefinition.objects.get(account=account, key="notes")
    definition_archive(definition=archived, actor=Actor(system="tests"))

    response = send(hc, "PUT", f"/customers/{customer.pk}", {"userId": "u1"})

    assert response.status_code == 200, response.content
    assert (response.json()["notes"], response.json()["customData"]) == (None, {})
    # Archived values are kept (hidden) until the definition is restored or purged.
    assert PropertyValue.objects.filter(customer=customer, definition=archived).exists()
    assert native_properties(api, customer.pk) == {}


@override_settings(CONTACTS_MAX_DEFINITIONS=2)
def test_custom_data_over_the_definitions_limit_is_kept_as_data_issues(hc, api):
    customer = create(hc)

    response = send(
        hc,
        "PATCH",
        f"/customers/{customer['id']}",
        {"notes": "kept", "customData": {"a": 1, "b": 2, "c": 3}},
    )

    assert response.status_code == 200, response.content
    assert native_properties(api, customer["id"]) == {}
    issues = DataIssue.objects.order_by("key")
    assert [(i.door, i.key, i.value, i.reason) for i in issues] == [
        ("helpcrunch", "a", "1", "too_many_definitions"),
        ("helpcrunch", "b", "2", "too_many_definitions"),
        ("helpcrunch", "c", "3", "too_many_definitions"),
        ("helpcrunch", "notes", "kept", "too_many_definitions"),
    ]


# --- customData


def test_custom_data_as_an_object_has_its_names_normalized(hc, api):
    customer = create(hc)

    response = send(
        hc,
        "PATCH",
        f"/customers/{customer['id']}",
        {"customData": {"Plan Tier": "gold", "seatCount": 3, "tags": ["a", "b"]}},
    )

    assert response.status_code == 200, response.content
    assert response.json()["customData"] == {
        "plan_tier": "gold",
        "seat_count": 3,
        "tags": ["a", "b"],
    }
    assert native_properties(api, customer["id"]) == {
        "plan_tier": ("gold", "text"),
        "seat_count": (3, "number"),
        "tags": (["a", "b"], "collection"),
    }
    assert PropertyDefinition.objects.get(key="plan_tier").label == "Plan Tier"


def test_custom_data_value_its_property_refuses_is_a_data_issue_and_the_rest_is_stored(hc, api):
    # HelpCrunch stores any custom data value; "many" does not fit an integer property.
    define(api, "seats", "integer")
    customer = create(hc, company="Old")

    response = send(
        hc,
        "PATCH",
        f"/customers/{customer['id']}",
        {"company": "New", "notes": "x", "customData": {"plan": "pro", "seats": "many"}},
    )

    assert response.status_code == 200, response.content
    assert response.json()["customData"] == {"plan": "pro"}
    assert Customer.objects.get(pk=customer["id"]).company == "New"
    assert native_properties(api, customer["id"]) == {
        "notes": ("x", "text"),
        "plan": ("pro", "text"),
    }
    issue = DataIssue.objects.get()
    assert (issue.door, issue.key, issue.value, issue.customer_id) == (
        "helpcrunch",
        "seats",
        "many",
        customer["id"],
    )
    assert issue.reason == "invalid_value"
    assert "whole number" in issue.message


def test_custom_data_value_of_an_archived_property_is_a_data_issue(hc, api, account):
    define(api, "plan", "text")
    definition_archive(
        definition=PropertyDefinition.objects.get(key="plan"), actor=Actor(system="test")
    )
    customer = create(hc)

    response = send(
        hc, "PATCH", f"/customers/{customer['id']}", {"customData": {"plan": "pro", "seats": 2}}
    )

    assert response.status_code == 200, response.content
    assert native_properties(api, customer["id"]) == {"seats": (2, "number")}
    assert DataIssue.objects.get().key == "plan"


def test_standard_field_inside_custom_data_is_refused(hc):
    customer = create(hc)

    response = send(hc, "PATCH", f"/customers/{customer['id']}", {"customData": {"notes": "x"}})

    error = error_of(response, 400)
    assert error["code"] == "customData.notes"
    assert "top level" in error["message"]
    assert not PropertyValue.objects.exists()


def test_standard_field_of_the_wrong_type_is_refused_with_its_name(hc, api):
    customer = create(hc)

    for body, code in [
        ({"unsubscribed": "maybe"}, "unsubscribed"),
        ({"firstSeen": "yesterday"}, "firstSeen"),
        ({"firstSeen": 1.5}, "firstSeen"),
        ({"locale": 5}, "locale"),
        ({"name": 5}, "name"),
        ({"email": ["a@example.com"]}, "email"),
        ({"phone": "555-0100"}, "phone"),
        ({"tags": "vip"}, "tags"),
        ({"tags": [{"color": "#fff"}]}, "tags[0].name"),
        ({"customData": "plan=pro"}, "customData"),
        ({"customData": [{"value": 1}]}, "customData[0]"),
        ({"company": "x" * 201}, "company"),
    ]:
        response = send(hc, "PATCH", f"/customers/{customer['id']}", body)
        assert error_of(response, 400)["code"] == code, body
    assert native_properties(api, customer["id"]) == {}
    assert not DataIssue.objects.exists()


def test_unknown_field_is_ignored_as_helpcrunch_does(hc, api):
    customer = create(hc)

    response = send(
        hc, "PATCH", f"/customers/{customer['id']}", {"plan": "pro", "city": "London", "notes": "x"}
    )

    assert response.status_code == 200, response.content
    assert "plan" not in response.json()["customData"]
    assert native_properties(api, customer["id"]) == {"notes": ("x", "text")}
    assert not PropertyDefinition.objects.filter(key__in=["plan", "city"]).exists()


def test_fields_this_service_cannot_hold_are_ignored(hc, api):
    customer = create(hc)
    body = {
        "location": {"city": "Kyiv", "countryCode": "UA"},
        "device": {"platform": "desktop"},
        "createdFrom": "telegram",
        "integrationId": "465847687",
        "locale": "uk",
    }

    response = send(hc, "PATCH", f"/customers/{customer['id']}", body)

    assert response.status_code == 200, response.content
    result = response.json()
    assert [result[k] for k in ("location", "device", "createdFrom", "integrationId")] == [None] * 4
    assert native_properties(api, customer["id"]) == {"locale": ("uk", "text")}


def test_name_is_split_at_the_first_space(hc):
    customer = create(hc, email="m@example.com", name="Mary Ann Smith")

    stored = Customer.objects.get(pk=customer["id"])
    assert (stored.first_name, stored.last_name) == ("Mary", "Ann Smith")
    assert customer["name"] == "Mary Ann Smith"


def test_timestamps_are_accepted_as_strings_or_numbers_and_returned_as_strings(hc, api):
    customer = create(hc, email="t@example.com", firstSeen=1603885746, lastSeen="1603885800")

    # As documented: standard dates are strings, dates inside customData are numbers.
    assert (customer["firstSeen"], customer["lastSeen"]) == ("1603885746", "1603885800")
    read = send(hc, "GET", f"/customers/{customer['id']}").json()
    assert (read["firstSeen"], read["lastSeen"]) == ("1603885746", "1603885800")
    assert native_properties(api, customer["id"])["last_seen"] == (
        "2020-10-28T11:50:00+00:00",
        "date",
    )


def test_body_id_must_be_the_customer_of_the_url(hc):
    customer = create(hc)

    same = send(hc, "PATCH", f"/customers/{customer['id']}", {"id": customer["id"], "notes": "a"})
    other = send(hc, "PATCH", f"/customers/{customer['id']}", {"id": customer["id"] + 1})

    assert same.status_code == 200
    assert error_of(other, 400)["code"] == "id"


# --- create and read


def test_create_returns_the_customer_and_stores_it(hc, api, account):
    response = send(
        hc,
        "POST",
        "/customers",
        {
            "userId": "usr_1",
            "email": "Ann@Example.com",
            "name": "Ann Lee",
            "blocked": True,
            "tags": [{"name": "lead"}],
            "customData": [{"property": "plan", "value": "pro"}],
        },
    )

    assert response.status_code == 201, response.content
    customer = Customer.objects.get(account=account, user_id="usr_1")
    assert response.json() == {
        **dict.fromkeys(SEED_RESPONSE),
        "id": customer.pk,
        "name": "Ann Lee",
        "email": "ann@example.com",
        "userId": "usr_1",
        "blocked": True,
        "tags": [{"name": "lead", "color": "#c377e0"}],
        "customData": {"plan": "pro"},
    }
    assert native_properties(api, customer.pk) == {
        "blocked": (True, "boolean"),
        "plan": ("pro", "text"),
    }


def test_create_without_user_id_email_or_phone_is_refused(hc):
    response = send(hc, "POST", "/customers", {"name": "Nobody"})

    assert error_of(response, 400)["code"] == "userId"
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [({"userId": "taken"}, "userId"), ({"email": "taken@example.com"}, "email")],
)
def test_create_with_an_identifier_another_customer_holds_is_409(hc, account, body, code):
    profile(account, "taken", fields={"email": "taken@example.com"})

    response = send(hc, "POST", "/customers", {**body, "name": "Copy Cat"})

    assert error_of(response, 409)["code"] == code
    assert Customer.objects.count() == 1
    assert Customer.objects.get().first_name == ""


@pytest.mark.parametrize(
    ("body", "code"),
    [({"userId": "taken"}, "userId"), ({"email": "taken@example.com"}, "email")],
)
def test_changing_to_an_identifier_another_customer_holds_is_409(hc, account, body, code):
    profile(account, "taken", fields={"email": "taken@example.com"})
    customer = create(hc, email="mine@example.com")

    response = send(hc, "PATCH", f"/customers/{customer['id']}", {**body, "notes": "x"})

    assert error_of(response, 409)["code"] == code
    stored = Customer.objects.get(pk=customer["id"])
    assert (stored.email, stored.user_id) == ("mine@example.com", None)
    assert not PropertyValue.objects.filter(customer=stored).exists()


def test_get_returns_the_customer(hc):
    customer = create(hc, **seed_body())

    response = send(hc, "GET", f"/customers/{customer['id']}")

    assert response.status_code == 200
    assert response.json() == customer


# --- not found, auth, malformed input


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/customers/999999", None),
        ("PUT", "/customers/999999", {"name": "x"}),
        ("PATCH", "/customers/999999", {"name": "x"}),
        ("PUT", "/customers/999999/tags", {"tags": [{"name": "x"}]}),
        ("DELETE", "/customers/999999/tags", {"tags": [{"name": "x"}]}),
    ],
)
def test_unknown_customer_is_404(hc, method, path, body):
    response = send(hc, method, path, body)

    assert error_of(response, 404) == {"code": "not_found", "message": "Customer not found"}
    assert not Tag.objects.exists()


def test_another_accounts_customer_is_404_and_left_unchanged(hc, other_hc):
    theirs = create(other_hc, email="theirs@example.com", notes="theirs")

    for method in ("GET", "PUT", "PATCH"):
        response = send(hc, method, f"/customers/{theirs['id']}", None if method == "GET" else {})
        assert error_of(response, 404)["code"] == "not_found"
    assert send(other_hc, "GET", f"/customers/{theirs['id']}").json() == theirs


def test_non_numeric_customer_id_is_400_as_in_the_seed(hc):
    response = send(hc, "GET", "/customers/abc")

    error = error_of(response, 400)
    assert error["code"] == "customer"
    assert "numeric" in error["message"]


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer ca_nope_nope", "Bearer ", "Basic dXNlcjpwYXNz", "api_key=whatever"],
)
def test_missing_or_bad_key_is_401_in_helpcrunch_format(db, authorization):
    client = APIClient()
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = client.get(f"{BASE}/customers", **headers)

    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {"code": "invalid_request", "message": "Invalid request"},
            {"code": "unauthorized", "message": "Unauthorized"},
        ]
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_or_native_header_only_key_is_401(api):
    response = api.get(f"{BASE}/customers")  # X-API-Key only: not HelpCrunch's header

    assert error_of(response, 401)["code"] == "unauthorized"


@override_settings(API_RATE_LIMIT="2/min")
def test_rate_limit_is_429_too_many_requests_with_retry_after(hc):
    cache.clear()

    responses = [send(hc, "GET", "/customers") for _ in range(3)]

    assert [r.status_code for r in responses[:2]] == [200, 200]
    assert error_of(responses[2], 429) == {
        "code": "too_many_requests",
        "message": "Too many requests",
    }
    assert int(responses[2]["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ('{"name": "Jo', "body"),
        ('{"name": "Jo\\u0000e"}', "body"),
        ('{"name": "\\ud800"}', "body"),
        ('{"customData": {"plan": "\\udfff"}}', "body"),
        ('{"notes": NaN}', "body"),
        ("[1, 2]", "body"),
        ('"text"', "body"),
    ],
)
def test_malformed_bodies_are_400_and_write_nothing(hc, api, raw, code):
    customer = create(hc, email="keep@example.com")

    for method in ("PUT", "PATCH"):
        response = send(hc, method, f"/customers/{customer['id']}", raw)
        assert error_of(response, 400)["code"] == code
    stored = Customer.objects.get(pk=customer["id"])
    assert (stored.email, stored.first_name) == ("keep@example.com", "")
    assert native_properties(api, customer["id"]) == {}


def test_form_body_is_415(hc):
    customer = create(hc)

    response = hc.patch(
        f"{BASE}/customers/{customer['id']}",
        "name=x",
        content_type="application/x-www-form-urlencoded",
    )

    assert error_of(response, 415)["code"] == "unsupported_media_type"


@override_settings(CONTACTS_MAX_BODY_BYTES=100)
def test_body_over_the_limit_is_413(hc, account):
    customer = profile(account, "u1")

    response = send(hc, "PATCH", f"/customers/{customer.pk}", {"notes": "x" * 200})

    assert error_of(response, 413)["code"] == "payload_too_large"
    assert not PropertyValue.objects.exists()


def test_unknown_endpoint_and_method_answer_in_helpcrunch_format(hc):
    assert error_of(send(hc, "GET", "/chats"), 404)["code"] == "not_found"
    assert error_of(send(hc, "POST", "/customers/1"), 405)["code"] == "method_not_allowed"
    assert error_of(send(hc, "GET", "/customers/batch"), 405)["code"] == "method_not_allowed"
