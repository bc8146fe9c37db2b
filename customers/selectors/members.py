"""Reads of an account's members, each in one query."""

from customers.models import Account, Membership


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
