"""The customers list: sorting, columns remembered per member, the total, page sizes,
the type-aware condition picker, and bulk changes (inline and in the background)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import (
    AuditAction,
    AuditEntry,
    BulkAction,
    BulkActionStatus,
    Customer,
    MemberRole,
    Membership,
)
from customers.selectors import customers_list
from customers.services import bulk_actions
from customers.services.definitions import definition_archive
from tests.factories import TESTS, make_customer, make_definition, make_tags
from tests.stored import value_of
from web import access

LIST = "/customers/"
BULK = "/customers/bulk/"
COLUMNS = "/customers/columns/"


def listed(response) -> list[str]:
    """Return the emails of the table's rows, in their order."""
    html = response.content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
    return re.findall(r'href="/customers/\d+/" title="([^"]+)"', body)


def header_cells(response) -> list[str]:
    head = response.content.decode().split("<thead>")[1].split("</thead>")[0]
    cells = head.split("</th>")[1:-1]  # the first is the selection box
    return [re.sub(r"<[^>]+>|[▲▼]", "", cell).strip() for cell in cells]


# --- Sorting


@pytest.fixture
def people(account):
    return [
        make_customer(account, "bea@example.com", first_name="Bea", last_name="Zed"),
        make_customer(account, "al@example.com", first_name="Al", last_name="Young"),
        make_customer(account, "cy@example.com", first_name="Al", last_name="Young"),
        make_customer(account, user_id="no-email", first_name="Dee"),
    ]


def test_default_order_is_newest_first(people, admin_client):
    assert listed(admin_client.get(LIST)) == [
        "no-email",
        "cy@example.com",
        "al@example.com",
        "bea@example.com",
    ]


def test_sort_by_email_either_way_keeps_customers_without_one_at_the_end_ascending(
    people, admin_client
):
    ascending = listed(admin_client.get(LIST, {"sort": "email"}))
    descending = listed(admin_client.get(LIST, {"sort": "-email"}))

    assert ascending == ["al@example.com", "bea@example.com", "cy@example.com", "no-email"]
    assert descending == list(reversed(ascending))


def test_same_name_sorts_by_id_so_pages_never_repeat_a_customer(people, admin_client):
    by_name = listed(admin_client.get(LIST, {"sort": "name"}))

    # Al Young twice: the older (smaller id) first; reversed exactly when descending.
    assert by_name == ["al@example.com", "cy@example.com", "bea@example.com", "no-email"]
    assert listed(admin_client.get(LIST, {"sort": "-name"})) == list(reversed(by_name))


def test_sort_by_last_updated_puts_the_latest_change_first(people, admin_client):
    bea, *_ = people
    Customer.objects.filter(pk=bea.pk).update(updated_at="2099-01-01T00:00:00Z")

    assert listed(admin_client.get(LIST, {"sort": "-updated"}))[0] == "bea@example.com"
    assert listed(admin_client.get(LIST, {"sort": "updated"}))[-1] == "bea@example.com"


def test_header_links_sort_and_flip_and_mark_the_sorted_column(people, admin_client):
    html = admin_client.get(LIST, {"sort": "email"}).content.decode()

    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort-link" href="/customers/?sort=-email"'
        in html
    )
    assert 'href="/customers/?sort=name"' in html
    assert 'href="/customers/?sort=-updated"' in html  # times sort newest first


def test_a_filtered_property_column_sorts_by_its_values(account, admin_client):
    for email, seats in (("a@example.com", 30), ("b@example.com", 4), ("c@example.com", 100)):
        make_customer(account, email, {"seats": seats, "plan": "pro"})
    make_customer(account, "none@example.com", {"plan": "pro"})

    response = admin_client.get(
        LIST, {"plan": "pro", "sort": "property.seats", "seats__set": "true"}
    )
    by_seats = admin_client.get(LIST + "?plan=pro&sort=property.seats")
    descending = admin_client.get(LIST + "?plan=pro&sort=-property.seats")

    assert listed(response) == ["b@example.com", "a@example.com", "c@example.com"]
    assert "Seats" not in header_cells(by_seats)  # not a column: the sort falls back
    assert listed(by_seats)[0] == "none@example.com"
    assert listed(descending)[0] == "none@example.com"


