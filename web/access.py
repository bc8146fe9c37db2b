"""Who may see and do what in the pages: the user's account and role.

Every page requires login and a membership; objects of another account are 404.
Admin-only actions are refused on the server (403), not only hidden in templates.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from customers.models import MemberRole, Membership
from customers.services import Actor

# The session remembers which of a user's accounts they are working in.
SESSION_ACCOUNT = "account_id"


def memberships_of(user) -> list[Membership]:
    """Return every membership of `user`, oldest first, with its account (one query)."""
    return list(Membership.objects.select_related("account").filter(user=user).order_by("id"))


def membership_of(user, session=None) -> tuple[Membership, list[Membership]]:
    """Return the membership the user works in (the session's choice, else the first
    account they joined) and all of theirs."""
    memberships = memberships_of(user)
    if not memberships:
        raise Http404("You are not a member of any account.")
    chosen = session.get(SESSION_ACCOUNT) if session is not None else None
    current = next((m for m in memberships if m.account_id == chosen), memberships[0])
    return current, memberships


def attach_membership(request, membership: Membership, memberships: list[Membership]) -> None:
    """Set what every page and its layout read of the signed-in member."""
    request.membership = membership
    request.memberships = memberships
    request.account = membership.account
    request.is_account_admin = membership.role == MemberRole.ADMIN
    request.actor = Actor(user=request.user)


def member_required(view):
    """Require login and a membership; set request.account, request.membership, request.actor."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        attach_membership(request, *membership_of(request.user, request.session))
        return view(request, *args, **kwargs)

    return wrapper


# Roles that may change customers' values and tags: every role today (PRODUCT.md §7).
VALUE_WRITER_ROLES = frozenset({MemberRole.ADMIN, MemberRole.MARKETER})


def values_writer_required(view):
    """Like member_required, and refuse (403) members whose role may not change values."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership.role not in VALUE_WRITER_ROLES:
            raise PermissionDenied(
                f"Your role in {request.account.name} "
                f"({request.membership.get_role_display().lower()}) may not change customers' "
                "values or tags. Ask one of its admins."
            )
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    """Like member_required, and refuse (403) anyone who is not an admin of the account."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.is_account_admin:
            raise PermissionDenied(
                f"Only admins of {request.account.name} can do this; your role there is "
                f"{request.membership.get_role_display().lower()}. Ask one of its admins."
            )
        return view(request, *args, **kwargs)

    return wrapper
