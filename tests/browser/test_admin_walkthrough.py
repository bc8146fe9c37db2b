"""An admin archives, restores, archives again and deletes a property permanently."""

import re

import pytest
from playwright.sync_api import expect

from customers.models import AuditAction, AuditEntry, PropertyDefinition, PropertyValue
from tests.browser.conftest import log_in
from tests.factories import make_customer

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_tier(account, transactional_db):
    for email, plan in (("ann@example.com", "enterprise"), ("bob@example.com", "free")):
        make_customer(account, email, {"plan_tier": plan})
    return PropertyDefinition.objects.get(account=account, key="plan_tier")


def test_admin_archives_restores_and_deletes_permanently(page, admin, plan_tier, shoot):
    log_in(page, admin)
    page.goto("/attributes/")
    shoot(page, "attributes-list")
    page.get_by_role("link", name="Plan tier").first.click()
    shoot(page, "attribute-detail")

    page.get_by_role("link", name="Archive for the whole account…").click()
    expect(page.get_by_text("whole account", exact=False).first).to_be_visible()
    shoot(page, "attribute-archive-confirm")
    page.get_by_role("button", name="Archive for the whole account").click()
    plan_tier.refresh_from_db()
    assert plan_tier.archived_at is not None

    expect(page.get_by_role("link", name="Plan tier")).to_have_count(0)
    page.goto("/attributes/?status=archived")
    shoot(page, "attributes-archived")
    page.get_by_role("button", name="Restore Plan tier").click()
    plan_tier.refresh_from_db()
    assert plan_tier.archived_at is None
    assert PropertyValue.objects.filter(definition=plan_tier).count() == 2

    page.goto("/attributes/plan_tier/")
    page.get_by_role("link", name="Archive for the whole account…").click()
    page.get_by_role("button", name="Archive for the whole account").click()
    page.goto("/attributes/plan_tier/")
    page.get_by_role("link", name="Delete permanently…").click()
    expect(page.get_by_text("2 customers will lose their value")).to_be_visible()
    page.get_by_label(re.compile("Type plan_tier to confirm")).fill("plan_tie")
    page.get_by_role("button", name="Delete permanently").click()
    assert PropertyDefinition.objects.filter(pk=plan_tier.pk).exists()
    shoot(page, "attribute-delete-wrong-key")

    page.get_by_label(re.compile("Type plan_tier to confirm")).fill("plan_tier")
    page.get_by_role("button", name="Delete permanently").click()
    assert not PropertyDefinition.objects.filter(pk=plan_tier.pk).exists()
    assert not PropertyValue.objects.exists()

    page.goto("/settings/audit/")
    shoot(page, "settings-audit")
    row = page.get_by_role("row").filter(has_text="plan_tier").first
    expect(row).to_contain_text("2")
    assert AuditEntry.objects.get(action=AuditAction.DEFINITION_PURGED).details == {
        "values_removed": 2
    }
    assert AuditEntry.objects.filter(action=AuditAction.DEFINITION_ARCHIVED).count() == 2


def test_screenshot_of_each_page(page, admin, plan_tier, shoot):
    page.goto("/login/")
    shoot(page, "login")
    log_in(page, admin)
    customer = PropertyValue.objects.filter(definition=plan_tier).first().customer
    for name, url in (
        ("attributes-empty-search", "/attributes/?q=nothing-matches"),
        ("attribute-edit", "/attributes/plan_tier/edit/"),
        ("attribute-type-change", "/attributes/plan_tier/type/"),
        ("customers", "/customers/"),
        ("customer-profile-top", f"/customers/{customer.pk}/"),
        ("settings", "/settings/"),
        ("settings-keys", "/settings/keys/"),
        ("settings-members", "/settings/members/"),
    ):
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        shoot(page, name)
