"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

# A click that submits a form returns before the next page loads; the tests read pages through expect(), which waits
# (up to this long, for a CI machine running the SQLite and PostgreSQL suites side by side) rather than reading once.
expect.set_options(timeout=15_000)

# Playwright's sync API runs an event loop in the test thread; the tests' own database calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("KEEPSAFE_SCREENSHOTS", REPO / "artifacts" / "screenshots"))
CHROMIUM = os.environ.get("KEEPSAFE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it with apt-get)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (npm package, pinned) in the page at WCAG 2.2 A/AA; return the violations.

    A link click returns before the next page has loaded. Run in a page that is being replaced, axe finds no document
    (CI once failed on "Cannot read properties of null (reading 'documentElement')"), so wait for the load and, if the
    page was replaced while axe ran, run it again on the page that replaced it.
    """
    from playwright.sync_api import Error

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.evaluate(AXE.read_text(encoding="utf-8"))
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
            break
        except Error as error:
            replaced = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not replaced or attempt == 2:
                raise
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible():
    def check(page) -> None:
        violations = axe_violations(page)
        assert violations == [], f"axe found WCAG 2.2 A/AA violations on {page.url}: {violations}"

    return check


@pytest.fixture
def screenshot():
    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


PASSWORD = "a-long-browser-test-password"


@pytest.fixture
def sign_in():
    """Sign in through the real form, as a person would."""

    def go(page, base: str, username: str) -> None:
        page.goto(f"{base}/sign-in")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_load_state()

    return go
