"""Every page at 390x844 and 1280x800: no sideways scroll, no axe-core violation, a screenshot.

Each page is checked in its ordinary state, its error states (a refused form, 403, 404) and
with the longest key (60 characters of the 64 allowed) and label (200 characters) there are.
Screenshots go to var/screenshots/<page>-<width>x<height>.png.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from customers.errors import InvalidValue
from customers.models import MemberRole
from customers.services.data_issues import data_issues_record
from customers.services.devices import customer_device_set
from customers.services.imports import import_job_create, import_job_start
from customers.services.properties import RefusedProperty
from events.services import event_record
from tests.browser.conftest import axe_violations, horizontal_overflow, log_in
from tests.factories import make_api_key, make_customer, make_definition, make_member

pytestmark = pytest.mark.browser

LONG_KEY = "acquisition_channel_first_touch_attribution_model_revision_2"
# One unbroken word of 185 letters: the worst a label can do to a layout.
LONG_LABEL = "Lifetime value " + "W" * 185
LONG_EMAIL = "someone.with.a.rather.long.address.for.testing@subdomain.example.com"
TYPED = {
    "plan_tier": ("text", "enterprise"),
    "seats": ("integer", 120),
    "mrr": ("number", 1499.5),
    "trial": ("boolean", True),
    "signed_up_at": ("date", "2026-03-01T09:30:00Z"),
    "website": ("url", "https://www.example.com/a/very/long/path/that/keeps/going/and/going"),
    "interests": ("collection", ["analytics", "email", "push notifications", "sms"]),
    "settings": ("json", {"theme": "dark", "digest": {"daily": True, "hour": 9}}),
}


@pytest.fixture
def busy_account(account, transactional_db):
    """Return a customer of an account with a property of each type, long ones, and history."""
    assert (len(LONG_KEY), len(LONG_LABEL)) == (60, 200)
    for key, (type_, _) in TYPED.items():
        make_definition(account, key, type_, label=key.replace("_", " ").capitalize())
    make_definition(account, LONG_KEY, "text", label=LONG_LABEL, description="x" * 300)
    make_definition(account, "old_score", "integer", label="Old score", archived=True)
    customer = make_customer(
        account,
        LONG_EMAIL,
        {key: value for key, (_, value) in TYPED.items()} | {LONG_KEY: "y" * 180},
        tags=["vip", "beta-tester-with-a-long-tag-name"],
        user_id="u-" + "9" * 40,
        first_name="Ann",
        last_name="Example",
        company="A company with a long name " + "Z" * 60,
    )
    for index in range(12):
        make_customer(account, properties={"plan_tier": f"plan {index % 4}", "seats": index})
    customer_device_set(account=account, customer=customer, token="t" * 90, platform="ios")
    event_record(
        account=account,
        customer=customer,
        name="purchased_a_very_long_event_name_" + "e" * 40,
        source="customerio",
        occurred_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
        properties={"amount": 99, "note": "n" * 150, LONG_KEY: "v"},
    )
    data_issues_record(
        account=account,
        door="customerio",
        customer=customer,
        refused=[RefusedProperty("seats", InvalidValue("Expected an integer, got " + "q" * 150))],
        sent={"seats": "q" * 150},
    )
    make_api_key(account, name="Backend with a long descriptive name " + "K" * 40)
    make_member(account, "second.admin." + "m" * 40 + "@example.com", MemberRole.ADMIN)
    return customer


def check(page, shoot, name: str, problems: list[str]) -> None:
    """Add the page's sideways scroll and axe violations to `problems`; take its screenshot."""
    page.wait_for_load_state("load")
    size = page.viewport_size
    label = f"{name}-{size['width']}x{size['height']}"
    overflow = horizontal_overflow(page)
    if overflow:
        problems.append(f"{label}: {overflow}")
    problems.extend(f"{label}: axe {violation}" for violation in axe_violations(page))
    shoot(page, label, full_page=True)


