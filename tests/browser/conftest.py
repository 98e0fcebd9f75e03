"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

The browser starts once per test session; every test gets a fresh context (no cookies, no
language choice) and one page in it. Pages are served by pytest-django's ``live_server``,
which also serves static files, so the real CSS and fonts load.
"""

import os
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Kept after the run for people to look at, but outside the checkout.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR", Path(tempfile.gettempdir()) / "citizen-services-screenshots")
)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context of an English-language browser: the site must still open in Arabic
    (the browser's language is ignored until the visitor picks English). Relative URLs resolve
    against the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` saves a full-page PNG to SCREENSHOTS/<name>.png and returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()`` opens a page in another fresh context (its own cookies: one per user), with the
    same defaults as ``page``; ``locale`` and ``viewport`` may be changed. All are closed after the test."""
    contexts = []

    def open_page(*, locale: str = "en-US", viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport=viewport or {"width": 1280, "height": 800},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.2 AA rule set, as the issue asks: every page of the app, both languages.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def axe_script() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/test, which installs axe-core from the npm registry")
    return AXE.read_text()


@pytest.fixture
def axe(axe_script):
    """``axe(page)`` runs axe-core in the page as it is now and returns its violations as readable lines
    (rule, impact, the first elements). The script is evaluated by the browser's debugger protocol,
    so the pages' own Content-Security-Policy stays as it is."""

    def violations(page) -> list[str]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(axe_script)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + " | ".join(", ".join(map(str, node["target"])) for node in v["nodes"][:4])
            for v in result["violations"]
        ]

    return violations
