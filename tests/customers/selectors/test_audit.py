"""customers.selectors.audit: the audit log in keyset pages, newest first."""

from datetime import timedelta

from django.utils import timezone

from customers.models import AuditAction, AuditEntry
from customers.selectors import audit_entries_page
from customers.services import audit_record
from tests.factories import TESTS


def record(account, count, action=AuditAction.DEFINITION_UPDATED, prefix="p"):
    for number in range(count):
        audit_record(account=account, actor=TESTS, action=action, target=f"{prefix}{number}")


def targets(page) -> list[str]:
    return [entry.target for entry in page.entries]


def test_pages_follow_each_other_newest_first_until_the_last(account, other_account):
    record(account, 5)
    record(other_account, 3, prefix="theirs")

    first = audit_entries_page(account=account, page_size=2)
    second = audit_entries_page(account=account, before=first.next_cursor, page_size=2)
    last = audit_entries_page(account=account, before=second.next_cursor, page_size=2)

    assert (targets(first), first.is_first) == (["p4", "p3"], True)
    assert (targets(second), second.is_first) == (["p2", "p1"], False)
    assert (targets(last), last.next_cursor) == (["p0"], None)


def test_entries_of_one_moment_are_paged_by_id_without_loss(account):
    record(account, 4)
    AuditEntry.objects.update(created_at=timezone.now() - timedelta(days=1))

    first = audit_entries_page(account=account, page_size=3)
    rest = audit_entries_page(account=account, before=first.next_cursor, page_size=3)

    assert targets(first) + targets(rest) == ["p3", "p2", "p1", "p0"]


def test_an_action_filter_keeps_only_that_action(account):
    record(account, 2)
    record(account, 1, action=AuditAction.API_KEY_CREATED, prefix="key")

    page = audit_entries_page(account=account, action=AuditAction.API_KEY_CREATED)

    assert targets(page) == ["key0"]


def test_an_unreadable_cursor_starts_from_the_newest_entry(account):
    record(account, 2)

    for cursor in ("garbage", "2026-01-01T00:00:00~x", "2026-01-01T00:00:00~5"):
        page = audit_entries_page(account=account, before=cursor)
        assert (targets(page), page.is_first) == (["p1", "p0"], True)
