"""Reads of the Settings pages: API keys, members and the audit log, each in one query."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Q, Value, When

from customers.models import Account, ApiKey, AuditEntry, Membership

AUDIT_PAGE_SIZE = 50
_CURSOR_SEPARATOR = "~"


def api_keys_of(*, account: Account) -> list[ApiKey]:
    """Return the account's keys, live ones first, newest first."""
    return list(
        ApiKey.objects.filter(account=account)
        .select_related("created_by")
        .order_by(
            Case(When(revoked_at__isnull=True, then=Value(0)), default=Value(1)),
            "-created_at",
            "-id",
        )
    )


def api_key_get(*, account: Account, key_id: int) -> ApiKey | None:
    """Return the account's key with this id, or None (another account's key included)."""
    return ApiKey.objects.filter(account=account, pk=key_id).first()


def members_of(*, account: Account) -> list[Membership]:
    """Return the account's members with their users, admins first, then by email."""
    return list(
        Membership.objects.filter(account=account)
        .select_related("user")
        .order_by("role", "user__email", "user__username", "id")
    )


def membership_get(*, account: Account, membership_id: int) -> Membership | None:
    """Return the account's membership with this id, or None."""
    return (
        Membership.objects.filter(account=account, pk=membership_id)
        .select_related("user", "account")
        .first()
    )


def membership_by_email(*, account: Account, email: str) -> Membership | None:
    """Return the account's membership of the user with this login email, or None."""
    email = (email or "").strip().lower()
    return (
        Membership.objects.filter(account=account, user__username=email)
        .select_related("user")
        .first()
    )


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
