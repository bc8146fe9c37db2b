import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, PropertyDefinition, Tag
from customers.services.definitions import definition_archive
from customers.services.subscriptions import customers_unsubscribe
from customers.services.suppressions import customer_suppress
from tests.factories import TESTS, make_customer, make_member, make_value
from tests.stored import value_of

LIST = "/customers/"
EXPORT = "/customers/export.csv"


def emails_listed(response) -> list[str]:
    html = response.content.decode()
    return [c.email for c in Customer.objects.order_by("-id") if f">{c.email}</a>" in html]


# --- Access


def test_list_requires_login(account):
    response = Client().get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_list_shows_only_this_accounts_customers_newest_first(
    account, other_account, marketer_client
):
    make_customer(
        account, "ada@example.com", first_name="Ada", last_name="Lovelace", company="Engines"
    )
    make_customer(account, "grace@example.com")
    make_customer(other_account, "hidden@globex.example.com")

    response = marketer_client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html
    assert "Engines" in html
    assert html.index("grace@example.com") < html.index("ada@example.com")
    assert "hidden@globex.example.com" not in html
    assert 'aria-current="page"' in html


def test_empty_account_shows_how_customers_arrive(admin_client):
    response = admin_client.get(LIST)

    assert response.status_code == 200
    assert "No customers yet" in response.content.decode()
    assert "Export CSV" not in response.content.decode()


# --- Search, tags, conditions


def test_search_matches_any_identifier_or_name(account, admin_client):
    make_customer(account, "ada@example.com", first_name="Ada")
    bob = make_customer(account, "bob@example.com")
    Customer.objects.filter(pk=bob.pk).update(user_id="u-4711")
    make_customer(account, "carol@example.com", company="Initech")

    assert emails_listed(admin_client.get(LIST, {"q": "ADA"})) == ["ada@example.com"]
    assert emails_listed(admin_client.get(LIST, {"q": "4711"})) == ["bob@example.com"]
    assert emails_listed(admin_client.get(LIST, {"q": "initech"})) == ["carol@example.com"]


def test_tag_filter_lists_only_customers_with_the_tag(account, admin_client):
    make_customer(account, "vip@example.com", tags=["vip"])
    make_customer(account, "plain@example.com", tags=["newsletter"])

    response = admin_client.get(LIST, {"tag": "vip"})

    assert emails_listed(response) == ["vip@example.com"]
    assert '<option value="vip" selected>vip</option>' in response.content.decode()


def test_api_style_conditions_in_the_query_string_filter_the_list(account, admin_client):
    make_customer(account, "ent@example.com", {"plan_tier": "enterprise", "payments": 12})
    make_customer(account, "pro@example.com", {"plan_tier": "pro", "payments": 3})
    make_customer(account, "none@example.com")

    assert emails_listed(admin_client.get(LIST + "?plan_tier=enterprise")) == ["ent@example.com"]
    assert emails_listed(admin_client.get(LIST + "?payments>=10")) == ["ent@example.com"]
    assert emails_listed(admin_client.get(LIST + "?payments<10")) == ["pro@example.com"]
    assert emails_listed(admin_client.get(LIST + "?plan_tier__set=true")) == [
        "pro@example.com",
        "ent@example.com",
    ]
    response = admin_client.get(LIST + "?plan_tier__not_set=true")
    assert emails_listed(response) == ["none@example.com"]
    assert "Plan tier is not set" in response.content.decode()


def test_condition_column_shows_the_filtered_property(account, admin_client):
    make_customer(account, "ent@example.com", {"plan_tier": "enterprise"})

    html = admin_client.get(LIST + "?plan_tier__set=true").content.decode()

    assert ">Plan tier<" in html.split("<thead>")[1].split("</thead>")[0]
    assert 'title="enterprise">enterprise</span></td>' in html


