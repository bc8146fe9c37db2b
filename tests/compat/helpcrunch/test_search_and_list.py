"""HelpCrunch v1 customer list (sort, order, offset, limit) and search (filters, AND/OR)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.identifiers import Identifier
from customers.models import Customer, Tag
from customers.services import (
    PropertyWrite,
    customer_profile_save,
    customer_tags_add,
    tags_ensure,
)
from tests.compat.helpcrunch.helpers import define, error_of, send

pytestmark = pytest.mark.urls("tests.compat.helpcrunch.urls")
SEEN = datetime.datetime(2020, 10, 28, 11, 49, 6, tzinfo=datetime.UTC)


def profile(account, user_id, fields=None, tags=(), **props) -> Customer:
    customer, _ = customer_profile_save(
        account=account,
        identifier=Identifier("user_id", user_id),
        fields=fields or {},
        writes=[PropertyWrite(k, v) for k, v in props.items()],
        tags_added=[(t, None) for t in tags],
    )
    return customer


@pytest.fixture
def people(account, api):
    """Four customers of `account`, one of another account, with values and tags."""
    define(api, "last_seen", "date")
    define(api, "renews_at", "date")
    ann = profile(
        account,
        "ann",
        {"email": "ann@gmail.com", "first_name": "Ann", "last_name": "Lee", "company": "Acme"},
        tags=["vip", "paid"],
        plan="pro",
        seats=10,
        last_seen=SEEN.isoformat(),
        renews_at="2026-01-01",
    )
    bob = profile(
        account,
        "bob",
        {"email": "bob@yahoo.com", "first_name": "Bob", "company": "Globex"},
        tags=["paid"],
        plan="basic",
        seats=2,
        last_seen=(SEEN - datetime.timedelta(days=1)).isoformat(),
    )
    cat = profile(
        account, "cat", {"email": "cat@gmail.com", "first_name": "Cat"}, plan="pro", seats=5
    )
    dan = profile(account, "dan", {"phone": "+14155550123"})
    profile(
        Customer.objects.get(pk=ann.pk).account.__class__.objects.create(
            name="Stranger", slug="stranger", site_id="s" * 20
        ),
        "ann",
        plan="pro",
    )
    return {"ann": ann, "bob": bob, "cat": cat, "dan": dan}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["data"]]


def search(hc, *filters, **options):
    body = {"filter": [{"field": f, "operator": o, "value": v} for f, o, v in filters], **options}
    return send(hc, "POST", "/customers/search", body)


# --- list


def test_list_is_by_id_ascending_20_at_a_time_with_the_total(hc, account, people):
    response = send(hc, "GET", "/customers")

    assert ids(response) == sorted(c.pk for c in people.values())
    assert response.json()["total"] == 4
    first = response.json()["data"][0]
    assert (first["email"], first["customData"], first["lastSeen"]) == (
        "ann@gmail.com",
        {"plan": "pro", "seats": 10, "renews_at": 1767225600},
        str(int(SEEN.timestamp())),
    )
    assert first["tags"] == [
        {"name": "paid", "color": "#c377e0"},
        {"name": "vip", "color": "#c377e0"},
    ]


def test_list_sorts_orders_and_pages(hc, people):
    ann, bob, cat, dan = people.values()

    by_email = send(hc, "GET", "/customers?sort=customers.email&order=desc")
    by_last_seen = send(hc, "GET", "/customers?sort=lastSeen&order=desc")
    page = send(hc, "GET", "/customers?sort=name&order=asc&offset=1&limit=2")

    # Customers without the value come last, whichever the order.
    assert ids(by_email) == [cat.pk, bob.pk, ann.pk, dan.pk]
    assert ids(by_last_seen) == [ann.pk, bob.pk, dan.pk, cat.pk]  # ties: newest id first
    assert ids(page) == [bob.pk, cat.pk]  # names "", Ann, Bob, Cat
    assert page.json()["total"] == 4


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=x", "limit"),
        ("offset=-1", "offset"),
        ("order=up", "order"),
        ("sort=customData.plan", "sort"),
        ("sort=password", "sort"),
    ],
)
def test_list_parameters_out_of_range_are_400(hc, query, code):
    assert error_of(send(hc, "GET", f"/customers?{query}"), 400)["code"] == code


def test_list_and_search_run_a_fixed_number_of_queries_whatever_the_page_size(hc, account):
    def counted(path, body=None):
        with CaptureQueriesContext(connection) as context:
            response = send(hc, "POST" if body else "GET", path, body)
        assert response.status_code == 200, response.content
        return len(context.captured_queries), len(response.json()["data"])

    body = {
        "filter": [
            {"field": "customers.email", "operator": "~", "value": "example"},
            {"field": "customData.plan", "operator": "=", "value": "pro"},
            {"field": "customData.note", "operator": "!~", "value": "x"},
            {"field": "customers.tagsData", "operator": "=", "value": [{"name": "vip"}]},
        ],
        "comparison": "AND",
        "sort": "customers.lastSeen",
        "limit": 100,
    }
    tags = tags_ensure(account=account, tags=[("vip", None), ("paid", "#ff0000")])

    def populate(start, stop):
        for n in range(start, stop):
            customer = profile(
                account,
                f"u{n}",
                {"email": f"u{n}@example.com"},
                plan="pro",
                note="y",
                seats=n,
                last_seen=SEEN.isoformat(),
            )
            customer_tags_add(customer=customer, tags=tags)

    populate(0, 2)
    send(hc, "GET", "/customers")  # the key's first use also records last_used_at
    small = counted("/customers?limit=100&sort=lastSeen"), counted("/customers/search", body)
    populate(2, 40)
    large = counted("/customers?limit=100&sort=lastSeen"), counted("/customers/search", body)

    assert [n for n, _ in small] == [n for n, _ in large]
    assert [rows for _, rows in small] == [2, 2]
    assert [rows for _, rows in large] == [40, 40]
    # Key look-up, count, page, values, tags; search also reads the filters' definitions,
    # and on PostgreSQL counts them among the newest customers, then reads the rarest's ids.
    planned = 2 if connection.vendor == "postgresql" else 0
    assert [n for n, _ in large] == [5, 8 + planned]


# --- search


def test_search_and_matches_every_filter(hc, people):
    response = search(
        hc,
        ("customers.email", "~", "gmail"),
        ("customData.plan", "=", "pro"),
        ("customData.seats", ">", 6),
        comparison="AND",
    )

    assert ids(response) == [people["ann"].pk]
    assert response.json()["total"] == 1


def test_search_or_matches_any_filter(hc, people):
    response = search(
        hc,
        ("customers.company", "=", "globex"),
        ("customData.seats", "=", "5"),
        ("customers.phone", "=", "+14155550123"),
        comparison="or",
        sort="customers.id",
        order="DESC",
    )

    assert ids(response) == [people["dan"].pk, people["cat"].pk, people["bob"].pk]
    assert response.json()["total"] == 3


def test_search_custom_data_numbers_and_dates(hc, people):
    ann, bob, cat = people["ann"], people["bob"], people["cat"]

    at_most_five = search(hc, ("customData.seats", "<=", 5))
    seen_since = search(hc, ("customers.lastSeen", ">=", int(SEEN.timestamp())))
    renewing = search(hc, ("customData.renews_at", "<", "1767225601"))

    assert ids(at_most_five) == [bob.pk, cat.pk]
    assert ids(seen_since) == [ann.pk]
    assert ids(renewing) == [ann.pk]


def test_search_negations_include_customers_without_the_value(hc, people):
    bob, dan = people["bob"], people["dan"]

    not_pro = search(hc, ("customData.plan", "!=", "pro"))
    not_gmail = search(hc, ("email", "!~", "gmail"))
    no_pro_anywhere = search(hc, ("customData.plan", "!~", "pr"))

    assert ids(not_pro) == [bob.pk, dan.pk]
    assert ids(not_gmail) == [bob.pk, dan.pk]
    assert ids(no_pro_anywhere) == [bob.pk, dan.pk]


def test_search_empty_and_not_empty(hc, people):
    ann, bob, cat, dan = people.values()

    no_email = search(hc, ("customers.email", "empty", None))
    with_last_seen = search(hc, ("customers.lastSeen", "not empty", None))
    no_company = search(hc, ("customers.company", "=", None))
    untagged = search(hc, ("customers.tagsData", "empty", None))

    assert ids(no_email) == [dan.pk]
    assert ids(with_last_seen) == [ann.pk, bob.pk]
    assert ids(no_company) == [cat.pk, dan.pk]
    assert ids(untagged) == [cat.pk, dan.pk]


def test_search_by_tags_needs_every_tag_given(hc, people):
    both = search(hc, ("customers.tagsData", "=", [{"name": "paid"}, {"name": "vip"}]))
    paid = search(hc, ("customers.tagsData", "=", [{"name": "paid"}]))

    assert ids(both) == [people["ann"].pk]
    assert ids(paid) == [people["ann"].pk, people["bob"].pk]


def test_search_by_id_user_id_and_name(hc, people):
    ann, bob, cat, dan = people.values()

    assert ids(search(hc, ("customers.id", ">", bob.pk))) == [cat.pk, dan.pk]
    assert ids(search(hc, ("customers.userId", "=", "cat"))) == [cat.pk]
    assert ids(search(hc, ("customers.name", "=", "ann lee"))) == [ann.pk]
    assert ids(search(hc, ("name", "~", "o"))) == [bob.pk]


def test_search_on_a_property_nobody_has_matches_as_if_unset(hc, people):
    everyone = sorted(c.pk for c in people.values())

    assert ids(search(hc, ("customData.nobody_has_this", "=", "x"))) == []
    assert ids(search(hc, ("customData.nobody_has_this", "!=", "x"))) == everyone
    assert ids(search(hc, ("customers.notes", "empty", None))) == everyone


def test_search_pages_and_sorts(hc, people):
    response = search(hc, sort="customers.lastSeen", order="asc", offset=1, limit=2)

    assert ids(response) == [people["ann"].pk, people["cat"].pk]
    assert response.json()["total"] == 4


def test_search_only_sees_this_accounts_customers(hc, other_hc, people):
    assert ids(search(other_hc, ("customData.plan", "=", "pro"))) == []
    assert sorted(ids(search(hc, ("customData.plan", "=", "pro")))) == [
        people["ann"].pk,
        people["cat"].pk,
    ]


def one(field, operator, value, **extra) -> dict:
    return {"filter": [{"field": field, "operator": operator, "value": value, **extra}]}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (one("", "=", 1), "filter[0].field"),
        ({"filter": [{"operator": "=", "value": 1}]}, "filter[0].field"),
        (one("customers.city", "=", "Kyiv"), "filter[0].field"),
        (one("customData.", "=", "x"), "filter[0].field"),
        (
            {"filter": [*one("email", "=", "a")["filter"], *one("email", "like", "a")["filter"]]},
            "filter[1].operator",
        ),
        (one("customData.seats", ">", "many"), "filter[0].value"),
        (one("customData.plan", ">", "a"), "filter[0].operator"),
        (one("customData.seats", "~", "1"), "filter[0].operator"),
        (one("email", ">", "a"), "filter[0].operator"),
        (one("email", "~", None), "filter[0].value"),
        (one("email", "~", {"a": 1}), "filter[0].value"),
        (one("id", "=", "abc"), "filter[0].value"),
        (one("id", "~", "1"), "filter[0].operator"),
        (one("createdAt", ">", "soon"), "filter[0].value"),
        (one("tagsData", "!=", ["a"]), "filter[0].operator"),
        (one("tagsData", "=", [{"label": "a"}]), "filter[0].value"),
        (one("email", "=", "a", x=1), "filter[0].x"),
        ({"filter": ["email = a"]}, "filter[0]"),
        ({"filter": {"field": "email"}}, "filter"),
        ({"comparison": "XOR"}, "comparison"),
        ({"limit": 101}, "limit"),
        ({"offset": True}, "offset"),
        ({"sort": "customers.password"}, "sort"),
        ({"order": 1}, "order"),
        ({"query": "ann"}, "query"),
        ([], "body"),
    ],
)
def test_malformed_searches_are_400_naming_the_field(hc, people, body, code):
    response = send(hc, "POST", "/customers/search", body)

    assert error_of(response, 400)["code"] == code


def test_blank_filter_field_answers_like_helpcrunch(hc, db):
    body = {"filter": [{"field": "", "operator": "=", "value": "x"}]}

    response = send(hc, "POST", "/customers/search", body)

    assert error_of(response, 400) == {
        "code": "filter[0].field",
        "message": "This value should not be blank.",
    }


def test_search_filter_on_a_customer_column_and_tags_in_one_or(hc, account, people):
    Tag.objects.filter(name="vip").delete()

    response = search(
        hc,
        ("customers.tagsData", "=", [{"name": "paid"}]),
        ("customers.email", "=", "CAT@gmail.com"),
        comparison="OR",
    )

    assert ids(response) == [people["ann"].pk, people["bob"].pk, people["cat"].pk]
