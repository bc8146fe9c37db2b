import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import (
    AuditAction,
    AuditEntry,
    DefinitionSource,
    PropertyDefinition,
    PropertyValue,
)
from customers.services.definitions import definition_archive
from tests.factories import TESTS, customers_holding, make_customer, make_definition


def text_of(response) -> str:
    """Return the page's visible text with tags dropped and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def rows_of(response) -> list[str]:
    """Return the keys of the list's table rows, in order."""
    return re.findall(r'<span class="key">([a-z0-9_]+)</span></td>', response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The list


def test_list_shows_each_active_definition_with_customers_and_fill_rate(admin_client, account):
    make_definition(account, "plan_tier", label="Plan tier", description="Billing plan")
    make_definition(account, "score", "number")
    customers_holding(account, "plan_tier", "gold", "silver", "gold")
    make_customer(account)  # four customers, three with a plan

    response = admin_client.get("/attributes/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Plan tier plan_tier Text Billing plan 3 75%" in text
    assert "Score score Number — 0 0%" in text
    assert '<rect height="8" width="75.0">' in response.content.decode()
    assert response.context["nav"] == "attributes"


def test_list_shows_archived_definitions_only_in_the_archived_tab(admin_client, account):
    make_definition(account, "plan")
    make_definition(account, "old_plan", archived=True)

    active = admin_client.get("/attributes/")
    archived_tab = admin_client.get("/attributes/?status=archived")

    assert rows_of(active) == ["plan"]
    assert rows_of(archived_tab) == ["old_plan"]
    html = archived_tab.content.decode()
    assert 'action="/attributes/old_plan/restore/"' in html
    assert 'href="/attributes/old_plan/delete/"' in html
    assert "Archived 1" in text_of(active)


def test_marketer_sees_archived_definitions_without_admin_actions(marketer_client, account):
    make_definition(account, "old_plan", archived=True)

    response = marketer_client.get("/attributes/?status=archived")

    assert rows_of(response) == ["old_plan"]
    html = response.content.decode()
    assert "/restore/" not in html
    assert "Delete permanently" not in html


def test_search_matches_label_key_and_description_ignoring_case(admin_client, account):
    make_definition(account, "plan_tier", label="Subscription")
    make_definition(account, "score", label="NPS", description="Latest PLAN survey")
    make_definition(account, "city", label="City")

    assert rows_of(admin_client.get("/attributes/?q=plan")) == ["score", "plan_tier"]
    assert rows_of(admin_client.get("/attributes/?q=subSCRIPTION")) == ["plan_tier"]


def test_list_sorts_by_label_key_type_and_customers(admin_client, account):
    make_definition(account, "b_key", "number", label="Alpha")
    make_definition(account, "a_key", "text", label="Beta")
    make_definition(account, "c_key", "boolean", label="Gamma")
    customers_holding(account, "c_key", True, False)
    customers_holding(account, "b_key", 1)

    assert rows_of(admin_client.get("/attributes/")) == ["b_key", "a_key", "c_key"]
    assert rows_of(admin_client.get("/attributes/?sort=label&dir=desc")) == [
        "c_key",
        "a_key",
        "b_key",
    ]
    assert rows_of(admin_client.get("/attributes/?sort=key")) == ["a_key", "b_key", "c_key"]
    assert rows_of(admin_client.get("/attributes/?sort=type")) == ["c_key", "b_key", "a_key"]
    assert rows_of(admin_client.get("/attributes/?sort=customers&dir=desc")) == [
        "c_key",
        "b_key",
        "a_key",
    ]


def test_sort_headers_say_the_current_order_and_link_to_the_other(admin_client, account):
    make_definition(account, "plan")

    html = admin_client.get("/attributes/?sort=customers&dir=desc").content.decode()

    assert '<th scope="col" class="num" aria-sort="descending">' in html
    assert 'href="/attributes/?sort=customers&amp;dir=asc"' in html
    assert 'aria-sort="none"><a href="/attributes/?sort=label&amp;dir=asc"' in html


def test_account_without_definitions_shows_how_to_start(admin_client, account):
    response = admin_client.get("/attributes/")

    text = text_of(response)
    assert "No contact attributes yet" in text
    assert "Create your first property" in text
    assert "<table" not in response.content.decode()


def test_search_without_match_says_so_and_offers_to_clear(admin_client, account):
    make_definition(account, "plan")

    text = text_of(admin_client.get("/attributes/?q=zebra"))

    assert "No property matches “zebra”" in text
    assert "clear the search" in text


def test_list_runs_the_same_number_of_queries_for_2_and_30_definitions(admin_client, account):
    def queries(count):
        for i in range(count):
            make_definition(account, f"k{count}_{i}", label=f"K {i}")
            customers_holding(account, f"k{count}_{i}", "x")
        with CaptureQueriesContext(connection) as context:
            response = admin_client.get("/attributes/")
        assert response.status_code == 200
        return len(context.captured_queries)

    admin_client.get("/attributes/")  # warm the session
    two = queries(2)
    PropertyDefinition.objects.all().delete()
    thirty = queries(30)

    assert two == thirty == LIST_QUERIES


# session, user, membership, definitions with counts, tab counts, customer total,
# permanent deletes in progress
LIST_QUERIES = 7


def test_other_account_definitions_are_not_listed(admin_client, account, other_account):
    make_definition(other_account, "secret")

    assert rows_of(admin_client.get("/attributes/")) == []


def test_anonymous_visitor_is_sent_to_log_in(client, account):
    response = client.get("/attributes/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/attributes/")


# --- Create


def test_marketer_creates_a_property_from_the_browser(marketer_client, account):
    response = marketer_client.post(
        "/attributes/new-property/",
        {"label": "Plan tier", "key": "plan_tier", "type": "integer", "description": "Tier"},
        follow=True,
    )

    assert response.redirect_chain == [("/attributes/plan_tier/", 302)]
    definition = PropertyDefinition.objects.get(account=account, key="plan_tier")
    assert (definition.label, definition.type, definition.description) == (
        "Plan tier",
        "integer",
        "Tier",
    )
    assert definition.source == DefinitionSource.UI
    assert "Property “Plan tier” created." in " ".join(messages_of(response))
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_CREATED)
    assert entry.actor_label == "marketer@acme.example.com"


def test_create_form_labels_every_input_and_suggests_the_key(marketer_client, account):
    html = marketer_client.get("/attributes/new-property/").content.decode()

    for name in ("label", "key", "type", "description"):
        assert f'<label for="id_{name}">' in html
    assert '<option value="url">URL</option>' in html
    assert 'src="/static/customers/attribute_key.js"' in html
    assert '<button class="btn btn-primary" type="submit">Create property</button>' in html


def test_create_without_a_key_uses_the_key_made_from_the_label(marketer_client, account):
    response = marketer_client.post(
        "/attributes/new-property/", {"label": "firstName", "key": "", "type": "text"}
    )

    assert response.status_code == 302
    assert PropertyDefinition.objects.filter(account=account, key="first_name").exists()


def test_create_with_an_empty_label_shows_the_error_next_to_the_field(marketer_client, account):
    response = marketer_client.post(
        "/attributes/new-property/", {"label": "", "key": "plan", "type": "text"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_label_error"><li>Give the property a label' in html
    assert 'aria-describedby="id_label_helptext id_label_error"' in html
    assert 'aria-invalid="true"' in html
    assert not PropertyDefinition.objects.exists()


def test_create_with_an_invalid_key_shows_the_normalized_suggestion(marketer_client, account):
    response = marketer_client.post(
        "/attributes/new-property/", {"label": "Plan", "key": "Plan Tier", "type": "text"}
    )

    assert response.status_code == 200
    assert "for example “plan_tier”" in text_of(response)
    assert 'value="Plan Tier"' in response.content.decode()
    assert not PropertyDefinition.objects.exists()


def test_create_with_a_taken_key_says_the_key_is_used(marketer_client, account):
    make_definition(account, "plan", label="Plan")

    response = marketer_client.post(
        "/attributes/new-property/", {"label": "Other plan", "key": "plan", "type": "text"}
    )

    assert response.status_code == 200
    assert "The key plan is already used by another property." in text_of(response)
    assert PropertyDefinition.objects.get(key="plan").label == "Plan"


def test_create_with_the_key_of_an_archived_property_points_to_restore(marketer_client, account):
    make_definition(account, "plan", label="Old plan", archived=True)

    response = marketer_client.post(
        "/attributes/new-property/", {"label": "Plan", "key": "plan", "type": "text"}
    )

    assert "taken by the archived property “Old plan”. Restore it" in text_of(response)


def test_create_with_an_unknown_type_is_refused(marketer_client, account):
    response = marketer_client.post(
        "/attributes/new-property/", {"label": "Plan", "key": "plan", "type": "jsonb"}
    )

    assert "Choose one of the listed types." in text_of(response)
    assert not PropertyDefinition.objects.exists()


# --- Edit


def test_marketer_edits_label_and_description(marketer_client, account):
    make_definition(account, "plan", label="Plan")

    response = marketer_client.post(
        "/attributes/plan/edit/", {"label": "Plan tier", "description": "From billing"}
    )

    assert response.status_code == 302
    definition = PropertyDefinition.objects.get(key="plan")
    assert (definition.label, definition.description) == ("Plan tier", "From billing")


def test_edit_with_an_empty_label_shows_the_error_and_keeps_the_label(marketer_client, account):
    make_definition(account, "plan", label="Plan")

    response = marketer_client.post("/attributes/plan/edit/", {"label": "  ", "description": ""})

    assert response.status_code == 200
    assert "A label cannot be empty." in text_of(response)
    assert PropertyDefinition.objects.get(key="plan").label == "Plan"


# --- Archive and restore


def test_archive_confirmation_says_it_is_account_wide_reversible_and_counts(admin_client, account):
    make_definition(account, "plan", label="Plan")
    customers_holding(account, "plan", "a", "b")

    response = admin_client.get("/attributes/plan/archive/")

    text = text_of(response)
    assert "Archive “Plan” for the whole account?" in text
    assert "This affects every customer in Acme" in text
    assert "2 customers have a value." in text
    assert "restore it from the Archived tab at any time" in text
    assert "Unassign it on that customer's profile instead" in text
    assert (
        '<button class="btn btn-danger" type="submit">Archive for the whole account<'
        in response.content.decode()
    )


def test_admin_archives_a_property_keeping_its_values(admin_client, account):
    make_definition(account, "plan", label="Plan")
    customers_holding(account, "plan", "a")

    response = admin_client.post("/attributes/plan/archive/", follow=True)

    assert response.redirect_chain == [("/attributes/", 302)]
    assert PropertyDefinition.objects.get(key="plan").is_archived
    assert PropertyValue.objects.count() == 1
    assert "Archived “Plan” (plan) for the whole account." in messages_of(response)[0]
    assert AuditEntry.objects.filter(action=AuditAction.DEFINITION_ARCHIVED).count() == 1


def test_admin_restores_an_archived_property(admin_client, account):
    make_definition(account, "plan", label="Plan", archived=True)

    confirmation = admin_client.get("/attributes/plan/restore/")
    response = admin_client.post("/attributes/plan/restore/")

    assert "Restore “Plan” for the whole account?" in text_of(confirmation)
    assert response.status_code == 302
    assert not PropertyDefinition.objects.get(key="plan").is_archived


# --- Delete permanently


def test_delete_confirmation_states_how_many_customers_lose_their_value(admin_client, account):
    definition = make_definition(account, "plan", label="Plan")
    customers_holding(account, "plan", "a", "b", "c")
    definition_archive(definition=definition, actor=TESTS)

    response = admin_client.get("/attributes/plan/delete/")

    text = text_of(response)
    assert "Delete “Plan” permanently?" in text
    assert "cannot be undone" in text
    assert "3 customers will lose their value of plan" in text
    assert '<label for="id_confirm_key">Type <span class="key">plan</span> to confirm</label>' in (
        response.content.decode()
    )


def test_delete_with_a_wrong_key_shows_the_error_and_deletes_nothing(admin_client, account):
    make_definition(account, "plan")
    customers_holding(account, "plan", "a")
    definition_archive(definition=PropertyDefinition.objects.get(key="plan"), actor=TESTS)

    response = admin_client.post("/attributes/plan/delete/", {"confirm_key": "Plan"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "That is not the key. Type plan exactly" in html
    assert 'aria-describedby="id_confirm_key_helptext id_confirm_key_error"' in html
    assert PropertyDefinition.objects.filter(key="plan").exists()
    assert PropertyValue.objects.count() == 1


# The purge is enqueued when the request's transaction commits: commit as served requests do.
@pytest.mark.django_db(transaction=True)
def test_delete_with_the_typed_key_removes_the_values_and_says_how_many(admin_client, account):
    make_definition(account, "plan", label="Plan")
    customers_holding(account, "plan", "a", "b")
    definition_archive(definition=PropertyDefinition.objects.get(key="plan"), actor=TESTS)

    response = admin_client.post("/attributes/plan/delete/", {"confirm_key": "plan"}, follow=True)

    assert response.redirect_chain == [("/attributes/?status=archived", 302)]
    assert messages_of(response) == ["Deleted “Plan” (plan) permanently: 2 values removed."]
    assert not PropertyDefinition.objects.filter(key="plan").exists()
    assert PropertyValue.objects.count() == 0
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert entry.details == {"values_removed": 2}


def test_delete_of_an_active_property_is_refused(admin_client, account):
    make_definition(account, "plan", label="Plan")

    response = admin_client.post("/attributes/plan/delete/", {"confirm_key": "plan"}, follow=True)

    assert "Archive “Plan” before deleting it permanently" in messages_of(response)[0]
    assert PropertyDefinition.objects.filter(key="plan").exists()


# --- Change type


def test_type_change_offers_the_other_types(admin_client, account):
    make_definition(account, "age", label="Age")

    response = admin_client.get("/attributes/age/type/")

    html = response.content.decode()
    assert '<label for="id_to">New type</label>' in html
    assert '<option value="number">' in html
    assert '<option value="text">' not in html


def test_type_change_preview_shows_counts_and_the_values_that_fail(admin_client, account):
    make_definition(account, "age", label="Age")
    customers = customers_holding(account, "age", "42", "7", "old")

    response = admin_client.get("/attributes/age/type/?to=integer")

    text = text_of(response)
    assert "Change “Age” from Text to Integer" in text
    assert "2 values convert to integer." in text
    assert "1 value cannot convert." in text
    assert f"#{customers[2].pk} old Expected a whole number" in text
    assert "Remove the 1 value that cannot convert" in text
    assert PropertyDefinition.objects.get(key="age").type == "text"


def test_type_change_converts_every_value(admin_client, account):
    make_definition(account, "age", label="Age")
    customers_holding(account, "age", "42", "7")

    response = admin_client.post(
        "/attributes/age/type/", {"to": "integer", "failing_seen": "0"}, follow=True
    )

    assert response.redirect_chain == [("/attributes/age/", 302)]
    assert messages_of(response) == ["Changed “Age” to integer: 2 values converted."]
    assert PropertyDefinition.objects.get(key="age").type == "integer"
    assert sorted(PropertyValue.objects.values_list("value_number", flat=True)) == [7.0, 42.0]


def test_type_change_without_the_tick_is_refused_when_values_fail(admin_client, account):
    make_definition(account, "age", label="Age")
    customers_holding(account, "age", "42", "old")

    response = admin_client.post("/attributes/age/type/", {"to": "number", "failing_seen": "1"})

    assert response.status_code == 400
    text = text_of(response)
    assert "1 value cannot convert to number. Tick the box to remove it" in text
    assert 'aria-describedby="remove-failing-help remove-failing-error"' in (
        response.content.decode()
    )
    assert PropertyDefinition.objects.get(key="age").type == "text"
    assert PropertyValue.objects.count() == 2


def test_type_change_with_the_tick_removes_the_failing_values_and_says_so(admin_client, account):
    make_definition(account, "age", label="Age")
    customers_holding(account, "age", "42", "old")

    response = admin_client.post(
        "/attributes/age/type/",
        {"to": "number", "failing_seen": "1", "remove_failing": "on"},
        follow=True,
    )

    assert messages_of(response) == [
        "Changed “Age” to number: 1 value converted. 1 value that could not convert removed."
    ]
    assert list(PropertyValue.objects.values_list("value_number", flat=True)) == [42.0]
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_TYPE_CHANGED)
    assert entry.details == {"from": "text", "to": "number", "converted": 1, "not_converted": 1}


def test_type_change_is_refused_when_more_values_fail_than_the_admin_saw(admin_client, account):
    make_definition(account, "age", label="Age")
    customers_holding(account, "age", "old", "older")

    response = admin_client.post(
        "/attributes/age/type/", {"to": "number", "failing_seen": "1", "remove_failing": "on"}
    )

    assert response.status_code == 400
    assert "2 values cannot convert to number." in text_of(response)
    assert PropertyValue.objects.count() == 2


# --- A property's page


def test_property_page_shows_the_top_values_and_links_to_its_customers(marketer_client, account):
    make_definition(account, "plan", label="Plan", description="Billing plan")
    customers_holding(account, "plan", "gold", "gold", "silver")
    make_customer(account)

    response = marketer_client.get("/attributes/plan/")

    assert response.status_code == 200
    text = text_of(response)
    html = response.content.decode()
    assert "Billing plan" in text
    assert "3 of 4" in text
    assert "75%" in text
    assert 'href="/customers/?plan__set=true"' in html
    assert "<svg" in html
    assert '<desc id="chart-desc">gold: 2; silver: 1</desc>' in html


def test_property_page_of_a_boolean_counts_true_and_false(marketer_client, account):
    make_definition(account, "vip", "boolean", label="VIP")
    customers_holding(account, "vip", True, True, False)

    html = marketer_client.get("/attributes/vip/").content.decode()

    assert '<desc id="chart-desc">true: 2; false: 1</desc>' in html


def test_property_page_of_a_collection_counts_customers_per_item(marketer_client, account):
    make_definition(account, "interests", "collection", label="Interests")
    customers_holding(account, "interests", ["golf", "chess"], ["golf"], ["golf", "golf"])

    html = marketer_client.get("/attributes/interests/").content.decode()

    assert '<desc id="chart-desc">golf: 3; chess: 1</desc>' in html


def test_property_page_of_a_number_draws_a_histogram(marketer_client, account):
    make_definition(account, "score", "integer", label="Score")
    customers_holding(account, "score", 0, 1, 1, 19)

    response = marketer_client.get("/attributes/score/")

    html = response.content.decode()
    assert "chart-histogram" in html
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', html).group(1)
    assert desc.startswith("0\N{EN DASH}1: 3; 2\N{EN DASH}3: 0;")
    assert desc.endswith("18\N{EN DASH}19: 1")


def test_property_page_of_a_date_draws_a_histogram_of_days(marketer_client, account):
    make_definition(account, "signup", "date", label="Signup")
    customers_holding(account, "signup", "2026-01-01", "2026-01-11", "2026-01-11")

    html = marketer_client.get("/attributes/signup/").content.decode()

    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', html).group(1)
    assert desc.startswith("2026-01-01: 1; 2026-01-02: 0;")
    assert desc.endswith("2026-01-10: 2")


def test_property_page_without_values_says_none_yet(marketer_client, account):
    make_definition(account, "plan", label="Plan")

    response = marketer_client.get("/attributes/plan/")

    assert "No customer has a value yet" in text_of(response)
    assert '<svg class="chart' not in response.content.decode()


def test_property_page_shows_account_wide_actions_to_admins_only(
    admin_client, marketer_client, account
):
    make_definition(account, "plan", label="Plan")

    admin_html = admin_client.get("/attributes/plan/").content.decode()
    marketer_html = marketer_client.get("/attributes/plan/").content.decode()

    assert "Archive for the whole account" in admin_html
    assert "/attributes/plan/type/" in admin_html
    assert "Archive" not in marketer_html
    assert "/type/" not in marketer_html


def test_property_page_runs_the_same_number_of_queries_whatever_the_values(
    marketer_client, account
):
    make_definition(account, "plan", label="Plan")
    marketer_client.get("/attributes/plan/")

    def queries():
        with CaptureQueriesContext(connection) as context:
            marketer_client.get("/attributes/plan/")
        return len(context.captured_queries)

    customers_holding(account, "plan", "a")
    one = queries()
    customers_holding(account, "plan", *[f"v{i}" for i in range(30)])
    many = queries()

    assert one == many


# --- Roles, accounts and CSRF

ADMIN_ACTIONS = [
    ("archive", {}),
    ("restore", {}),
    ("delete", {"confirm_key": "plan"}),
    ("type", {"to": "number", "failing_seen": "0"}),
]


@pytest.mark.parametrize(("action", "data"), ADMIN_ACTIONS)
def test_marketer_cannot_use_admin_actions(marketer_client, account, action, data):
    definition = make_definition(account, "plan")
    # A value a delete would remove and a change to number would convert.
    customers_holding(account, "plan", "12")
    if action in ("restore", "delete"):
        definition_archive(definition=definition, actor=TESTS)
    archived_at_before = PropertyDefinition.objects.get(key="plan").archived_at
    before = AuditEntry.objects.count()

    response = marketer_client.post(f"/attributes/plan/{action}/", data)

    assert response.status_code == 403
    definition = PropertyDefinition.objects.get(key="plan")
    assert definition.archived_at == archived_at_before
    assert definition.type == "text"
    assert [v.stored for v in PropertyValue.objects.filter(definition=definition)] == ["12"]
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("action", ["archive", "restore", "delete", "type"])
def test_marketer_does_not_get_admin_confirmation_pages(marketer_client, account, action):
    make_definition(account, "plan", archived=True)

    assert marketer_client.get(f"/attributes/plan/{action}/").status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("get", "edit/"),
        ("post", "edit/"),
        ("get", "archive/"),
        ("post", "archive/"),
        ("post", "restore/"),
        ("post", "delete/"),
        ("get", "type/"),
        ("post", "type/"),
    ],
)
def test_another_accounts_property_is_not_found(other_admin_client, account, method, path):
    make_definition(account, "plan", label="Plan")

    response = getattr(other_admin_client, method)(f"/attributes/plan/{path}", {})

    assert response.status_code == 404
    definition = PropertyDefinition.objects.get(key="plan")
    assert (definition.label, definition.is_archived) == ("Plan", False)


def test_unknown_property_is_not_found(admin_client, account):
    assert admin_client.get("/attributes/nothing_here/").status_code == 404


def test_post_without_csrf_token_is_refused(account, admin_client):
    make_definition(account, "plan")
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_client.user)

    response = client.post("/attributes/plan/archive/")

    assert response.status_code == 403
    assert not PropertyDefinition.objects.get(key="plan").is_archived


def test_forms_carry_a_csrf_token(admin_client, account):
    make_definition(account, "plan")

    html = admin_client.get("/attributes/plan/archive/").content.decode()

    assert 'name="csrfmiddlewaretoken"' in html
