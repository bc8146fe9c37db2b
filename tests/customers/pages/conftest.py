import pytest
from django.test import Client

from customers.models import MemberRole
from customers.services import Actor
from customers.services.members import member_add

PASSWORD = "a-long-Passphrase-42"


def _member_client(account, email, role) -> Client:
    membership, _ = member_add(
        account=account, email=email, role=role, password=PASSWORD, actor=Actor(system="tests")
    )
    client = Client()
    client.force_login(membership.user)
    client.user = membership.user
    return client


@pytest.fixture
def admin_client(account) -> Client:
    """Logged in as an admin of `account`."""
    return _member_client(account, "admin@acme.example.com", MemberRole.ADMIN)


@pytest.fixture
def marketer_client(account) -> Client:
    """Logged in as a marketer of `account`."""
    return _member_client(account, "marketer@acme.example.com", MemberRole.MARKETER)


@pytest.fixture
def other_admin_client(other_account) -> Client:
    """Logged in as an admin of another account."""
    return _member_client(other_account, "admin@globex.example.com", MemberRole.ADMIN)
