import pytest
from rest_framework.test import APIClient

from customers.models import ApiKeyScope, MemberRole
from tests.factories import make_account, make_api_key
from tests.members import member_client


@pytest.fixture
def account(db):
    return make_account("Acme")


@pytest.fixture
def other_account(db):
    return make_account("Globex")


def _client_for(account, scope=ApiKeyScope.WRITE) -> APIClient:
    api_key, raw_key = make_api_key(account, scope=scope)
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
