"""Bulk changes to customers in the Django admin: listed per account with their progress,
and read-only (the worker and the customers list are the only writers)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from customers.models import BulkAction, BulkActionKind, Membership
from customers.services import Actor
from customers.services import bulk_actions as bulk
from tests.factories import make_customer


@pytest.fixture
def staff_client(client, account):
    user = get_user_model().objects.create_user("staff@example.com", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    Membership.objects.create(user=user, account=account, role="admin")
    client.force_login(user)
    return client


def queued_job(account, tag: str) -> BulkAction:
    """Return a tag change for the account's every customer, left for the worker."""
    for _ in range(3):
        make_customer(account)
    outcome = bulk.customers_bulk_change(
        account=account,
        change=bulk.BulkChange(BulkActionKind.TAG_ADD, tag),
        actor=Actor(system="tests"),
        customer_filter=bulk.CustomerFilter(),
    )
    return outcome.job


@pytest.fixture
def jobs(account, other_account, monkeypatch):
    monkeypatch.setattr(bulk, "INLINE_MAX", 1)
    ours = queued_job(account, "ours-tag")
    BulkAction.objects.filter(pk=ours.pk).update(customers_done=2)
    return ours, queued_job(other_account, "theirs-tag")


def test_staff_see_their_accounts_bulk_changes_with_progress(staff_client, jobs):
    html = staff_client.get("/admin/customers/bulkaction/").content.decode()

    assert "ours-tag" in html
    assert "Add a tag" in html
    assert "2 of 3 customers (66%)" in html
    assert "Queued" in html
    assert "theirs-tag" not in html


def test_bulk_changes_are_read_only_in_the_admin(staff_client, jobs):
    ours, _ = jobs
    url = f"/admin/customers/bulkaction/{ours.pk}/change/"

    page = staff_client.get(url)
    posted = staff_client.post(url, {"status": "done"})
    deleted = staff_client.post(f"/admin/customers/bulkaction/{ours.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert "Save" not in page.content.decode()
    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert staff_client.get("/admin/customers/bulkaction/add/").status_code == 403
    assert BulkAction.objects.get(pk=ours.pk).status == "queued"
