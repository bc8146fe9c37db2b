"""Reads of an account's API keys, each in one query."""

from django.db.models import Case, Value, When

from customers.models import Account, ApiKey


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
