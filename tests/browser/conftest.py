"""Real Chromium (Debian's package) driven by Playwright against the live test server.

Screenshots of every page a walkthrough visits go to var/screenshots/ (1280x800).
"""

import os
import shutil
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from customers.models import MemberRole
from tests.factories import PASSWORD, make_member

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shoot():
    """Save a full-window screenshot named after the page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path | None:
        path = SCREENSHOTS / f"{name}.png"
        page.wait_for_load_state("load")
        # Headless Chromium now and then answers "Unable to capture screenshot" right
        # after a navigation; the screenshot is an artefact, not what the test checks.
        for attempt in range(3):
            try:
                page.screenshot(path=str(path))
                return path
            except PlaywrightError as error:
                last = error
                page.wait_for_timeout(300 * (attempt + 1))
        warnings.warn(f"screenshot {name} not taken: {last}", stacklevel=2)
        return None

    return take


def _member(account, email, role):
    make_member(account, email, role)
    return email


@pytest.fixture
def marketer(account, transactional_db):
    return _member(account, "marketer@acme.example.com", MemberRole.MARKETER)


@pytest.fixture
def admin(account, transactional_db):
    return _member(account, "admin@acme.example.com", MemberRole.ADMIN)


def log_in(page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
