"""Contact attributes pages: duplicate labels, the list's pages, the chart's links and notes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import PropertyDefinition
from tests.customers.pages.test_attributes import LIST_QUERIES, rows_of, text_of
from tests.factories import customers_holding, make_definition

# --- Duplicate labels


def test_create_with_a_taken_label_shows_the_error_next_to_the_label(marketer_client, account):
    make_definition(account, "plan_tier", label="Plan tier")

    response = marketer_client.post(
        "/attributes/new-property/", {"label": "plan TIER", "key": "tier", "type": "text"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["label"] == [
        "Another active property, “Plan tier” (plan_tier), already has this label. "
        "Choose another label, or rename that property first."
    ]
    assert not PropertyDefinition.objects.filter(key="tier").exists()


def test_edit_to_a_taken_label_shows_the_error_and_keeps_the_label(marketer_client, account):
    make_definition(account, "plan", label="Plan")
    make_definition(account, "tier", label="Tier")

    response = marketer_client.post("/attributes/tier/edit/", {"label": "PLAN", "description": ""})

    assert response.status_code == 200
    assert "already has this label" in response.context["form"].errors["label"][0]
    assert PropertyDefinition.objects.get(key="tier").label == "Tier"


def test_restore_of_a_property_whose_label_is_taken_says_to_rename(admin_client, account):
    make_definition(account, "old_plan", label="Plan", archived=True)
    make_definition(account, "plan", label="Plan")

    response = admin_client.post("/attributes/old_plan/restore/", follow=True)

    assert "Rename one of them first" in text_of(response)
    assert PropertyDefinition.objects.get(key="old_plan").is_archived


# --- The list's pages


def make_definitions(account, count: int) -> None:
    PropertyDefinition.objects.bulk_create(
        PropertyDefinition(account=account, key=f"p{i:03}", label=f"Prop {i:03}", type="text")
        for i in range(count)
    )


def test_list_shows_fifty_properties_a_page_with_links_to_each_page(admin_client, account):
    make_definitions(account, 120)

    first = admin_client.get("/attributes/")
    third = admin_client.get("/attributes/?page=3")

    assert rows_of(first) == [f"p{i:03}" for i in range(50)]
    assert rows_of(third) == [f"p{i:03}" for i in range(100, 120)]
    html = first.content.decode()
    assert "Properties 1\N{EN DASH}50 of 120" in text_of(first)
    assert 'href="/attributes/?sort=label&amp;dir=asc&amp;page=2" rel="next"' in html
    assert 'aria-current="page" aria-label="Page 1"' in html
    assert 'aria-label="Page 3"' in html


def test_pages_keep_the_search_and_sort(admin_client, account):
    make_definitions(account, 120)

    response = admin_client.get("/attributes/?q=prop&sort=key&dir=desc&page=2")

    assert rows_of(response) == [f"p{i:03}" for i in range(69, 19, -1)]
    html = response.content.decode()
    assert 'href="/attributes/?q=prop&amp;sort=key&amp;dir=desc" rel="prev"' in html
    assert 'href="/attributes/?q=prop&amp;sort=key&amp;dir=desc&amp;page=3" rel="next"' in html


def test_an_unknown_page_shows_the_nearest_one(admin_client, account):
    make_definitions(account, 60)

    assert rows_of(admin_client.get("/attributes/?page=9"))[0] == "p050"
    assert rows_of(admin_client.get("/attributes/?page=x"))[0] == "p000"


def test_a_single_page_has_no_pager(admin_client, account):
    make_definitions(account, 50)

    assert "Pages of properties" not in admin_client.get("/attributes/").content.decode()


def test_any_page_of_the_list_keeps_the_query_budget(admin_client, account):
    make_definitions(account, 307)
    admin_client.get("/attributes/")

    with CaptureQueriesContext(connection) as context:
        response = admin_client.get("/attributes/?page=5&sort=customers")

    assert len(rows_of(response)) == 50
    assert len(context.captured_queries) == LIST_QUERIES


# --- The chart


def chart_links(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<a class="bar-chart-row" href="([^"]+)"', html)


def test_each_bar_links_to_the_filtered_customers_list(marketer_client, account):
    make_definition(account, "plan", label="Plan")
    gold, also_gold, silver = customers_holding(account, "plan", "gold", "gold", "silver")

    response = marketer_client.get("/attributes/plan/")

    assert chart_links(response) == ["/customers/?plan__eq=gold", "/customers/?plan__eq=silver"]
    listed = marketer_client.get("/customers/?plan__eq=gold")
    assert listed.status_code == 200
    html = listed.content.decode()
    assert gold.email in html
    assert also_gold.email in html
    assert silver.email not in html


def test_the_chart_is_as_wide_as_its_card_with_axis_titles(marketer_client, account):
    make_definition(account, "seats", "integer", label="Seats")
    customers_holding(account, "seats", 1, 5, 9)

    html = marketer_client.get("/attributes/seats/").content.decode()

    svg = re.search(r"<svg class=\"bar-chart[^>]*>", html).group(0)
    assert 'width="100%"' in svg
    assert ">Seats (ranges)</text>" in html
    assert ">Customers →</text>" in html
    assert "/customers/?seats__gte=1&amp;seats__lt=2" in html


def test_many_unique_values_show_their_count_and_a_mostly_unique_note(marketer_client, account):
    make_definition(account, "avatar", "url", label="Avatar")
    customers_holding(account, "avatar", *[f"https://cdn.example/{i}.png" for i in range(12)])

    response = marketer_client.get("/attributes/avatar/")

    text = text_of(response)
    assert "12 different values among 12 customers." in text
    assert "Mostly unique. No value is held by more than one customer" in text
    assert "bar-chart" not in response.content.decode()


def test_values_that_repeat_are_charted_among_many_unique_ones(marketer_client, account):
    make_definition(account, "code", label="Referral code")
    customers_holding(account, "code", *[f"REF-{i}" for i in range(12)], "REF-1", "REF-2")

    response = marketer_client.get("/attributes/code/")

    text = text_of(response)
    assert "Values held by more than one customer" in text
    assert "12 different values among 14 customers." in text
    assert chart_links(response) == ["/customers/?code__eq=REF-1", "/customers/?code__eq=REF-2"]
    assert "10 more customers have other values." in text


def test_an_archived_propertys_bars_link_nowhere(admin_client, account):
    make_definition(account, "plan", label="Plan")
    customers_holding(account, "plan", "gold")
    admin_client.post("/attributes/plan/archive/")

    response = admin_client.get("/attributes/plan/")

    assert chart_links(response) == []
    assert '<g class="bar-chart-row">' in response.content.decode()


@pytest.mark.parametrize("type_", ["text", "url", "integer", "date", "collection", "boolean"])
def test_property_page_keeps_its_query_budget(marketer_client, account, type_):
    values = {
        "text": ["a", "b", "b"],
        "url": ["https://a.example", "https://b.example"],
        "integer": [1, 2, 30],
        "date": ["2026-01-01", "2026-02-01"],
        "collection": [["a", "b"], ["b"]],
        "boolean": [True, False],
    }[type_]
    make_definition(account, "prop", type_, label="Prop")
    customers_holding(account, "prop", *values)
    marketer_client.get("/attributes/prop/")  # the session, and the distribution cached

    with CaptureQueriesContext(connection) as context:
        response = marketer_client.get("/attributes/prop/")

    assert response.status_code == 200
    assert len(context.captured_queries) == DETAIL_QUERIES


# session, user, membership, definition with its count, customer total
DETAIL_QUERIES = 5
