"""Every page renders under the enforced Content-Security-Policy with nothing refused."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_customer

pytestmark = pytest.mark.browser

# Chromium reports each refusal as a securitypolicyviolation event and a console error.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(page):
    """Return the page with its CSP refusals (events and console errors) collected."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    return page


def refusals(page) -> list[str]:
    events = page.evaluate("window.cspViolations || []")
    console = [text for text in page.console_errors if "Content Security Policy" in text]
    return events + console


@pytest.fixture
def plan_tier_customer(account, transactional_db):
    return make_customer(account, "ann@example.com", {"plan_tier": "gold"})


def test_member_pages_render_without_csp_refusals(watched, admin, plan_tier_customer):
    page = watched
    response = page.goto("/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    log_in(page, admin)

    for url in (
        "/attributes/",
        "/attributes/plan_tier/",
        "/attributes/new-property/",
        "/customers/",
        f"/customers/{plan_tier_customer.pk}/",
        "/settings/",
        "/settings/members/",
        "/settings/keys/",
        "/settings/audit/",
        "/no-such-page/",
    ):
        page.goto(url)
        page.wait_for_load_state("load")
        assert refusals(page) == [], url

    # The fill bars are SVG now, not style attributes: the bar shows the share.
    page.goto("/attributes/")
    assert page.locator("svg.bar rect").first.get_attribute("width") == "100.0"
    # The key suggestion is a script of this origin, so it still runs.
    page.goto("/attributes/new-property/")
    page.get_by_label("Label").fill("Loyalty tier")
    expect(page.get_by_label("Key")).to_have_value("loyalty_tier")
    assert refusals(page) == []


def test_admin_and_api_docs_render_without_csp_refusals(watched, transactional_db):
    page = watched
    get_user_model().objects.create_superuser("root@example.com", password=PASSWORD)

    page.goto("/admin/")
    page.get_by_label("Username").fill("root@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    assert refusals(page) == []
    for url in ("/admin/customers/customer/", "/admin/axes/accessattempt/"):
        page.goto(url)
        page.wait_for_load_state("load")
        assert refusals(page) == [], url

    response = page.goto("/api/docs/")
    assert "'nonce-" in response.headers["content-security-policy"]
    # Swagger UI ran: it fetched the schema and drew the operations.
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 10
    page.locator(".opblock-summary").first.click()
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    assert refusals(page) == []
