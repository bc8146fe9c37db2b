"""Members for page tests: a logged-in Django test client per role."""

from django.test import Client

from customers.models import MemberRole
from tests.factories import make_member


def signs_in(email: str, password: str) -> bool:
    """Return whether the login page accepts `password` for `email` (through the sign-in guard)."""
    response = Client().post("/login/", {"username": email, "password": password})
    return response.status_code == 302 and response["Location"] == "/"


def member_client(account, email: str, role: str = MemberRole.MARKETER, **options) -> Client:
    """Return a client logged in as a member of `account` with `role`."""
    membership = make_member(account, email, role)
    client = Client(**options)
    client.force_login(membership.user)
    client.user = membership.user
    return client
