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


def membership_of(user) -> Membership:
    """Return the user's membership (the first account they joined)."""
    membership = (
        Membership.objects.select_related("account").filter(user=user).order_by("id").first()
    )
    if membership is None:
        raise Http404("You are not a member of any account.")
    return membership


def member_required(view):
    """Require login and a membership; set request.account, request.membership, request.actor."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = membership_of(request.user)
        request.membership = membership
        request.account = membership.account
        request.is_account_admin = membership.role == MemberRole.ADMIN
        request.actor = Actor(user=request.user)
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    """Like member_required, and refuse (403) anyone who is not an admin of the account."""

    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.is_account_admin:
            raise PermissionDenied("Only admins of this account can do this.")
        return view(request, *args, **kwargs)

    return wrapper
