"""Members' roles changed and members removed, never leaving an account without an admin."""

from django.db import transaction

from customers.errors import InvalidInput, NotFound
from customers.models import AuditAction, MemberRole, Membership
from customers.services.audit import Actor, audit_record

LAST_ADMIN_MESSAGE = (
    "{email} is the last admin of this account. Make another member an admin first, "
    "so that someone can still manage keys and members."
)


def _refuse_if_last_admin(membership: Membership) -> None:
    # Lock every admin membership of the account, so that two admins demoting or removing
    # each other at the same moment cannot both succeed and leave the account without one.
    admin_ids = list(
        Membership.objects.select_for_update()
        .filter(account_id=membership.account_id, role=MemberRole.ADMIN)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if admin_ids == [membership.pk]:
        raise InvalidInput(
            LAST_ADMIN_MESSAGE.format(email=membership.user.email or membership.user),
            code="last_admin",
        )


def _locked(membership: Membership) -> Membership:
    current = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "account")
        .filter(pk=membership.pk)
        .first()
    )
    if current is None:
        raise NotFound("This person is no longer a member of the account.")
    return current


def member_role_change(*, membership: Membership, role: str, actor: Actor) -> Membership:
    """Give the member another role; refuse to demote the account's last admin."""
    if role not in MemberRole.values:
        raise InvalidInput(f"Unknown role {role!r}: use {' or '.join(MemberRole.values)}.")
    with transaction.atomic():
        current = _locked(membership)
        if current.role == role:
            return current
        if current.role == MemberRole.ADMIN:
            _refuse_if_last_admin(current)
        previous = current.role
        current.role = role
        current.save(update_fields=["role"])
        audit_record(
            account=current.account,
            actor=actor,
            action=AuditAction.MEMBER_ROLE_CHANGED,
            target=current.user.email or str(current.user),
            details={"role": role, "previous_role": previous},
        )
    membership.role = role
    return current


def member_remove(*, membership: Membership, actor: Actor) -> None:
    """Remove the member from the account (their login stays); refuse the last admin."""
    with transaction.atomic():
        current = _locked(membership)
        if current.role == MemberRole.ADMIN:
            _refuse_if_last_admin(current)
        current.delete()
        audit_record(
            account=current.account,
            actor=actor,
            action=AuditAction.MEMBER_REMOVED,
            target=current.user.email or str(current.user),
            details={"role": current.role},
        )
