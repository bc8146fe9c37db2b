"""Reads of an account's audit log: keyset pages, one query each."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from customers.models import Account, AuditEntry

AUDIT_PAGE_SIZE = 50
_CURSOR_SEPARATOR = "~"


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_cursor: str | None
    is_first: bool


def _cursor_of(entry: AuditEntry) -> str:
    return f"{entry.created_at.isoformat()}{_CURSOR_SEPARATOR}{entry.pk}"


def _parse_cursor(cursor: str) -> tuple[datetime, int] | None:
    created_at, _, pk = (cursor or "").partition(_CURSOR_SEPARATOR)
    try:
        moment = datetime.fromisoformat(created_at)
        entry_id = int(pk)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment, entry_id


def audit_entries_page(
    *, account: Account, action: str = "", before: str = "", page_size: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """Return one page of the account's audit log, newest first, from the cursor `before`.

    Keyset pagination on (created_at, id): one query per page, as fast on the
    thousandth page as on the first, and stable while new entries arrive.
    An unreadable cursor starts from the newest entry.
    """
    entries = AuditEntry.objects.filter(account=account)
    if action:
        entries = entries.filter(action=action)
    position = _parse_cursor(before)
    if position is not None:
        moment, entry_id = position
        entries = entries.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=entry_id))
    rows = list(
        entries.order_by("-created_at", "-id").only(
            "id", "created_at", "actor_label", "action", "target", "details"
        )[: page_size + 1]
    )
    next_cursor = _cursor_of(rows[page_size - 1]) if len(rows) > page_size else None
    return AuditPage(entries=rows[:page_size], next_cursor=next_cursor, is_first=position is None)