def test_condition_picker_adds_its_condition_to_the_url(account, admin_client):
    make_customer(account, "ent@example.com", {"plan_tier": "enterprise"})

    response = admin_client.get(
        LIST, {"q": "ent", "prop": "plan_tier", "op": "contains", "value": "enter"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/customers/?q=ent&plan_tier__contains=enter"
    followed = admin_client.get(response["Location"])
    assert emails_listed(followed) == ["ent@example.com"]
    assert "Plan tier contains “enter”" in followed.content.decode()


def test_conditions_accumulate_and_one_can_be_removed(account, admin_client):
    make_customer(account, "a@example.com", {"plan_tier": "pro", "payments": 12})
    make_customer(account, "b@example.com", {"plan_tier": "pro", "payments": 2})

    response = admin_client.get(LIST + "?plan_tier=pro&prop=payments&op=gt&value=10", follow=True)

    assert emails_listed(response) == ["a@example.com"]
    html = response.content.decode()
    assert 'href="/customers/?payments__gt=10"' in html  # removes "plan tier is pro"
    assert 'href="/customers/?plan_tier__eq=pro"' in html  # removes "payments > 10"


def test_date_conditions_read_before_and_after(account, admin_client):
    for email, day in (("old@example.com", "2025-01-15"), ("new@example.com", "2026-03-01")):
        make_value(make_customer(account, email), "trial_ends", day, "date")

    before = admin_client.get(
        LIST, {"prop": "trial_ends", "op": "lt", "value": "2026-01-01"}, follow=True
    )
    after = admin_client.get(
        LIST, {"prop": "trial_ends", "op": "gt", "value": "2026-01-01"}, follow=True
    )

    assert emails_listed(before) == ["old@example.com"]
    assert "Trial ends is before “2026-01-01”" in before.content.decode()
    assert emails_listed(after) == ["new@example.com"]


def test_condition_picker_without_a_value_explains_what_is_missing(account, admin_client):
    make_customer(account, "a@example.com", {"plan_tier": "pro"})

    response = admin_client.get(LIST, {"prop": "plan_tier", "op": "eq", "value": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a value to compare with." in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?nickname=bob", "Cannot filter on &quot;nickname&quot;: no such property"),
        ("?plan_tier__gt=3", "greater/less than apply to number, integer and date"),
        ("?payments=many", "Expected a number"),
        ("?plan_tier__bogus=1", "unknown operator"),
    ],
)
def test_unusable_filter_is_explained_and_lists_nobody(account, admin_client, query, message):
    make_customer(account, "a@example.com", {"plan_tier": "pro", "payments": 1})

    response = admin_client.get(LIST + query)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Fix the filters to see customers" in html
    assert emails_listed(response) == []


def test_filters_matching_nobody_show_the_no_results_state(account, admin_client):
    make_customer(account, "a@example.com")

    response = admin_client.get(LIST, {"q": "zzz"})

    html = response.content.decode()
    assert "No customers match these filters" in html
    assert "No customers yet" not in html


# --- Pagination and query budget


def test_numbered_pages_go_next_back_and_to_any_page(account, admin_client):
    for n in range(5):
        make_customer(account, f"c{n}@example.com")

    first = admin_client.get(LIST, {"size": 25})
    assert emails_listed(first)[:2] == ["c4@example.com", "c3@example.com"]

    for n in range(5, 60):
        make_customer(account, f"c{n}@example.com")
    first = admin_client.get(LIST, {"size": 25}).content.decode()
    assert 'href="/customers/?size=25&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'aria-label="Page 3"' in first  # the last page, 60 customers at 25 a page

    last = admin_client.get(LIST, {"size": 25, "page": 3})
    assert emails_listed(last) == [f"c{n}@example.com" for n in range(9, -1, -1)]
    html = last.content.decode()
    assert 'href="/customers/?size=25&amp;page=2" rel="prev"' in html
    assert 'rel="next"' not in html
    assert "showing 51\u201360" in html


def test_pages_keep_the_filters(account, admin_client):
    for n in range(30):
        make_customer(account, f"c{n}@example.com", {"plan_tier": "pro"})

    html = admin_client.get(LIST + "?q=example&plan_tier=pro&size=25").content.decode()

    assert "?q=example&amp;plan_tier__eq=pro&amp;size=25&amp;page=2" in html


def test_unreadable_page_number_shows_the_first_page(account, admin_client):
    make_customer(account, "a@example.com")

    response = admin_client.get(LIST, {"page": "abc", "size": "7"})

    assert response.status_code == 200
    assert emails_listed(response) == ["a@example.com"]


def list_queries(client, query="") -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST + query)
    assert response.status_code == 200
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


