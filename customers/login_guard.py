"""Brute-force guard of the sign-in forms (the pages' login and the Django admin's).

django-axes records every failed sign-in in the database. This module gives it what the
service needs on top: a limit of its own for each lockout scope (an email from one address,
and one address across emails), the email as members' logins are stored, the client's
address behind trusted proxies, and a lockout answer rendered on the login page itself.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse
from django.template.response import TemplateResponse

EMAIL_MESSAGE = (
    "Too many failed sign-in attempts for this email. "
    "Try again in {minutes} or ask an admin to unlock it."
)
ADDRESS_MESSAGE = (
    "Too many failed sign-in attempts from your network. "
    "Try again in {minutes} or ask an admin to unlock it."
)


def scope_limit(scope: dict) -> int:
    """Return the failures that lock `scope`: a scope naming the email, or the address alone."""
    if "username" in scope:
        return settings.AXES_FAILURE_LIMIT
    return settings.AXES_IP_FAILURE_LIMIT


class LoginGuardHandler(AxesDatabaseHandler):
    """Count failures per email and address and per address, each against its own limit."""

    def scope_failures(self, request, credentials=None) -> list[tuple[dict, int]]:
        """Return each lockout scope of this sign-in with its failures within the cool-off."""
        scopes = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,
            request.axes_user_agent,
            request,
            credentials,
        )
        attempts = self.get_user_attempts(request, credentials)
        return [
            (scope, queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            for scope, queryset in zip(scopes, attempts, strict=True)
        ]

    def locked_scopes(self, request, credentials=None) -> list[dict]:
        """Return the scopes of this sign-in that have reached their limit."""
        return [
            scope
            for scope, failures in self.scope_failures(request, credentials)
            if failures >= scope_limit(scope)
        ]

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares one number with one limit (AXES_FAILURE_LIMIT). Each scope's failures
        # are given in units of that limit, floored, so that the number reaches the limit
        # exactly when some scope reaches its own.
        limit = settings.AXES_FAILURE_LIMIT
        return max(
            (
                failures * limit // scope_limit(scope)
                for scope, failures in self.scope_failures(request, credentials)
            ),
            default=0,
        )


def login_email(request, credentials=None) -> str | None:
    """Return the email typed at sign-in, trimmed and lower-cased as members' logins are."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", request.POST).get("username")
    if not isinstance(typed, str):
        return None
    return typed.strip().lower() or None


def client_address(request) -> str | None:
    """Return the client's address: the peer's, or the one the trusted proxies saw.

    Each trusted proxy appends the address it was reached from to X-Forwarded-For, so the
    client is the entry that many places from the end; anything before it is the client's own
    claim and could be forged to dodge the per-address limit.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [
            hop.strip()
            for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if hop.strip()
        ]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def cool_off_minutes() -> str:
    minutes = max(1, round(settings.AXES_COOLOFF_TIME / timedelta(minutes=1)))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def lockout_message(request, credentials=None) -> str:
    """Say which scope is locked; an email's lock is named before its network's."""
    locked = LoginGuardHandler().locked_scopes(request, credentials)
    by_address = locked and all("username" not in scope for scope in locked)
    template = ADDRESS_MESSAGE if by_address else EMAIL_MESSAGE
    return template.format(minutes=cool_off_minutes())


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """Answer a locked-out sign-in with its own login page, the lock as the form's error.

    Every failure during a lockout starts the cool-off again (axes' default), so the wait
    to announce is the whole cool-off.
    """
    message = lockout_message(request, credentials)
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if not isinstance(original_response, TemplateResponse) or form is None:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = retry_after
        return response
    # The wrong-password error would mislead: the password is not even checked while locked.
    form.errors.clear()
    form.add_error(None, message)
    response = TemplateResponse(
        request,
        original_response.template_name,
        context,
        status=429,
        headers={"Retry-After": retry_after},
    )
    return response.render()