def visit(page, shoot, problems, name: str, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, url
    check(page, shoot, name, problems)


def test_account_pages_fit_and_pass_axe(checked_page, admin, shoot):
    page, problems = checked_page, []
    visit(page, shoot, problems, "login", "/login/")
    page.get_by_label("Email").fill(admin)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".form-error")).to_be_visible()
    check(page, shoot, "login-error", problems)
    visit(page, shoot, problems, "password-reset", "/account/password/reset/")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Send the link").click()
    check(page, shoot, "password-reset-error", problems)
    visit(page, shoot, problems, "password-reset-sent", "/account/password/reset/sent/")
    user = get_user_model().objects.get(email=admin)
    uid, token = (
        urlsafe_base64_encode(force_bytes(user.pk)),
        default_token_generator.make_token(user),
    )
    # The first visit trades the token for a session and redirects to .../set-password/.
    visit(
        page, shoot, problems, "password-reset-confirm", f"/account/password/reset/{uid}/{token}/"
    )
    visit(page, shoot, problems, "password-reset-bad-link", f"/account/password/reset/{uid}/x-y/")
    visit(page, shoot, problems, "password-reset-done", "/account/password/reset/done/")
    visit(page, shoot, problems, "not-found-anonymous", "/no-such-page/", status=404)

    log_in(page, admin)
    visit(page, shoot, problems, "password-change", "/account/password/")
    page.get_by_label("Old password").fill("wrong")
    page.get_by_role("button", name="Change password").click()
    check(page, shoot, "password-change-error", problems)
    visit(page, shoot, problems, "password-change-done", "/account/password/changed/")
    assert problems == []


def test_property_pages_fit_and_pass_axe(checked_page, admin, busy_account, shoot):
    page, problems = checked_page, []
    log_in(page, admin)
    visit(page, shoot, problems, "attributes", "/attributes/")
    visit(page, shoot, problems, "attributes-archived", "/attributes/?status=archived")
    visit(page, shoot, problems, "attributes-no-match", "/attributes/?q=nothing-matches")
    for key, (type_, _) in TYPED.items():
        visit(page, shoot, problems, f"attribute-{type_}", f"/attributes/{key}/")
    visit(page, shoot, problems, "attribute-long", f"/attributes/{LONG_KEY}/")
    visit(page, shoot, problems, "attribute-archived", "/attributes/old_score/")
    visit(page, shoot, problems, "attribute-create", "/attributes/new-property/")
    page.get_by_role("button", name="Create property").click()
    check(page, shoot, "attribute-create-error", problems)
    visit(page, shoot, problems, "attribute-edit", f"/attributes/{LONG_KEY}/edit/")
    page.get_by_label("Label").fill("")
    page.get_by_role("button", name="Save changes").click()
    check(page, shoot, "attribute-edit-error", problems)
    visit(page, shoot, problems, "attribute-archive", f"/attributes/{LONG_KEY}/archive/")
    visit(page, shoot, problems, "attribute-restore", "/attributes/old_score/restore/")
    visit(page, shoot, problems, "attribute-purge", "/attributes/old_score/delete/")
    page.get_by_label("Type old_score to confirm").fill("old_scor")
    page.get_by_role("button", name="Delete permanently").click()
    check(page, shoot, "attribute-purge-error", problems)
    visit(page, shoot, problems, "attribute-type-choose", f"/attributes/{LONG_KEY}/type/")
    visit(
        page, shoot, problems, "attribute-type-preview", f"/attributes/{LONG_KEY}/type/?to=integer"
    )
    page.get_by_role("button", name="Change type to Integer").click()
    check(page, shoot, "attribute-type-preview-error", problems)
    visit(page, shoot, problems, "data-issues", "/data-issues/")
    assert problems == []


def test_customer_pages_fit_and_pass_axe(checked_page, marketer, busy_account, shoot):
    page, problems, customer = checked_page, [], busy_account
    log_in(page, marketer)
    visit(page, shoot, problems, "customers", "/customers/")
    visit(
        page,
        shoot,
        problems,
        "customers-filtered",
        f"/customers/?q=example&tag=vip&plan_tier=enterprise&{LONG_KEY}__set=true&seats>=1",
    )
    visit(page, shoot, problems, "customers-filter-error", "/customers/?no_such_key=1")
    visit(page, shoot, problems, "customers-no-match", "/customers/?q=nobody-matches-this")
    visit(page, shoot, problems, "customer-profile", f"/customers/{customer.pk}/")
    page.get_by_role("button", name="Set property").click()
    check(page, shoot, "customer-profile-error", problems)
    visit(
        page,
        shoot,
        problems,
        "customer-unassign",
        f"/customers/{customer.pk}/values/{LONG_KEY}/unassign/",
    )
    visit(page, shoot, problems, "import-upload", "/customers/import/")
    page.get_by_role("button", name="Upload and map the columns").click()
    check(page, shoot, "import-upload-error", problems)
    content = f"email,plan_tier,{LONG_KEY},a_new_column_with_a_long_name_{'c' * 30}\n".encode()
    content += f"{LONG_EMAIL},gold,{'v' * 80},1\n".encode()
    mapping = import_job_create(
        account=customer.account, user=None, file_name="f" * 80 + ".csv", content=content
    )
    visit(page, shoot, problems, "import-mapping", f"/customers/import/{mapping.pk}/")
    done = import_job_create(
        account=customer.account, user=None, file_name="done.csv", content=content
    )
    import_job_start(job=done, mapping={"email": "email", "plan_tier": "plan_tier"})
    visit(page, shoot, problems, "import-job", f"/customers/import/{done.pk}/")
    visit(page, shoot, problems, "forbidden", "/attributes/plan_tier/archive/", status=403)
    visit(page, shoot, problems, "not-found", "/customers/999999/", status=404)
    assert problems == []


