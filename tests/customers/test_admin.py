import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from customers.models import (
    AuditAction,
    AuditEntry,
    Membership,
    PropertyDefinition,
)
from customers.services import definition_archive
from tests.factories import TESTS, make_customer, make_definition


@pytest.fixture
def staff_client(client, account):
    user = get_user_model().objects.create_user("staff@example.com", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    Membership.objects.create(user=user, account=account, role="admin")
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("root@example.com", password="x")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "account",
        "apikey",
        "membership",
        "tag",
        "customer",
        "propertydefinition",
        "auditentry",
    ],
)
def test_every_changelist_loads_with_search(superuser_client, api, path):
    response = superuser_client.get(f"/admin/customers/{path}/", {"q": "a"})

    assert response.status_code == 200


def test_event_changelist_loads(superuser_client):
    assert superuser_client.get("/admin/events/event/", {"q": "x"}).status_code == 200


def test_staff_see_only_their_accounts_customers(staff_client, account, other_account):
    make_customer(account, "ours@example.com")
    make_customer(other_account, "theirs@example.com")

    html = staff_client.get("/admin/customers/customer/").content.decode()

    assert "ours@example.com" in html
    assert "theirs@example.com" not in html


def test_customer_page_shows_values_inline(superuser_client, account):
    customer = make_customer(account, "a@example.com", {"plan": "pro"})

    html = superuser_client.get(f"/admin/customers/customer/{customer.pk}/change/").content.decode()

    assert "pro" in html


def test_deleting_an_active_definition_in_admin_is_refused(superuser_client, account):
    definition = make_definition(account, "plan")

    superuser_client.post(
        f"/admin/customers/propertydefinition/{definition.pk}/delete/", {"post": "yes"}
    )

    assert PropertyDefinition.objects.filter(pk=definition.pk).exists()


# The purge is enqueued when the request's transaction commits: commit as served requests do.
@pytest.mark.django_db(transaction=True)
def test_deleting_an_archived_definition_in_admin_purges_and_audits(superuser_client, account):
    definition = make_definition(account, "plan")
    make_customer(account, "a@example.com", {"plan": "pro"})
    definition_archive(definition=definition, actor=TESTS)

    superuser_client.post(
        f"/admin/customers/propertydefinition/{definition.pk}/delete/", {"post": "yes"}
    )

    assert not PropertyDefinition.objects.filter(pk=definition.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED)
    assert entry.details == {"values_removed": 1}
    assert entry.actor_label == "root@example.com"
