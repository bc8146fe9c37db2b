"""Issue 14's defects 7, 8 and 10 in real Chromium, each at 390x844 and 1280x800.

7: styled 403 and 404 pages with the navigation, and the Django admin's "View site" link.
8: password change and reset, the account switcher, "Email" wording, the demo admin's
   Django admin. 10: unique labels, ISO dates, the audit date on one line, the paginated
   properties list.

Every page state a test reaches is checked with axe-core (zero violations) and saved as
var/screenshots/defect<N>-<what>-<width>x<height>.png.
"""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from customers.demo import DEMO_ADMIN
from customers.models import MemberRole, Membership
from tests.browser.conftest import axe_violations, log_in
from tests.factories import (
    PASSWORD,
    make_account,
    make_customer,
    make_definition,
    make_member,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another-Long-passphrase-77"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def seen(page, shoot, name: str) -> None:
    """Assert axe-core finds nothing on the page as it is now; save its screenshot."""
    page.wait_for_load_state("load")
    size = page.viewport_size
    label = f"{name}-{size['width']}x{size['height']}"
    assert axe_violations(page) == [], label
    shoot(page, label, full_page=True)


def open_menu(page) -> None:
    """Unfold the top bar's menu where it is folded (a phone); nothing on a laptop."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()


def log_out(page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def sign_in(page, email: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


# --- Defect 7: styled error pages, and "View site" -------------------------------------


def test_forbidden_page_has_the_layout_and_explains_roles(checked_page, account, marketer, shoot):
    page = checked_page
    make_definition(account, "plan_tier", label="Plan tier")
    log_in(page, marketer)

    response = page.goto("/attributes/plan_tier/archive/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_text("only admins delete properties permanently")).to_be_visible()
    expect(page.locator(".badge-marketer")).to_have_text("Marketer")
    open_menu(page)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Customers")).to_be_visible()
    seen(page, shoot, "defect7-forbidden")
    page.get_by_role("link", name="Go to Contact attributes").click()
    expect(page.get_by_role("heading", name="Contact attributes", level=1)).to_be_visible()


def test_not_found_page_has_the_layout_and_a_way_back(checked_page, account, marketer, shoot):
    page = checked_page
    log_in(page, marketer)

    response = page.goto("/customers/999999/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="Nothing here")).to_be_visible()
    expect(page.locator("main")).to_contain_text("you are in Acme")
    open_menu(page)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(3)
    seen(page, shoot, "defect7-not-found")
    page.get_by_role("main").get_by_role("link", name="Customers").click()
    expect(page).to_have_url(re.compile(r"/customers/$"))


def test_django_admins_view_site_lands_on_the_apps_home(checked_page, account, admin, shoot):
    page = checked_page
    user = get_user_model().objects.get(username=admin)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    log_in(page, admin)

    page.goto("/admin/")
    seen(page, shoot, "defect7-admin-index")
    page.get_by_role("link", name="View site").click()

    expect(page).to_have_url(re.compile(r"/attributes/$"))
    expect(page.get_by_role("heading", name="Contact attributes", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Nothing here")).to_have_count(0)
    seen(page, shoot, "defect7-view-site")


# --- Defect 8: accounts and identity ------------------------------------------------------


def test_password_change_then_log_in_with_the_new_one(checked_page, account, admin, shoot):
    page = checked_page
    log_in(page, admin)
    open_menu(page)
    page.get_by_role("link", name=admin).click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    seen(page, shoot, "defect8-password-change")

    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/account/password/changed/$"))
    seen(page, shoot, "defect8-password-changed")

    log_out(page)
    sign_in(page, admin, PASSWORD)
    expect(page.locator(".form-error")).to_be_visible()
    sign_in(page, admin, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Contact attributes", level=1)).to_be_visible()


def test_password_reset_by_email_then_log_in(checked_page, account, admin, mailoutbox, shoot):
    page = checked_page
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    seen(page, shoot, "defect8-password-reset")
    page.get_by_label("Email").fill(admin)
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_url(re.compile(r"/account/password/reset/sent/$"))
    seen(page, shoot, "defect8-password-reset-sent")

    # The live server runs in this process: its mail lands in Django's test outbox.
    assert [message.to for message in mailoutbox] == [[admin]]
    link = re.search(r"https?://[^/\s]+(/account/password/reset/\S+)", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    seen(page, shoot, "defect8-password-reset-confirm")
    page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page).to_have_url(re.compile(r"/account/password/reset/done/$"))
    seen(page, shoot, "defect8-password-reset-done")

    sign_in(page, admin, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Contact attributes", level=1)).to_be_visible()


def test_a_member_of_two_accounts_switches_to_the_second(checked_page, account, admin, shoot):
    page = checked_page
    globex = make_account("Globex")
    make_member(globex, admin, MemberRole.MARKETER)
    make_definition(account, "acme_only", label="Acme only")
    make_definition(globex, "globex_only", label="Globex only")
    log_in(page, admin)
    page.goto("/attributes/")
    expect(page.get_by_role("link", name="Acme only", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Globex only", exact=True)).to_have_count(0)

    open_menu(page)
    switcher = page.get_by_label("Account")
    expect(switcher.locator("option")).to_have_text(["Acme", "Globex"])
    seen(page, shoot, "defect8-account-switcher")
    switcher.select_option(label="Globex")
    page.get_by_role("button", name="Switch").click()

    expect(page).to_have_url(re.compile(r"/attributes/$"))
    expect(page.get_by_role("link", name="Globex only", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Acme only", exact=True)).to_have_count(0)
    open_menu(page)
    expect(page.get_by_label("Account")).to_have_value(str(globex.pk))
    expect(page.locator(".badge-marketer")).to_have_text("Marketer")
    seen(page, shoot, "defect8-account-switched")


def test_a_wrong_password_speaks_of_the_email(checked_page, account, admin, shoot):
    page = checked_page
    page.goto("/login/")
    field = page.get_by_label("Email")
    expect(field).to_have_attribute("type", "email")
    field.fill(admin)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    error = page.locator(".form-error")
    expect(error).to_contain_text("email")
    expect(error).not_to_contain_text(re.compile("username", re.IGNORECASE))
    expect(page.get_by_label("Email")).to_have_value(admin)
    seen(page, shoot, "defect8-login-error")


def test_the_demo_admin_opens_the_django_admin_for_its_account_only(checked_page, shoot):
    page = checked_page
    out = StringIO()
    call_command("seed_demo", "--customers", "0", stdout=out, stderr=StringIO())
    password = next(line.split()[3] for line in out.getvalue().splitlines() if "login:" in line)
    demo = Membership.objects.get(user__username=DEMO_ADMIN).account
    make_definition(demo, "plan_tier", label="Plan tier")
    make_definition(make_account("Globex"), "globex_secret", label="Globex secret")
    sign_in(page, DEMO_ADMIN, password)

    response = page.goto("/admin/")
    assert response.status == 200
    expect(page.get_by_role("link", name="Property definitions")).to_be_visible()
    seen(page, shoot, "defect8-demo-admin-index")
    page.get_by_role("link", name="Property definitions").click()

    results = page.locator("#result_list")
    expect(results).to_contain_text("plan_tier")
    expect(results).not_to_contain_text("globex_secret")
    seen(page, shoot, "defect8-demo-admin-definitions")
    page.goto("/admin/customers/account/")
    expect(page.locator("#result_list")).to_contain_text(demo.name)
    expect(page.locator("#result_list")).not_to_contain_text("Globex")


# --- Defect 10: labels, dates, the audit column, the properties list's pages --------------


def test_a_duplicate_label_is_refused_next_to_the_label_field(checked_page, account, admin, shoot):
    page = checked_page
    make_definition(account, "plan_tier", label="Plan tier")
    log_in(page, admin)
    page.goto("/attributes/new-property/")
    page.get_by_label("Label").fill("PLAN TIER")
    page.get_by_label("Key").fill("plan_tier_2")
    page.get_by_role("button", name="Create property").click()

    field = page.locator(".field").filter(has=page.get_by_label("Label"))
    expect(field).to_have_class(re.compile(r"\bfield-invalid\b"))
    expect(field).to_contain_text("already has this label")
    expect(page.locator(".field-invalid")).to_have_count(1)
    expect(page.get_by_label("Label")).to_have_value("PLAN TIER")
    seen(page, shoot, "defect10-duplicate-label")


def test_dates_are_iso_on_the_profile_property_page_and_audit_log(
    checked_page, account, admin, shoot
):
    page = checked_page
    make_definition(account, "plan_tier", label="Plan tier")
    customer = make_customer(account, "ann@example.com", {"plan_tier": "pro"})
    log_in(page, admin)

    page.goto(f"/customers/{customer.pk}/")
    expect(page.locator("main")).to_contain_text(re.compile(r"created \d{4}-\d{2}-\d{2} "))
    seen(page, shoot, "defect10-profile-dates")

    page.goto("/attributes/plan_tier/")
    created = page.locator("dt", has_text="Created").locator("xpath=following-sibling::dd[1]")
    expect(created).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} · "))
    seen(page, shoot, "defect10-property-dates")

    page.goto("/settings/audit/")
    when = page.locator("td[data-label='When'] time")
    expect(when.first).to_be_visible()
    for text in when.all_inner_texts():
        assert ISO_DATE.match(text), text
    # One line: the cell is no taller than one line of its text (it wrapped to four).
    line_height = when.first.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert when.first.bounding_box()["height"] < 1.5 * line_height
    seen(page, shoot, "defect10-audit-dates")


def test_sixty_properties_are_listed_on_two_pages(checked_page, account, admin, shoot):
    page = checked_page
    for n in range(1, 61):
        make_definition(account, f"prop_{n:02}", label=f"Property {n:02}")
    log_in(page, admin)
    page.goto("/attributes/")
    rows = page.locator("table.attr-table tbody tr")
    expect(rows).to_have_count(50)
    pager = page.get_by_role("navigation", name="Pages of properties")
    expect(pager).to_contain_text("Properties 1\u201350 of 60")
    expect(pager.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    seen(page, shoot, "defect10-properties-page-1")

    pager.get_by_role("link", name="Page 2").click()

    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text("Property 51")
    expect(rows.last).to_contain_text("Property 60")
    expect(page.get_by_role("link", name="Property 50", exact=True)).to_have_count(0)
    seen(page, shoot, "defect10-properties-page-2")