def test_settings_pages_fit_and_pass_axe(checked_page, admin, busy_account, shoot):
    page, problems = checked_page, []
    log_in(page, admin)
    visit(page, shoot, problems, "settings", "/settings/")
    visit(page, shoot, problems, "settings-keys", "/settings/keys/")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Create key").click()
    check(page, shoot, "settings-keys-error", problems)
    page.get_by_label("Name").fill("Warehouse sync")
    page.get_by_role("button", name="Create key").click()
    expect(page.get_by_text("This key will not be shown again.")).to_be_visible()
    check(page, shoot, "settings-key-created", problems)
    key_id = busy_account.account.api_keys.order_by("pk").first().pk
    visit(page, shoot, problems, "settings-key-revoke", f"/settings/keys/{key_id}/revoke/")
    visit(page, shoot, problems, "settings-members", "/settings/members/")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Add member").click()
    check(page, shoot, "settings-members-error", problems)
    page.get_by_label("Email").fill("new.member@example.com")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("heading", name="Member added")).to_be_visible()
    check(page, shoot, "settings-member-added", problems)
    member = busy_account.account.memberships.order_by("pk").last()
    visit(page, shoot, problems, "settings-member-remove", f"/settings/members/{member.pk}/remove/")
    page.goto(f"/attributes/{LONG_KEY}/archive/")
    page.get_by_role("button", name="Archive for the whole account").click()
    visit(page, shoot, problems, "settings-audit", "/settings/audit/")
    visit(page, shoot, problems, "settings-audit-filtered", "/settings/audit/?action=archived")
    assert problems == []


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}])
def test_menu_opens_on_a_phone(checked_page, admin, shoot):
    page = checked_page
    log_in(page, admin)
    page.goto("/attributes/")
    menu = page.get_by_role("button", name="Menu")
    expect(page.get_by_role("link", name="Settings")).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    problems = []
    check(page, shoot, "menu-open", problems)
    assert problems == []
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_menu_stays_open_on_a_laptop(page, admin):
    log_in(page, admin)
    page.goto("/attributes/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()


def test_longest_key_keeps_fill_rate_and_edit_in_view(page, admin, busy_account):
    log_in(page, admin)
    page.goto("/attributes/")
    width = page.evaluate("window.innerWidth")

    assert horizontal_overflow(page) is None
    fill_rate = page.get_by_role("columnheader", name="Fill rate").bounding_box()
    edit = page.get_by_role("link", name=f"Edit {LONG_LABEL}").bounding_box()
    assert fill_rate["x"] + fill_rate["width"] <= width
    assert edit["x"] + edit["width"] <= width
    cell = page.get_by_role("cell", name=LONG_KEY)
    key = cell.get_by_text(LONG_KEY, exact=True)
    # Cut short with an ellipsis, the key shows whole on hover (title) and on focus.
    assert key.evaluate("el => el.scrollWidth > el.clientWidth")
    assert cell.get_attribute("title") == LONG_KEY
    cell.focus()
    expect(key).to_have_css("white-space", "normal")


def test_longest_label_wraps_on_its_page(page, admin, busy_account):
    log_in(page, admin)
    page.goto(f"/attributes/{LONG_KEY}/")

    assert horizontal_overflow(page) is None
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(LONG_LABEL)
    assert heading.bounding_box()["width"] <= page.evaluate("window.innerWidth")


def test_audit_dates_stay_on_one_line(checked_page, admin, busy_account):
    page = checked_page
    log_in(page, admin)
    page.goto("/settings/audit/")

    when = page.locator("table time").first
    line_height = float(when.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    assert when.bounding_box()["height"] < 1.5 * line_height
