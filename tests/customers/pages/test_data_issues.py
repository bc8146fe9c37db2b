"""The Data issues page: groups with counts, samples and links to fix the property."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.errors import InvalidValue, TypeConflict
from customers.services.data_issues import data_issues_record
from customers.services.properties import RefusedProperty
from tests.factories import make_customer, make_definition

URL = "/data-issues/"


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def record(account, key, value, *, error=None, customer=None, door="customerio"):
    data_issues_record(
        account=account,
        door=door,
        customer=customer,
        refused=[RefusedProperty(key, error or InvalidValue("Expected a number."))],
        sent={key: value},
    )


def test_groups_show_counts_reason_message_and_samples(admin_client, account):
    make_definition(account, "seats", "number", label="Seats")
    ann = make_customer(account, "ann@example.com")
    record(account, "seats", "unlimited", customer=ann)
    record(account, "seats", "lots", customer=ann)
    record(account, "plan", 3, error=TypeConflict("Property plan is of type text."))

    response = admin_client.get(URL)

    assert response.status_code == 200
    text = text_of(response)
    assert "3 issues in 2 groups" in text
    assert "Seats seats 2 issues Value does not fit the property" in text
    assert "Property type: Number" in text
    assert "Expected a number." in text
    assert "lots ann@example.com customerio" in text
    assert text.index("lots ann@example.com") < text.index("unlimited ann@example.com")
    assert "plan plan 1 issue Sent with another type" in text
    html = response.content.decode()
    assert 'href="/attributes/seats/"' in html
    assert 'href="/attributes/seats/type/"' in html
    assert f'href="/customers/{ann.pk}/"' in html
    assert response.context["nav"] == "attributes"


def test_values_are_shown_escaped(admin_client, account):
    record(account, "bio", "<script>alert(1)</script>")

    html = admin_client.get(URL).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_marketers_see_the_property_but_no_type_change(marketer_client, account):
    make_definition(account, "seats", "number", label="Seats")
    record(account, "seats", "unlimited")

    response = marketer_client.get(URL)

    html = response.content.decode()
    assert 'href="/attributes/seats/"' in html
    assert "/attributes/seats/type/" not in html
    assert "An admin can change its type." in text_of(response)


def test_an_archived_property_links_to_restore_not_type_change(admin_client, account):
    make_definition(account, "old", archived=True)
    record(account, "old", 1)

    html = admin_client.get(URL).content.decode()

    assert 'href="/attributes/old/restore/"' in html
    assert "/attributes/old/type/" not in html


def test_a_key_without_property_links_nowhere(admin_client, account):
    record(account, "email", "taken@example.com")

    html = admin_client.get(URL).content.decode()

    assert "/attributes/email/" not in html
    assert "taken@example.com" in html


def test_no_issues_shows_what_will_appear_here(admin_client, account):
    text = text_of(admin_client.get(URL))

    assert "No data issues" in text
    assert "Every value your integrations sent was stored." in text


def test_many_groups_are_paginated(admin_client, account):
    for i in range(25):
        record(account, f"k{i:02}", i)

    first = admin_client.get(URL)
    second = admin_client.get(URL, {"page": 2})
    beyond = admin_client.get(URL, {"page": 9})
    garbage = admin_client.get(URL, {"page": "x"})

    assert len(first.context["rows"]) == 20
    assert "Page 1 of 2" in text_of(first)
    assert 'href="?page=2"' in first.content.decode()
    assert len(second.context["rows"]) == 5
    assert 'href="?page=1"' in second.content.decode()
    assert "No issues on this page" in text_of(beyond)
    assert garbage.context["issues"].page == 1


@pytest.mark.parametrize("groups", [2, 30])
def test_the_page_runs_the_same_queries_for_2_and_30_groups(admin_client, account, groups):
    ann = make_customer(account)
    for i in range(groups):
        make_definition(account, f"k{i}")
        record(account, f"k{i}", i, customer=ann)
        record(account, f"k{i}", -i, customer=ann)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(URL)

    assert response.status_code == 200
    assert len(queries) == PAGE_QUERIES


# Session, user, membership (login and the account), then the selector's four.
PAGE_QUERIES = 7


def test_the_contact_attributes_page_links_here(admin_client, account):
    html = admin_client.get("/attributes/").content.decode()

    assert 'href="/data-issues/"' in html


def test_another_accounts_issues_are_not_shown(other_admin_client, account):
    record(account, "seats", "unlimited")

    assert "No data issues" in text_of(other_admin_client.get(URL))


def test_login_is_required(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]
