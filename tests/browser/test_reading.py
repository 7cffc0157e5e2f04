"""A reader's path through the portal in a real Chromium: search, filter, page, read, switch, follow."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def result_serials(page) -> list[str]:
    return page.locator(".result__title > a").all_inner_texts()


def test_a_simplified_search_marks_traditional_hits(browser_page):
    page = browser_page
    page.goto("/")
    page.get_by_label("搜尋問題及答覆").fill("数码港")
    page.get_by_role("button", name="搜尋", exact=True).click()
    page.wait_for_url(re.compile(r"/replies/\?q="))
    assert page.locator("#results-heading").inner_text() == "52 項答覆 · 顯示第 1 至 20 項"
    assert set(page.locator(".result__snippet mark").all_inner_texts()) == {"數碼港"}


def test_filter_by_member_then_head_then_page_forward(browser_page):
    page = browser_page
    page.goto("/replies/")
    assert page.locator("#results-heading").inner_text() == "263 項答覆 · 顯示第 1 至 20 項"
    page.get_by_label("議員").select_option("吳永嘉")
    page.get_by_role("button", name="套用篩選").click()
    assert page.locator("#results-heading").inner_text() == "19 項答覆 · 顯示第 1 至 19 項"
    page.get_by_label("總目").select_option("155")
    page.get_by_role("button", name="套用篩選").click()
    heading = page.locator("#results-heading").inner_text()
    assert re.fullmatch(r"\d+ 項答覆 · 顯示第 1 至 \d+ 項", heading)
    assert "member=%E5%90%B3%E6%B0%B8%E5%98%89" in page.url and "head=155" in page.url
    assert page.locator(".active-filters a").count() == 2

    page.goto("/replies/?ordering=serial")
    page.get_by_role("link", name="下一頁").click()
    assert page.locator("#results-heading").inner_text() == "263 項答覆 · 顯示第 21 至 40 項"
    assert result_serials(page)[0] == "ITIB021"


def test_open_a_reply_go_to_next_switch_language_and_script_and_follow_the_member(browser_page):
    page = browser_page
    page.goto("/replies/?q=数码港")
    first = result_serials(page)[0]
    page.locator(".result__title > a").first.click()
    assert page.locator("h1").inner_text().startswith(first)
    assert page.locator(".reply-text mark").count() > 0
    page.get_by_role("link", name=re.compile("^下一項：")).click()
    assert page.locator("h1").inner_text().startswith(result_serials_at(page, "/replies/?q=数码港")[1])

    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#question-heading").inner_text() == "Question"
    page.get_by_role("link", name="简体").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "数码港" in page.locator(".reply-text").first.inner_text() or "数码港" in page.content()
    page.get_by_role("link", name="繁體中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("#question-heading").inner_text() == "问题"

    member = page.locator(".record a[href*='/members/']").inner_text()
    page.locator(".record a[href*='/members/']").click()
    assert page.locator("h1").inner_text() == member
    assert page.locator("#median-caption").inner_text() == "与中位数议员的提问数目比较"


def result_serials_at(page, path: str) -> list[str]:
    """The serials a listing shows, read in a second tab so the first stays where it is."""
    other = page.context.new_page()
    other.goto(path)
    serials = result_serials(other)
    other.close()
    return serials


def test_from_a_large_result_the_step_links_go_to_the_next_result_and_back_to_the_listing(browser_page, monkeypatch):
    monkeypatch.setattr("replies.reply_search.INLINE_NEIGHBOURS_LIMIT", 0)  # every search counts as large
    page = browser_page
    page.goto("/replies/?q=数码港&ordering=-serial")
    serials = result_serials(page)
    page.locator(".result__title > a").first.click()
    assert page.get_by_role("link", name=re.compile("^下一項：")).count() == 0
    page.get_by_role("link", name="下一個結果").click()
    assert page.locator("h1").inner_text().startswith(serials[1])
    assert "q=%E6%95%B0%E7%A0%81%E6%B8%AF" in page.url and "ordering=-serial" in page.url
    page.get_by_role("link", name="上一個結果").click()
    assert page.locator("h1").inner_text().startswith(serials[0])
    page.get_by_role("link", name="上一個結果").click()
    assert page.get_by_role("status").inner_text() == "這已是第一個結果。"
    assert result_serials(page) == serials
