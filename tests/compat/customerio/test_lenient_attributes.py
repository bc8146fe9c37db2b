"""Customer.io's untyped attributes: what fits is stored, the rest is a data issue, never a 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, DataIssue, PropertyDefinition
from tests.compat.customerio.helpers import V1, ok, send
from tests.factories import make_customer, make_definition
from tests.stored import values_of


def issues() -> list[tuple]:
    return list(DataIssue.objects.values_list("door", "key", "reason", "value").order_by("key"))


def test_a_number_then_a_word_for_one_attribute_keeps_the_number_and_records_the_word(track):
    # Customer.io's documentation: seats: 3, later "unlimited" — both accepted there.
    ok(send(track, "put", f"{V1}/customers/u1", {"seats": 3}))

    ok(send(track, "put", f"{V1}/customers/u1", {"seats": "unlimited", "plan": "pro"}))

    person = Customer.objects.get(user_id="u1")
    assert values_of(person) == {"seats": 3, "plan": "pro"}
    [(door, key, reason, value)] = issues()
    assert (door, key, value) == ("customerio", "seats", "unlimited")
    assert reason == "invalid_value"
    assert DataIssue.objects.get().customer == person


def test_a_date_that_cannot_be_read_is_recorded_and_the_rest_stored(track, account):
    make_definition(account, "renews_on", "date")

    ok(send(track, "put", f"{V1}/customers/u1", {"renews_on": "31/12/2019", "plan": "pro"}))

    assert values_of(Customer.objects.get(user_id="u1")) == {"plan": "pro"}
    assert [(key, value) for _, key, _, value in issues()] == [("renews_on", "31/12/2019")]


def test_a_text_over_the_limit_is_recorded_with_its_value_truncated(track, settings):
    settings.CONTACTS_MAX_TEXT_LENGTH = 10

    ok(send(track, "put", f"{V1}/customers/u1", {"bio": "x" * 2000, "plan": "pro"}))

    assert values_of(Customer.objects.get(user_id="u1")) == {"plan": "pro"}
    issue = DataIssue.objects.get()
    assert issue.key == "bio"
    assert 0 < len(issue.value) < 2000


def test_an_email_another_person_holds_is_recorded_and_their_email_kept(track, account):
    make_customer(account, "ann@example.com", user_id="ann")

    ok(send(track, "put", f"{V1}/customers/bob", {"email": "ANN@example.com", "plan": "pro"}))

    bob = Customer.objects.get(user_id="bob")
    assert bob.email is None
    assert values_of(bob) == {"plan": "pro"}
    assert Customer.objects.get(user_id="ann").email == "ann@example.com"
    assert issues() == [("customerio", "email", "identifier_taken", "ANN@example.com")]


def test_an_email_that_is_no_address_is_recorded_not_refused(track):
    ok(send(track, "put", f"{V1}/customers/bob", {"email": "not an email", "plan": "pro"}))

    bob = Customer.objects.get(user_id="bob")
    assert (bob.email, values_of(bob)) == (None, {"plan": "pro"})
    assert [key for _, key, _, _ in issues()] == ["email"]


ADDRESS = {"city": "Lisbon", "zip": "1000"}
ADDRESSES = [{"city": "Lisbon"}, {"city": "Porto"}]


@pytest.mark.parametrize("stored", [ADDRESS, ADDRESSES])
def test_nested_attributes_are_stored_as_json(track, stored):
    response = send(track, "put", f"{V1}/customers/u1", {"address": stored, "plan": "pro"})

    assert response.status_code == 200, response.content
    assert values_of(Customer.objects.get(user_id="u1")) == {"address": stored, "plan": "pro"}
    assert PropertyDefinition.objects.get(key="address").type == "json"
    assert not DataIssue.objects.exists()


def test_a_write_with_nothing_refused_records_no_issue(track):
    ok(send(track, "put", f"{V1}/customers/u1", {"plan": "pro", "seats": 3}))

    assert not DataIssue.objects.exists()


def test_an_identify_without_refusals_runs_the_statements_of_a_strict_write(track):
    body = {"email": "ann@example.com", "plan": "pro", "seats": 3, "vip": True}
    ok(send(track, "put", f"{V1}/customers/u1", body))

    with CaptureQueriesContext(connection) as queries:
        ok(send(track, "put", f"{V1}/customers/u1", body))

    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    # The key, the person, the definitions, one values upsert, the touch; the values'
    # savepoint and the test's own transaction's.
    assert statements.count("SAVEPOINT") <= 2, statements
    assert [s for s in statements if s not in ("SAVEPOINT", "RELEASE")] == [
        "SELECT",
        "SELECT",
        "SELECT",
        "INSERT",
        "UPDATE",
    ]


def test_a_refused_value_is_shown_by_the_data_issues_api_and_page(track, admin_client):
    ok(send(track, "put", f"{V1}/customers/u1", {"seats": 3}))
    for person in ("u1", "u2"):
        ok(send(track, "put", f"{V1}/customers/{person}", {"seats": "unlimited"}))

    listed = track.get("/api/data-issues", headers={"X-API-Key": track.raw_key})
    assert listed.status_code == 200, listed.content
    [group] = listed.json()["groups"]
    assert (group["key"], group["reason"], group["count"]) == ("seats", "invalid_value", 2)

    page = admin_client.get("/data-issues/")
    assert page.status_code == 200
    assert "seats" in page.content.decode()
    assert "unlimited" in page.content.decode()
