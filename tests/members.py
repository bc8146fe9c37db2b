"""Members for page tests: a logged-in Django test client per role."""

from django.test import Client

from customers.models import MemberRole
from customers.services import Actor
from customers.services.members import member_add

PASSWORD = "a-long-Passphrase-42"


def member_add_for_tests(account, email: str, role: str = MemberRole.MARKETER):
    membership, _ = member_add(
        account=account, email=email, role=role, password=PASSWORD, actor=Actor(system="tests")
    )
    return membership


def signs_in(email: str, password: str) -> bool:
    """Return whether the login page accepts `password` for `email` (through the sign-in guard)."""
    response = Client().post("/login/", {"username": email, "password": password})
    return response.status_code == 302 and response["Location"] == "/"


def member_client(account, email: str, role: str = MemberRole.MARKETER, **options) -> Client:
    """Return a client logged in as a member of `account` with `role`."""
    membership = member_add_for_tests(account, email, role)
    client = Client(**options)
    client.force_login(membership.user)
    client.user = membership.user
    return client