def test_unknown_sort_falls_back_to_newest_first(people, admin_client):
    assert listed(admin_client.get(LIST, {"sort": "password"}))[0] == "no-email"


# --- Columns, remembered per member


def test_chosen_columns_are_remembered_for_that_member_only(account, admin_client, marketer_client):
    make_customer(account, "ada@example.com", {"seats": 12}, company="Engines", user_id="u-1")

    response = marketer_client.post(
        COLUMNS, {"columns": ["company", "created", "property.seats"], "back": "?sort=email"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/customers/?sort=email"
    marketer = Membership.objects.get(user__email="marketer@acme.example.com")
    assert marketer.preferences["customer_columns"] == ["company", "created", "property.seats"]
    chosen = marketer_client.get(LIST)
    assert header_cells(chosen) == ["Email", "Company", "Created", "Seats"]
    assert 'title="12">12</span>' in chosen.content.decode()
    assert header_cells(admin_client.get(LIST)) == [
        "Email",
        "User id",
        "Name",
        "Company",
        "Tags",
        "Last updated",
    ]


def test_a_chosen_property_column_disappears_once_archived(account, marketer_client):
    seats = make_definition(account, "seats", "integer")
    make_customer(account, "ada@example.com", {"seats": 12})
    marketer_client.post(COLUMNS, {"columns": ["property.seats"]})

    definition_archive(definition=seats, actor=TESTS)

    assert header_cells(marketer_client.get(LIST)) == ["Email"]


def test_columns_refuse_get_and_unknown_columns(account, marketer_client):
    assert marketer_client.get(COLUMNS).status_code == 405
    marketer_client.post(COLUMNS, {"columns": ["password"]})

    marketer = Membership.objects.get(user__email="marketer@acme.example.com")
    assert "customer_columns" not in marketer.preferences


# --- Total and page size


def test_total_is_the_accounts_count_without_filters_and_counted_with_them(account, admin_client):
    for n in range(3):
        make_customer(account, f"c{n}@example.com", {"plan": "pro" if n else "free"})

    assert "<strong>3 customers</strong>" in admin_client.get(LIST).content.decode()
    filtered = admin_client.get(LIST, {"plan": "pro"}).content.decode()
    assert "<strong>2 customers</strong>" in filtered


def crowd_of(account, count: int, tagged=lambda n: True) -> None:
    """Create `count` customers at once, those `tagged(n)` tagged "vip"."""
    customers = Customer.objects.bulk_create(
        [Customer(account=account, email=f"c{n}@example.com") for n in range(count)]
    )
    vip = make_tags(account, "vip")[0]
    Customer.tags.through.objects.bulk_create(
        [
            Customer.tags.through(customer_id=customer.pk, tag_id=vip.pk)
            for n, customer in enumerate(customers)
            if tagged(n)
        ]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what the planner's estimate reads
            cursor.execute("ANALYZE customers_customer, customers_customer_tags, customers_tag")


def test_total_past_the_counting_depth_is_estimated(account, admin_client, monkeypatch):
    monkeypatch.setattr(customers_list, "MAX_DEPTH", 30)
    monkeypatch.setattr(customers_list, "SAMPLED", 31)
    crowd_of(account, 200, tagged=lambda n: n % 2 == 0)

    filtered = admin_client.get(LIST, {"tag": "vip", "size": 25}).content.decode()
    unfiltered = admin_client.get(LIST, {"size": 25}).content.decode()

    # SQLite: the 31st newest of them is the 62nd newest customer: 31 / 62 x 200.
    # PostgreSQL: the planner's estimate, from the statistics ANALYZE gathered.
    assert "<strong>about 100 customers</strong>" in filtered
    assert "<strong>200 customers</strong>" in unfiltered  # the summary count is exact


def test_an_estimate_is_never_the_counted_depth_or_less(account, admin_client, monkeypatch):
    monkeypatch.setattr(customers_list, "MAX_DEPTH", 100)
    crowd_of(account, 104)  # about 104: 100 to two significant figures

    filtered = admin_client.get(LIST, {"tag": "vip", "size": 25}).content.decode()

    assert "<strong>more than 100 customers</strong>" in filtered


def test_total_below_the_counting_depth_stays_exact(account, admin_client, monkeypatch):
    monkeypatch.setattr(customers_list, "MAX_DEPTH", 30)
    crowd_of(account, 200, tagged=lambda n: n < 30)

    filtered = admin_client.get(LIST, {"tag": "vip", "size": 25}).content.decode()

    assert "<strong>30 customers</strong>" in filtered


def test_more_than_ten_thousand_customers_are_estimated_at_the_real_depth(account, admin_client):
    crowd_of(account, 12_000)

    filtered = admin_client.get(LIST, {"tag": "vip", "size": 25}).content.decode()

    assert "<strong>about 12,000 customers</strong>" in filtered


@pytest.mark.parametrize(("size", "shown"), [("25", 25), ("100", 60), ("7", 50), ("", 50)])
def test_page_size_is_25_50_or_100(account, admin_client, size, shown):
    Customer.objects.bulk_create(
        [Customer(account=account, email=f"c{n}@example.com") for n in range(60)]
    )

    response = admin_client.get(LIST, {"size": size})

    assert len(listed(response)) == shown
    assert 'aria-current="true" class="current">' + str(shown if shown != 60 else 100) in (
        response.content.decode()
    )


def test_page_numbers_show_the_first_last_and_neighbours(account, admin_client):
    Customer.objects.bulk_create(
        [Customer(account=account, email=f"c{n}@example.com") for n in range(25 * 12)]
    )

    html = admin_client.get(LIST, {"size": 25, "page": 6}).content.decode()

    pages = re.findall(r'aria-label="Page (\d+)"', html)
    assert pages == ["1", "4", "5", "6", "7", "8", "12"]
    assert html.count('class="gap"') == 2
    assert 'aria-current="page" class="current" aria-label="Page 6"' in html


def list_queries(client, query) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST + query)
    assert response.status_code == 200
    return len(context.captured_queries)


# Session, user, membership (and its columns), definitions, tags, the page with its total,
# its values, its tags; the conditions' definitions with conditions. PostgreSQL plans
# conditions on values (two more: a bounded sample, then the rarest condition's ids);
# SQLite probes how common a search term is (one more).
@pytest.mark.parametrize(
    ("query", "budget", "planned", "probed"),
    [
        ("?sort=email&size=100", 8, 0, 0),
        ("?sort=-updated&size=25", 8, 0, 0),
        ("?q=example&tag=vip&payments>=0&sort=-property.payments", 9, 2, 1),
        ("?plan_tier__set=true&sort=name", 9, 2, 0),
    ],
)
def test_sorted_pages_with_their_total_keep_the_query_budget(
    account, admin_client, query, budget, planned, probed
):
    for n in range(3):
        make_customer(account, f"few{n}@example.com", {"plan_tier": "pro", "payments": n}, ["vip"])
    admin_client.post(COLUMNS, {"columns": ["tags", "property.plan_tier", "property.payments"]})
    few = list_queries(admin_client, query)
    for n in range(40):
        make_customer(
            account, f"many{n}@example.com", {"plan_tier": "pro", "payments": n}, ["vip", f"t{n}"]
        )

    many = list_queries(admin_client, query)

    extra = planned if connection.vendor == "postgresql" else probed
    assert few == many == budget + extra


@pytest.mark.parametrize(("query", "budget"), [("?tag=vip", 8), ("?tag=vip&sort=email", 8)])
def test_an_estimated_total_costs_one_query_more_only_past_the_counting_depth(
    account, admin_client, monkeypatch, query, budget
):
    crowd_of(account, 40)
    counted = list_queries(admin_client, query)
    monkeypatch.setattr(customers_list, "MAX_DEPTH", 30)

    estimated = list_queries(admin_client, query)

    assert (counted, estimated) == (budget, budget + 1)


# --- The condition picker follows the property's type


def picker_operators(response) -> list[str]:
    html = response.content.decode()
    select = html.split('name="op"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"', select)


def test_picking_a_property_offers_its_types_conditions_and_value_box(account, admin_client):
    make_definition(account, "seats", "integer")
    make_definition(account, "trial_ends", "date")
    make_definition(account, "vip", "boolean")
    make_definition(account, "interests", "collection")
    make_definition(account, "nickname", "text")

    seats = admin_client.get(LIST, {"prop": "seats"})
    trial = admin_client.get(LIST, {"prop": "trial_ends"})
    vip = admin_client.get(LIST, {"prop": "vip"})
    interests = admin_client.get(LIST, {"prop": "Interests"})  # by label too
    nickname = admin_client.get(LIST, {"prop": "Nickname (nickname)"})

    assert picker_operators(seats) == ["", "eq", "ne", "gt", "gte", "lt", "lte", "set", "not_set"]
    assert 'type="number"' in seats.content.decode()
    assert 'step="1"' in seats.content.decode()
    assert picker_operators(trial) == ["", "gt", "gte", "on", "lt", "lte", "set", "not_set"]
    assert ">is before<" in trial.content.decode()
    assert ">is on<" in trial.content.decode()
    assert 'placeholder="2026-06-01"' in trial.content.decode()
    assert picker_operators(vip) == ["", "eq", "ne", "set", "not_set"]
    assert '<select name="value"' in vip.content.decode()
    assert picker_operators(interests) == ["", "contains", "not_contains", "set", "not_set"]
    assert ">does not contain<" in interests.content.decode()
    assert picker_operators(nickname) == [
        "",
        "eq",
        "ne",
        "contains",
        "not_contains",
        "starts_with",
        "set",
        "not_set",
    ]


def test_an_operator_of_another_type_is_refused(account, admin_client):
    make_customer(account, "a@example.com", {"seats": 3})

    response = admin_client.get(LIST, {"prop": "seats", "op": "on", "value": "2026-01-01"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_on_a_day_adds_that_days_range(account, admin_client):
    make_definition(account, "trial_ends", "date")
    for email, moment in (
        ("late@example.com", "2026-03-01T23:59:00+00:00"),
        ("day@example.com", "2026-03-01"),
        ("next@example.com", "2026-03-02T00:00:00+00:00"),
    ):
        make_customer(account, email, {"trial_ends": moment}, ["x"])
    make_definition(account, "other", "text")

    response = admin_client.get(LIST, {"prop": "trial_ends", "op": "on", "value": "2026-03-01"})

    assert (
        response["Location"] == "/customers/?trial_ends__gte=2026-03-01&trial_ends__lt=2026-03-02"
    )
    followed = admin_client.get(response["Location"])
    assert sorted(listed(followed)) == ["day@example.com", "late@example.com"]


def test_text_starts_with_and_collection_does_not_contain(account, admin_client):
    make_customer(account, "a@example.com", {"nickname": "Bobby", "interests": ["golf"]})
    make_customer(account, "b@example.com", {"nickname": "Rob", "interests": ["chess", "golf"]})
    make_customer(account, "c@example.com", {"nickname": "bob", "interests": ["chess"]})

    starts = admin_client.get(LIST, {"nickname__starts_with": "bob"})
    lacks = admin_client.get(LIST, {"interests__not_contains": "CHESS"})

    assert listed(starts) == ["c@example.com", "a@example.com"]
    assert "Nickname starts with “bob”" in starts.content.decode()
    assert listed(lacks) == ["a@example.com"]


def test_an_archived_property_is_said_to_be_archived(account, admin_client):
    make_customer(account, "a@example.com", {"old_plan": "pro"})
    make_definition(account, "old_flag", "boolean", archived=True)
    definition_archive(definition=account.definitions.get(key="old_plan"), actor=TESTS)

    picked = admin_client.get(LIST, {"prop": "old_plan", "op": "eq", "value": "pro"})
    linked = admin_client.get(LIST, {"old_plan": "pro"})
    unknown = admin_client.get(LIST, {"prop": "nothing_here"})

    assert "“old_plan” is archived. Restore it on the Contact attributes page" in (
        picked.content.decode()
    )
    assert "the property is archived. Restore it" in linked.content.decode()
    assert "no such property" not in linked.content.decode()
    assert "No property “nothing_here” in this account" in unknown.content.decode()


def test_the_picker_lists_properties_for_searching_not_a_select(account, admin_client):
    for n in range(30):
        make_definition(account, f"prop_{n:02}", "text")

    html = admin_client.get(LIST).content.decode()

    assert '<input type="text" name="prop"' in html
    assert 'list="property-options"' in html
    assert html.count('data-type="text"') == 30


# --- Bulk changes


@pytest.fixture
def crowd(account):
    return [
        make_customer(account, f"c{n}@example.com", {"plan": "pro" if n % 2 else "free"})
        for n in range(6)
    ]


def test_reviewing_a_change_states_how_many_customers_change(crowd, marketer_client):
    response = marketer_client.post(
        BULK,
        {
            "scope": "selected",
            "action": "tag_add",
            "tag": "vip",
            "customer": [crowd[0].pk, crowd[1].pk],
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Add the tag “vip” for 2 customers?" in html
    assert not crowd[0].tags.exists()  # nothing changed yet


def test_selected_customers_get_the_tag_and_an_audit_entry(crowd, marketer_client):
    chosen = [crowd[0].pk, crowd[1].pk]
    form = {"scope": "selected", "action": "tag_add", "tag": "vip", "customer": chosen}

    response = marketer_client.post(BULK, {**form, "confirm": "1", "filters": "?plan=pro"})

    assert response.status_code == 302
    assert response["Location"] == "/customers/?plan=pro"
    tagged = Customer.objects.filter(tags__name="vip").values_list("pk", flat=True)
    assert sorted(tagged) == sorted(chosen)
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMERS_TAGGED)
    assert (entry.target, entry.details, entry.actor_label) == (
        "vip",
        {"customers": 2, "selected": 2},
        "marketer@acme.example.com",
    )
    assert "Tagged 2 customers “vip”." in marketer_client.get(response["Location"]).content.decode()


def test_another_accounts_customers_cannot_be_selected(crowd, other_account, marketer_client):
    stranger = make_customer(other_account, "stranger@globex.example.com")
    form = {"scope": "selected", "action": "tag_add", "tag": "vip", "customer": [stranger.pk]}

    review = marketer_client.post(BULK, form)
    marketer_client.post(BULK, {**form, "confirm": "1"})

    assert "No customer would change" in review.content.decode()
    assert not stranger.tags.exists()


def test_setting_a_value_on_every_filtered_customer(crowd, marketer_client):
    form = {
        "scope": "filter",
        "action": "value_set",
        "prop": "seats",
        "value": "10",
        "filters": "?plan=pro",
    }
    make_definition(crowd[0].account, "seats", "integer")

    review = marketer_client.post(BULK, form)
    marketer_client.post(BULK, {**form, "confirm": "1"})

    assert "Set Seats to “10” for 3 customers?" in review.content.decode()
    assert [value_of(c, "seats") for c in crowd] == [None, 10, None, 10, None, 10]
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMERS_VALUE_SET)
    assert entry.details == {"customers": 3, "filter": "plan__eq=pro", "value": "10"}


def test_a_value_of_the_wrong_type_is_refused_before_anything_changes(crowd, marketer_client):
    make_definition(crowd[0].account, "seats", "integer")
    form = {
        "scope": "filter",
        "action": "value_set",
        "prop": "seats",
        "value": "many",
        "confirm": "1",
    }

    response = marketer_client.post(BULK, form)

    assert response.status_code == 400
    assert "Expected a whole number for an integer property" in response.content.decode()
    assert all(value_of(c, "seats") is None for c in crowd)
    assert not AuditEntry.objects.filter(action=AuditAction.CUSTOMERS_VALUE_SET).exists()


def test_unassigning_from_every_customer_listed(crowd, marketer_client):
    form = {"scope": "filter", "action": "value_unassign", "prop": "plan", "filters": "?plan=free"}

    marketer_client.post(BULK, {**form, "confirm": "1"})

    assert [value_of(c, "plan") for c in crowd] == [None, "pro", None, "pro", None, "pro"]
    entry = AuditEntry.objects.get(action=AuditAction.CUSTOMERS_VALUE_UNASSIGNED)
    assert (entry.target, entry.details["customers"]) == ("plan", 3)


def test_beyond_the_threshold_the_change_runs_in_the_background_with_progress(
    crowd, marketer_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bulk_actions, "INLINE_MAX", 2)
    monkeypatch.setattr(bulk_actions, "BATCH_SIZE", 2)
    form = {"scope": "filter", "action": "tag_add", "tag": "wave", "filters": ""}

    review = marketer_client.post(BULK, form)
    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(BULK, {**form, "confirm": "1"})

    assert "It runs in the background" in review.content.decode()
    job = BulkAction.objects.get()
    assert response["Location"] == f"/customers/bulk/{job.pk}/"
    # Django's default backend runs the task as it is enqueued (test_bulk_actions runs the
    # database worker).
    assert (job.status, job.customers_done, job.customers_total) == (BulkActionStatus.DONE, 6, 6)
    assert Customer.objects.filter(tags__name="wave").count() == 6
    page = marketer_client.get(response["Location"]).content.decode()
    assert "6 of 6 customers changed" in page
    assert AuditEntry.objects.get(action=AuditAction.CUSTOMERS_TAGGED).details == {
        "customers": 6,
        "filter": "",
    }


def test_another_accounts_progress_page_is_404(
    crowd, marketer_client, other_admin_client, monkeypatch
):
    monkeypatch.setattr(bulk_actions, "INLINE_MAX", 2)
    marketer_client.post(BULK, {"scope": "filter", "action": "tag_add", "tag": "x", "confirm": "1"})

    assert (
        other_admin_client.get(f"/customers/bulk/{BulkAction.objects.get().pk}/").status_code == 404
    )


def test_a_role_that_may_not_write_values_is_refused(crowd, marketer_client, monkeypatch):
    # No role is read-only today; the guard the pages share refuses any that would be.
    monkeypatch.setattr(access, "VALUE_WRITER_ROLES", frozenset({MemberRole.ADMIN}))
    form = {"scope": "filter", "action": "tag_add", "tag": "vip", "confirm": "1"}

    refused = marketer_client.post(BULK, form)

    assert refused.status_code == 403
    assert not Customer.objects.filter(tags__name="vip").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CUSTOMERS_TAGGED).exists()


def test_bulk_changes_need_login_and_post(crowd, marketer_client):
    assert Client().post(BULK, {"scope": "filter"})["Location"].startswith("/login/")
    assert marketer_client.get(BULK).status_code == 405


def test_a_missing_selection_is_explained(crowd, marketer_client):
    response = marketer_client.post(BULK, {"scope": "selected", "action": "tag_add", "tag": "vip"})

    assert response.status_code == 400
    assert "Select at least one customer" in response.content.decode()
