"""customers.selectors.data_issues: issues grouped by key and reason, in four queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import DataIssue
from customers.selectors.data_issues import data_issue_groups
from tests.factories import make_customer, make_definition

T0 = timezone.now() - datetime.timedelta(days=1)


def issue(
    account,
    key,
    reason="invalid_value",
    *,
    minutes=0,
    customer=None,
    value="x",
    door="customerio",
    message="m",
):
    made = DataIssue.objects.create(
        account=account,
        key=key,
        reason=reason,
        customer=customer,
        value=value,
        door=door,
        message=message,
    )
    DataIssue.objects.filter(pk=made.pk).update(created_at=T0 + datetime.timedelta(minutes=minutes))
    return made


def test_issues_are_grouped_by_key_and_reason_newest_group_first(account):
    issue(account, "seats", minutes=1)
    issue(account, "seats", minutes=5)
    issue(account, "seats", "type_conflict", minutes=3)
    issue(account, "plan", minutes=4)

    page = data_issue_groups(account=account)

    assert [(g.key, g.reason, g.count) for g in page.groups] == [
        ("seats", "invalid_value", 2),
        ("plan", "invalid_value", 1),
        ("seats", "type_conflict", 1),
    ]
    assert page.groups[0].latest_at == T0 + datetime.timedelta(minutes=5)
    assert (page.total_groups, page.total_issues, page.pages) == (3, 4, 1)


def test_each_group_has_its_newest_samples_and_message(account):
    ann = make_customer(account, "ann@example.com")
    for minute in range(5):
        issue(
            account, "seats", minutes=minute, value=f"v{minute}", message=f"m{minute}", customer=ann
        )
    issue(account, "seats", "type_conflict", minutes=9, value="other", door="retently")

    page = data_issue_groups(account=account, samples=3)

    seats = next(g for g in page.groups if g.reason == "invalid_value")
    assert [s.value for s in seats.samples] == ["v4", "v3", "v2"]
    assert seats.message == "m4"
    assert {(s.customer_id, s.customer_label, s.door) for s in seats.samples} == {
        (ann.pk, "ann@example.com", "customerio")
    }
    conflict = next(g for g in page.groups if g.reason == "type_conflict")
    assert [(s.value, s.door, s.customer_id, s.customer_label) for s in conflict.samples] == [
        ("other", "retently", None, "")
    ]


def test_samples_of_one_group_never_leak_into_another(account):
    # (a, r1) and (b, r2) on the page; (a, r2) and (b, r1) on no page of theirs here.
    issue(account, "a", "r1", minutes=10)
    issue(account, "b", "r2", minutes=9)
    issue(account, "a", "r2", minutes=1, value="not mine")
    issue(account, "b", "r1", minutes=2, value="not mine either")

    page = data_issue_groups(account=account, page_size=2)

    assert [(g.key, g.reason) for g in page.groups] == [("a", "r1"), ("b", "r2")]
    assert [[s.value for s in g.samples] for g in page.groups] == [["x"], ["x"]]


def test_groups_name_their_property_when_it_exists(account):
    make_definition(account, "seats", "number", label="Seats")
    make_definition(account, "old", archived=True)
    issue(account, "seats", minutes=3)
    issue(account, "old", "property_archived", minutes=2)
    issue(account, "email", "identifier_taken", minutes=1)

    page = data_issue_groups(account=account)

    shown = {g.key: g.definition for g in page.groups}
    assert (shown["seats"].label, shown["seats"].type, shown["seats"].archived) == (
        "Seats",
        "number",
        False,
    )
    assert shown["old"].archived is True
    assert shown["email"] is None


def test_pages_split_the_groups(account):
    for i in range(5):
        issue(account, f"k{i}", minutes=i)

    first = data_issue_groups(account=account, page=1, page_size=2)
    last = data_issue_groups(account=account, page=3, page_size=2)
    beyond = data_issue_groups(account=account, page=4, page_size=2)

    assert [g.key for g in first.groups] == ["k4", "k3"]
    assert (first.pages, first.has_next, first.has_previous) == (3, True, False)
    assert [g.key for g in last.groups] == ["k0"]
    assert (last.has_next, last.has_previous) == (False, True)
    assert beyond.groups == []
    assert beyond.total_groups == 5


def test_an_account_without_issues_has_an_empty_first_page(account):
    page = data_issue_groups(account=account)

    assert (page.groups, page.total_groups, page.total_issues, page.pages) == ([], 0, 0, 1)
    assert not page.has_next
    assert not page.has_previous


def test_other_accounts_issues_are_never_shown(account, other_account):
    issue(other_account, "seats")

    assert data_issue_groups(account=account).groups == []


@pytest.mark.parametrize("groups", [2, 30])
def test_a_page_takes_four_queries_whatever_the_number_of_groups(account, groups):
    ann = make_customer(account)
    for i in range(groups):
        make_definition(account, f"k{i}")
        for minute in range(4):
            issue(account, f"k{i}", minutes=minute, customer=ann)

    with CaptureQueriesContext(connection) as queries:
        page = data_issue_groups(account=account, page_size=50)

    assert len(page.groups) == groups
    assert all(len(g.samples) == 3 and g.definition for g in page.groups)
    assert len(queries) == 4
