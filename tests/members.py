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


def member_client(account, email: str, role: str = MemberRole.MARKETER, **options) -> Client:
    """Return a client logged in as a member of `account` with `role`."""
    membership = member_add_for_tests(account, email, role)
    client = Client(**options)
    client.force_login(membership.user)
    client.user = membership.user
    return client
