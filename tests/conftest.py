import pytest
from rest_framework.test import APIClient

from customers.models import ApiKeyScope, MemberRole
from customers.services import Actor, account_get_or_create, api_key_create
from tests.members import member_client


@pytest.fixture
def account(db):
    return account_get_or_create(name="Acme")[0]


@pytest.fixture
def other_account(db):
    return account_get_or_create(name="Globex")[0]


def _client_for(account, scope=ApiKeyScope.WRITE) -> APIClient:
    api_key, raw_key = api_key_create(account=account, scope=scope, actor=Actor(system="tests"))
    client = APIClient(HTTP_X_API_KEY=raw_key)
    client.api_key = api_key
    client.raw_key = raw_key
    return client


@pytest.fixture
def api(account) -> APIClient:
    """A client holding a write-scoped key of `account`."""
    return _client_for(account)


@pytest.fixture
def admin_api(account) -> APIClient:
    return _client_for(account, ApiKeyScope.ADMIN)


@pytest.fixture
def other_api(other_account) -> APIClient:
    return _client_for(other_account)


@pytest.fixture
def admin_client(account):
    """A page client logged in as an admin of `account`."""
    return member_client(account, "admin@acme.example.com", MemberRole.ADMIN)


@pytest.fixture
def marketer_client(account):
    """A page client logged in as a marketer of `account`."""
    return member_client(account, "marketer@acme.example.com", MemberRole.MARKETER)


@pytest.fixture
def other_admin_client(other_account):
    """A page client logged in as an admin of another account."""
    return member_client(other_account, "admin@globex.example.com", MemberRole.ADMIN)
