"""A live portal over the test database and Debian's Chromium driven by Playwright.

The server reads the replies the session imported (tests/conftest.py) without a transactional test around it,
so nothing is flushed. When no Chromium can be had the browser tests skip and say so; CI installs one.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# Committed screenshots change only when asked for, so a test run leaves the work tree clean.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.mkdtemp(prefix="portal-screenshots-"))
)


def photograph(page, name: str, full_page: bool = True) -> Path:
    """What ``page`` shows, as SCREENSHOTS/<name>.png: the whole page, or with ``full_page=False`` the viewport
    where the page is scrolled to (docs/screenshots/ with UPDATE_SCREENSHOTS=1, else a temporary folder)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is, one line each."""
    response = Axe().run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:3]}"
        for violation in response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="session")
def portal_url(django_db_setup, django_db_blocker):
    """Base URL of a live server over the imported test database."""
    from pytest_django.live_server_helper import LiveServer

    from replies.models import Reply

    with django_db_blocker.unblock():
        if not Reply.objects.exists():  # a transactional test elsewhere may have flushed the tables
            call_command("import_replies", stdout=io.StringIO())
        server = LiveServer("localhost")
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def chromium(portal_url):
    """Started after the live server: Playwright's event loop must not be running while the database is set up."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install -y chromium` (CI does)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def browser_page(chromium, portal_url, django_db_blocker):
    """A fresh desktop page (its own cookies); .goto() paths are relative to the live server."""
    context = chromium.new_context(viewport=DESKTOP, base_url=portal_url, locale="zh-HK")
    page = context.new_page()
    with django_db_blocker.unblock():
        yield page
    context.close()
