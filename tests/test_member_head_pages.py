"""A member's and a head's page list their replies a page at a time, whatever their number, while their counts,
charts and export links cover every reply; each page costs the same statements."""

from __future__ import annotations

import csv
import html as html_module
import io
import re

import pytest

from replies.models import Head, Member, Reply
from tests.test_views import page, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("alias_table_read")]

HEAD_47_REPLIES = 106  # 3 pages of 50


def table_serials(html: str) -> list[str]:
    """The reply serials of the page's reply table, in order."""
    body = re.search(r'<table class="data-table">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>', body)


def test_a_head_lists_its_replies_fifty_a_page_in_serial_order_and_every_one_once(client):
    pages = [page(client, "/en/heads/47/", page=number) for number in (1, 2, 3)]
    assert "106 replies · showing 1–50" in text_of(pages[0])
    assert "106 replies · showing 101–106" in text_of(pages[2])
    assert 'href="?page=2" rel="next"' in pages[0] and "Page 1 of 3" in pages[0]
    expected = list(Reply.objects.filter(head__number=47).in_serial_order().values_list("serial", flat=True))
    assert [serial for html in pages for serial in table_serials(html)] == expected
    assert [len(table_serials(html)) for html in pages] == [50, 50, 6]
    # the programmes' counts are every reply's, not the page's
    assert "106 replies" in text_of(pages[2]).split("Programmes")[0]


def test_a_member_with_fewer_than_a_page_of_replies_has_no_page_links(client):
    member = Member.objects.get(name="吳永嘉")
    html = page(client, f"/en/members/{member.pk}/")
    assert len(table_serials(html)) == 19 and 'aria-label="Pages"' not in html
    assert "19 replies · showing 1–19" in text_of(html)


def test_a_page_that_is_not_there_is_the_listings_400(client):
    not_a_number = "The page must be a whole number, not “x”."
    assert not_a_number in text_of(page(client, "/en/heads/47/", status=400, page="x"))
    assert not_a_number in text_of(page(client, "/en/replies/", status=400, head="47", page="x"))
    assert "There is no page 4: these results have 3 page(s)." in text_of(
        page(client, "/en/heads/47/", status=400, page="4"))
    member = Member.objects.get(name="吳永嘉")
    assert "There is no page 2: these results have 1 page(s)." in text_of(
        page(client, f"/en/members/{member.pk}/", status=400, page="2"))


def test_the_export_links_of_a_head_page_give_every_reply_not_one_page(client):
    html = page(client, "/en/heads/47/", page=2)
    href = html_module.unescape(re.search(r'<a href="([^"]+export\.csv[^"]*)" download>', html).group(1))
    response = client.get(href)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) - 1 == HEAD_47_REPLIES
    listing = re.search(r'<a href="([^"]+)">Search and filter these replies</a>', html).group(1)
    assert "106 replies" in text_of(page(client, html_module.unescape(listing)))


def test_a_member_page_keeps_its_charts_exact(client):
    member = Member.objects.get(name="吳永嘉")
    html = page(client, f"/en/members/{member.pk}/")
    heads = re.search(r'<figcaption id="heads-caption">.*?</figure>', html, re.S).group(0)
    counts = [int(count) for count in re.findall(r'<td class="number">(\d+)</td>', heads)]
    assert sum(counts) == 19
    assert "19 questions · the median member asked 3.5 (of 58 members)" in text_of(html)


@pytest.mark.parametrize(
    ("path", "statements"),
    [
        # the head, its programmes with their counts, its replies' count, how many did not provide information (by
        # kind), the page's ids, the page, its programmes
        ("/en/heads/47/", 7),
        ("/en/heads/47/?page=3", 7),
        # the member, every member's count (for the median), the number of members, by head, by programme, then
        # the page as for a head (its count is the charts')
        ("/en/members/{member}/", 9),
        # the years' and the heads' counts (from the replies' own columns), the years, the heads, the members' count
        ("/en/", 5),
    ],
)
def test_member_head_and_home_pages_cost_a_fixed_number_of_statements(client, django_assert_num_queries, path,
                                                                       statements):
    path = path.format(member=Member.objects.get(name="吳永嘉").pk)
    with django_assert_num_queries(statements):
        assert client.get(path).status_code == 200


def test_home_counts_every_year_and_head_as_the_replies_do(client):
    html = text_of(page(client, "/en/"))
    for head in Head.objects.all():
        count = Reply.objects.filter(head=head).count()
        assert f"{head.number} {head.name}" in html and f"{count} repl" in html