# Session, user, membership (with the member's columns), definitions, tags, the page (with
# its total), its values, its tags; and the conditions' definitions when there are some.
@pytest.mark.parametrize(
    ("query", "budget"), [("", 8), ("?q=example&tag=vip&plan_tier__set=true&payments>=0", 9)]
)
def test_list_runs_a_fixed_number_of_queries_without_counting_everyone(
    account, admin_client, query, budget
):
    for n in range(3):
        make_customer(account, f"few{n}@example.com", {"plan_tier": "pro", "payments": n}, ["vip"])
    few, _ = list_queries(admin_client, query)
    for n in range(37):
        make_customer(
            account,
            f"many{n}@example.com",
            {"plan_tier": "pro", "payments": n, f"extra{n}": "x"},
            ["vip", f"t{n}"],
        )

    many, sqls = list_queries(admin_client, query)

    # PostgreSQL plans conditions: it counts them among the newest customers (a bounded
    # sample, never the whole table), then reads the ids of the rarest from its index.
    planned = 2 if "payments" in query and connection.vendor == "postgresql" else 0
    # SQLite probes how common the search term is (customers/selectors/sqlite_search.py).
    probed = 1 if "q=" in query and connection.vendor == "sqlite" else 0
    assert few == many == budget + planned + probed
    # The total is counted up to 10,001 customers at most, within the page's own query (and
    # SQLite's probe counts among the newest 1,000 customer ids).
    unbounded = [
        sql
        for sql in sqls
        if "COUNT(" in sql.upper()
        and "LIMIT 500" not in sql
        and "LIMIT 10001" not in sql
        and "rowid > newest.id - 1000)" not in sql
    ]
    assert unbounded == []


# --- Export


def export_rows(response) -> list[dict]:
    """Return the exported rows by column, a property's column (`key:type`) by its key."""
    body = b"".join(response.streaming_content).decode()
    reader = csv.reader(io.StringIO(body))
    header = [name.partition(":")[0] for name in next(reader)]
    return [dict(zip(header, row, strict=True)) for row in reader]


def test_marketer_exports_the_filtered_list_as_csv(account, marketer_client):
    ada = make_customer(
        account,
        "ada@example.com",
        {"plan_tier": "enterprise", "payments": 12, "active": True, "interests": ["golf", "chess"]},
        ["vip", "beta"],
        first_name="Ada",
    )
    make_customer(account, "pro@example.com", {"plan_tier": "pro"})

    response = marketer_client.get(EXPORT + "?plan_tier=enterprise")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="customers-acme-')
    assert response.streaming
    (row,) = export_rows(response)
    assert row == {
        "customer_id": str(ada.pk),
        "customer_uuid": str(ada.uuid),
        "email": "ada@example.com",
        "user_id": "",
        "visitor_id": "",
        "phone": "",
        "first_name": "Ada",
        "last_name": "",
        "company": "",
        "tags": "beta, vip",
        "active": "true",
        "interests": "golf, chess",
        "payments": "12",
        "plan_tier": "enterprise",
    }


def test_export_has_a_column_per_active_property_only(account, admin_client):
    make_customer(account, "a@example.com", {"kept": "x", "gone": "y"})
    definition_archive(definition=PropertyDefinition.objects.get(key="gone"), actor=TESTS)

    header = b"".join(admin_client.get(EXPORT).streaming_content).decode().splitlines()[0]

    assert header.endswith(",tags,kept:text")


def test_export_reads_every_customer_across_batches(account, admin_client, monkeypatch):
    monkeypatch.setattr("customers.exports.CHUNK_ROWS", 2)
    for n in range(5):
        make_customer(account, f"c{n}@example.com", {"n": n})

    rows = export_rows(admin_client.get(EXPORT))

    assert [r["email"] for r in rows] == [f"c{n}@example.com" for n in reversed(range(5))]
    assert [r["n"] for r in rows] == ["4", "3", "2", "1", "0"]


def test_export_writes_text_that_spreadsheets_cannot_run_as_formulas(account, admin_client):
    make_customer(account, "a@example.com", {"note": '=HYPERLINK("http://x")', "score": -5})

    (row,) = export_rows(admin_client.get(EXPORT))

    assert row["note"] == '\'=HYPERLINK("http://x")'
    assert row["score"] == "-5"


def test_export_of_an_unusable_filter_is_refused(account, admin_client):
    response = admin_client.get(EXPORT + "?nickname=bob")

    assert response.status_code == 400
    assert "no such property" in response.content.decode()


def test_export_requires_login(account):
    assert Client().get(EXPORT).status_code == 302


# --- Unassign and tags


@pytest.fixture
def two_customers(account):
    ada = make_customer(account, "ada@example.com", {"plan_tier": "enterprise"})
    bob = make_customer(account, "bob@example.com", {"plan_tier": "pro"})
    return ada, bob


