"""Real Chromium (Debian's package) driven by Playwright against the live test server.

Screenshots of every page a walkthrough visits go to var/screenshots/ (1280x800; the
responsive checks add each page at 390x844 and 1280x800). axe-core, from the npm registry
(tests/browser/node/, installed by `make browser-deps` into var/node-axe/), checks each page.
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
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE = ROOT / "var" / "node-axe" / "node_modules" / "axe-core" / "axe.min.js"
# A phone (iPhone 12 to 15) and a laptop: every page fits both without scrolling sideways.
VIEWPORTS = [(390, 844), (1280, 800)]
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


@pytest.fixture(params=VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def viewport(request) -> dict:
    width, height = request.param
    return {"width": width, "height": height}


@pytest.fixture
def checked_page(chromium, live_server, viewport):
    """Return a page of `viewport`'s size that axe-core can be injected into.

    axe-core arrives as an inline script, which the app's Content-Security-Policy refuses;
    this context alone bypasses the policy (test_content_security_policy checks the pages
    under it).
    """
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make browser-deps installs it)")
    context = chromium.new_context(viewport=viewport, base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shoot():
    """Save a screenshot of the window (or the whole page) named after the page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = False) -> Path | None:
        path = SCREENSHOTS / f"{name}.png"
        page.wait_for_load_state("load")
        # Headless Chromium now and then answers "Unable to capture screenshot" right
        # after a navigation; the screenshot is an artefact, not what the test checks.
        for attempt in range(3):
            try:
                page.screenshot(path=str(path), full_page=full_page)
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


# Run every axe-core rule but the experimental ones; report each violation with its nodes.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v =>
    `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


def axe_violations(page) -> list[str]:
    """Inject axe-core into the page and return its violations, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


# The elements that end past the window's right edge, innermost first, for the message.
OVERFLOWING = """() => {
  const width = window.innerWidth;
  return [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 1))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`
      + ` right=${Math.round(el.getBoundingClientRect().right)}`);
}"""


def horizontal_overflow(page) -> str | None:
    """Return why the page scrolls sideways (its width and widest elements), or None."""
    scroll_width, width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width <= width:
        return None
    return f"{scroll_width} px wide in a {width} px window: {page.evaluate(OVERFLOWING)}"
