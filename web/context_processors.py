"""Template context for the layout: the account and role of the signed-in member."""

import contextlib

from django.http import Http404

from web.access import attach_membership, membership_of


def membership(request) -> dict:
    if getattr(request, "membership", None) is None and _signed_in(request):
        # Pages outside the member views (errors, password pages) still show the layout.
        with contextlib.suppress(Http404):
            attach_membership(request, *membership_of(request.user, request.session))
    return {
        "account": getattr(request, "account", None),
        "membership": getattr(request, "membership", None),
        "memberships": getattr(request, "memberships", ()),
        "is_account_admin": getattr(request, "is_account_admin", False),
    }


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and hasattr(request, "session")
