"""Every page type passes axe-core without serious or critical violations, fits a 375 px phone, and is
photographed (desktop and phone) into docs/screenshots/ for review."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, photograph, serious_violations

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "/",
    "listing": "/replies/?q=数码港&ordering=relevance",
    "reply": "/replies/2023-24/ITIB010/?q=1823",
    # a subject, keywords, a sentence saying information is not kept, and related replies
    "reply-subject": "/replies/2023-24/ITIB007/",
    "members": "/members/",
    "member": None,  # found by following the first member link, ids differ between databases
    "head": "/heads/47/",
    "not-found": "/replies/2023-24/ITIB999/",
    "listing-en": "/en/replies/?head=155",
}


def open_page_type(page, name: str) -> None:
    if PAGE_TYPES[name] is None:
        page.goto("/members/")
        page.locator("tbody a").first.click()
    else:
        page.goto(PAGE_TYPES[name])


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_has_no_serious_accessibility_violations(browser_page, name):
    open_page_type(browser_page, name)
    assert serious_violations(browser_page) == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_fits_a_phone_and_is_photographed(chromium, portal_url, django_db_blocker, name):
    for label, viewport in (("desktop", DESKTOP), ("375", PHONE)):
        context = chromium.new_context(viewport=viewport, base_url=portal_url)
        page = context.new_page()
        with django_db_blocker.unblock():
            open_page_type(page, name)
            photograph(page, f"{name}-{label}")
            page_width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        assert page_width <= viewport["width"], f"{name} is {page_width}px wide at {viewport['width']}px"


def test_the_reply_page_prints_without_navigation(browser_page):
    browser_page.goto(PAGE_TYPES["reply"])
    browser_page.emulate_media(media="print")
    assert browser_page.locator(".site-header").is_hidden()
    assert browser_page.locator(".neighbours").is_hidden()
    assert browser_page.locator("#answer-heading").is_visible()
