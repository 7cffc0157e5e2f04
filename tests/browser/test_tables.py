"""A reply's tables in a real Chromium: on a phone the table scrolls sideways inside its box (by keyboard too)
while the page does not, its caption stays readable; the table pages pass axe-core and are photographed."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from tests.browser.conftest import DESKTOP, PHONE, photograph, serious_violations

pytestmark = pytest.mark.browser

# The screenshots the issue asks for: each page scrolled to its first table (ITIB190's is where its annex starts).
PHOTOGRAPHED = ("ITIB010", "ITIB205", "ITIB190")
WIDTHS = {"1280": DESKTOP, "375": PHONE}


@contextmanager
def opened(chromium, portal_url, django_db_blocker, path: str, viewport: dict):
    context = chromium.new_context(viewport=viewport, base_url=portal_url, locale="zh-HK")
    page = context.new_page()
    try:
        with django_db_blocker.unblock():
            page.goto(path)
            yield page
    finally:
        context.close()


def scrolled_sideways(box, seconds: float = 5) -> bool:
    """Whether the box scrolls away from its left edge within ``seconds`` (keyboard scrolling is animated; the
    page's CSP forbids wait_for_function's eval, so this polls)."""
    for _ in range(int(seconds * 10)):
        if box.evaluate("box => box.scrollLeft") > 0:
            return True
        box.page.wait_for_timeout(100)
    return False


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_phone_the_table_scrolls_inside_its_box_and_the_page_does_not(chromium, portal_url, django_db_blocker):
    with opened(chromium, portal_url, django_db_blocker, "/replies/2023-24/ITIB010/", PHONE) as page:
        box = page.locator("#table-1 .table-scroll")
        scroll_width, client_width = box.evaluate("box => [box.scrollWidth, box.clientWidth]")
        assert scroll_width > client_width
        assert page_width(page) <= PHONE["width"]
        box.scroll_into_view_if_needed()
        assert page.locator("#table-1 thead th").first.is_visible()
        assert page.locator("#table-1 tbody th[scope=row]", has_text="2019-20").is_visible()
        assert page.locator("#table-1 tbody td.number", has_text="440").is_visible()

        box.focus()  # a keyboard reader scrolls it with the arrow keys
        page.keyboard.press("ArrowRight")
        assert scrolled_sideways(box)
        caption = page.locator("#table-1 caption").bounding_box()
        assert caption["x"] >= 0 and caption["x"] + caption["width"] <= PHONE["width"]  # still in view, whole
        assert page_width(page) <= PHONE["width"]


@pytest.mark.parametrize("serial", PHOTOGRAPHED)
def test_table_pages_fit_their_width_and_are_photographed(chromium, portal_url, django_db_blocker, serial):
    for label, viewport in WIDTHS.items():
        with opened(chromium, portal_url, django_db_blocker, f"/replies/2023-24/{serial}/#table-1", viewport) as page:
            page.locator("#table-1").evaluate("figure => figure.scrollIntoView()")
            photograph(page, f"table-{serial}-{label}", full_page=False)
            assert page_width(page) <= viewport["width"], f"{serial} is {page_width(page)}px wide at {label}px"


@pytest.mark.parametrize("path", ["/replies/2023-24/ITIB190/?q=本地", "/en/replies/2023-24/ITIB043/"])
def test_pages_with_many_tables_or_lost_columns_have_no_serious_accessibility_violations(browser_page, path):
    browser_page.goto(path)
    assert serious_violations(browser_page) == []
