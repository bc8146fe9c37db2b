"""Members: a Django user's role in an account."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from customers.errors import InvalidInput
from customers.models import Account, AuditAction, MemberRole, Membership
from customers.services.audit import Actor, audit_record
from customers.services.member_changes import member_role_change


def member_add(
    *, account: Account, email: str, role: str, password: str | None = None, actor: Actor
) -> tuple[Membership, str | None]:
    """Add (or re-role) a member; return it with a one-time password when none was given.

    The user name is the email. An existing user keeps their password unless one is given.
    """
    email = _checked_member(email, role, password)
    with transaction.atomic():
        user, one_time = _user_for(email, password)
        membership, new = Membership.objects.get_or_create(
            user=user, account=account, defaults={"role": role}
        )
        if new:
            audit_record(
                account=account,
                actor=actor,
                action=AuditAction.MEMBER_ADDED,
                target=email,
                details={"role": role},
            )
        elif membership.role != role:
            # One path for role changes, so the last-admin rule always holds.
            membership = member_role_change(membership=membership, role=role, actor=actor)
    return membership, one_time


def _checked_member(email: str, role: str, password: str | None) -> str:
    """Refuse a malformed email, an unknown role or a weak password; return the email."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"{email!r} is not an email address.") from None
    if role not in MemberRole.values:
        raise InvalidInput(f"Unknown role {role!r}: use {' or '.join(MemberRole.values)}.")
    if password is not None:
        try:
            validate_password(password)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages)) from None
    return email


def _user_for(email: str, password: str | None):
    """Return the user signing in with `email`, created if new, and the one-time password
    given to a new user without a password (None otherwise)."""
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email}
    )
    one_time = None
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        one_time = secrets.token_urlsafe(12)
        user.set_password(one_time)
        user.save(update_fields=["password"])
    return user, one_time