def test_unassign_confirmation_says_it_is_this_customer_only(two_customers, marketer_client):
    ada, _ = two_customers

    response = marketer_client.get(f"/customers/{ada.pk}/values/plan_tier/unassign/")

    assert response.status_code == 200
    assert (
        "Remove <strong>Plan tier</strong> from this customer only. The property stays in the "
        "account and other customers keep their values."
    ) in response.content.decode()
    assert value_of(ada, "plan_tier") == "enterprise"


def test_marketer_unassigns_a_value_from_one_customer_only(two_customers, marketer_client):
    ada, bob = two_customers

    response = marketer_client.post(f"/customers/{ada.pk}/values/plan_tier/unassign/", follow=True)

    assert response.redirect_chain == [(f"/customers/{ada.pk}/#properties", 302)]
    assert "Plan tier was removed from this customer." in response.content.decode()
    assert value_of(ada, "plan_tier") is None
    assert value_of(bob, "plan_tier") == "pro"
    assert PropertyDefinition.objects.get(key="plan_tier").archived_at is None


def test_unassign_of_another_accounts_customer_is_404(two_customers, other_admin_client):
    ada, _ = two_customers

    url = f"/customers/{ada.pk}/values/plan_tier/unassign/"
    assert other_admin_client.get(url).status_code == 404
    assert other_admin_client.post(url).status_code == 404
    assert value_of(ada, "plan_tier") == "enterprise"


def test_unassign_without_csrf_token_is_refused(two_customers, account):
    ada, _ = two_customers
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member(account, "csrf@acme.example.com").user)

    response = client.post(f"/customers/{ada.pk}/values/plan_tier/unassign/")

    assert response.status_code == 403
    assert value_of(ada, "plan_tier") == "enterprise"


def test_unassign_of_an_unknown_property_is_404(two_customers, admin_client):
    ada, _ = two_customers

    assert admin_client.get(f"/customers/{ada.pk}/values/nope/unassign/").status_code == 404


def test_marketer_adds_and_removes_a_tag(account, marketer_client):
    ada = make_customer(account, "ada@example.com")

    added = marketer_client.post(f"/customers/{ada.pk}/tags/", {"name": " vip "}, follow=True)

    assert "Tagged “vip”." in added.content.decode()
    assert list(ada.tags.values_list("name", flat=True)) == ["vip"]

    marketer_client.post(f"/customers/{ada.pk}/tags/remove/", {"name": "vip"})

    assert not ada.tags.exists()
    assert Tag.objects.filter(account=account, name="vip").exists()


def test_empty_tag_name_is_refused_with_a_message(account, admin_client):
    ada = make_customer(account, "ada@example.com")

    response = admin_client.post(f"/customers/{ada.pk}/tags/", {"name": ""}, follow=True)

    assert "Enter a tag name." in response.content.decode()
    assert not ada.tags.exists()


def test_tag_actions_on_another_accounts_customer_are_404(account, other_admin_client):
    ada = make_customer(account, "ada@example.com", tags=["vip"])

    assert other_admin_client.post(f"/customers/{ada.pk}/tags/", {"name": "x"}).status_code == 404
    remove = other_admin_client.post(f"/customers/{ada.pk}/tags/remove/", {"name": "vip"})
    assert remove.status_code == 404
    assert list(ada.tags.values_list("name", flat=True)) == ["vip"]


def test_tag_actions_refuse_get(account, admin_client):
    ada = make_customer(account, "ada@example.com")

    assert admin_client.get(f"/customers/{ada.pk}/tags/").status_code == 405


def test_updated_column_shows_the_time(account, admin_client):
    ada = make_customer(account, "ada@example.com")
    Customer.objects.filter(pk=ada.pk).update(
        updated_at=datetime.datetime(2026, 2, 3, 4, 5, tzinfo=datetime.UTC)
    )

    assert "2026-02-03 04:05" in admin_client.get(LIST).content.decode()


def test_messaging_filter_lists_suppressed_unsubscribed_or_neither(account, admin_client):
    make_customer(account, "kept@example.com")
    customer_suppress(customer=make_customer(account, "quiet@example.com"))
    customers_unsubscribe(
        account=account, emails=[make_customer(account, "gone@example.com").email]
    )

    assert emails_listed(admin_client.get(LIST, {"state": "suppressed"})) == ["quiet@example.com"]
    assert emails_listed(admin_client.get(LIST, {"state": "unsubscribed"})) == ["gone@example.com"]
    assert emails_listed(admin_client.get(LIST, {"state": "reachable"})) == ["kept@example.com"]
    page = admin_client.get(LIST, {"state": "suppressed", "q": "example"})
    assert 'name="state"' in page.content.decode()
    assert emails_listed(page) == ["quiet@example.com"]
