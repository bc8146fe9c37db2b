"""GET /api/data-issues: refused values of lenient doors, grouped, through the native API."""

import json

import pytest

from customers.errors import InvalidValue
from customers.services.data_issues import data_issues_record
from customers.services.properties import RefusedProperty
from tests.factories import make_customer, make_definition

URL = "/api/data-issues"


def record(account, customer, key, value, message="Expected a number.", door="customerio"):
    error = InvalidValue(message)
    data_issues_record(
        account=account,
        door=door,
        customer=customer,
        refused=[RefusedProperty(key, error)],
        sent={key: value},
    )


def test_issues_are_listed_grouped_with_samples_and_their_property(api, account):
    make_definition(account, "seats", "number", label="Seats")
    ann = make_customer(account, "ann@example.com")
    record(account, ann, "seats", "unlimited")
    record(account, ann, "seats", {"max": 5}, message="Expected a number, got an object.")

    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["page"], body["pages"]) == ("ok", 1, 1)
    assert (body["total_groups"], body["total_issues"]) == (1, 2)
    [group] = body["groups"]
    assert (group["key"], group["reason"], group["count"]) == ("seats", "invalid_value", 2)
    assert group["message"] == "Expected a number, got an object."
    assert group["property"] == {
        "key": "seats",
        "label": "Seats",
        "type": "number",
        "archived": False,
    }
    assert [(s["value"], s["door"], s["customer_id"]) for s in group["samples"]] == [
        ('{"max": 5}', "customerio", ann.pk),
        ("unlimited", "customerio", ann.pk),
    ]
    assert group["latest_at"] == group["samples"][0]["created_at"]


def test_an_issue_without_property_or_customer_has_nulls(api, account):
    record(account, None, "email", "taken@example.com", door="customerio")

    [group] = api.get(URL).json()["groups"]

    assert group["property"] is None
    assert group["samples"][0]["customer_id"] is None


def test_no_issues_is_an_empty_list(api):
    body = api.get(URL + "/").json()

    assert body == {
        "status": "ok",
        "groups": [],
        "page": 1,
        "pages": 1,
        "total_groups": 0,
        "total_issues": 0,
    }


def test_pages_and_limit(api, account):
    for i in range(5):
        record(account, None, f"k{i}", i)

    body = api.get(URL, {"limit": 2, "page": 3}).json()

    assert [g["key"] for g in body["groups"]] == ["k0"]
    assert (body["page"], body["pages"], body["total_groups"]) == (3, 3, 5)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("page", "0"),
        ("page", "x"),
        ("page", "-1"),
        ("page", "100001"),
        ("limit", "0"),
        ("limit", "101"),
        ("limit", "1.5"),
        ("limit", "٣"),
    ],
)
def test_malformed_paging_is_a_400_saying_what_to_send(api, name, raw):
    response = api.get(URL, {name: raw})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert "Use a whole number from 1 to" in json.dumps(error["details"])


def test_empty_paging_parameters_take_the_defaults(api, account):
    record(account, None, "k", 1)

    body = api.get(URL, {"page": "", "limit": ""}).json()

    assert (body["page"], len(body["groups"])) == (1, 1)


def test_admin_keys_read_issues_too(admin_api, account):
    record(account, None, "k", 1)

    assert admin_api.get(URL).json()["total_issues"] == 1


def test_another_accounts_issues_are_not_visible(other_api, account):
    record(account, None, "k", 1)

    assert other_api.get(URL).json()["groups"] == []


def test_without_a_key_it_is_a_401(client, db):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
