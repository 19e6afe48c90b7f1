"""A real browser (Debian's Chromium, driven by Playwright) against the app under gunicorn.

BANBAN_TEST_BROWSER=required (CI) makes a missing browser an error; otherwise the browser
tests are skipped with the reason. Playwright never downloads a browser: it drives the one
at BANBAN_CHROMIUM (default /usr/bin/chromium).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date

import pytest

from app.security import hash_password
from domain.application import Banban
from tests.e2e.server import Gunicorn

CHROMIUM = os.environ.get("BANBAN_CHROMIUM", "/usr/bin/chromium")
BROWSER_REQUIRED = os.environ.get("BANBAN_TEST_BROWSER") == "required"
# Flags that work as root, offline, in a container.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
PASSWORD = "banban-browser-pw"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def browser_unavailable() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BANBAN_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"playwright is not installed: {error}"
    return None


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the session."""
    reason = browser_unavailable()
    if reason:
        if BROWSER_REQUIRED:
            pytest.fail(f"a browser is required (BANBAN_TEST_BROWSER=required): {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def seed_users(store_env: dict[str, str], today: date) -> Banban:
    """Users of every role who sign in with PASSWORD, on the test's store."""
    banban = Banban(env=store_env, clock=lambda: today)
    digest = hash_password(PASSWORD)
    for username, role, name in [("office", "office", "代办中心"), ("zhang", "agent", "张伟"),
                                 ("li", "agent", "李娜"), ("leader", "leader", "刘建国"),
                                 ("auditor", "auditor", "审计员")]:
        banban.register_user(username, role, actor="test", display_name=name,
                             password_hash=digest)
    return banban


@pytest.fixture
def live_server(store_env) -> Iterator[Gunicorn]:
    """The app under gunicorn (2 workers) on the test's store."""
    server = Gunicorn(store_env, workers=2)
    try:
        yield server
    finally:
        server.stop()


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(re.compile(r".*/(board|projects|dispatch|audit).*"))
