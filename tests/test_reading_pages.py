"""Subject, keywords, related replies and "not provided" where a reader meets them: the API, the listing's filter
and facet, the reply, member and head pages, the exports and the feed (issue 15). The rules themselves are tested
with their own labelled sets (test_subject_keywords.py, test_related.py, test_not_provided.py)."""

from __future__ import annotations

import csv
import io
import re

import feedparser
import openpyxl
import pytest
from docx import Document

from replies.models import Reply
from replies.reading_store import related_replies

pytestmark = pytest.mark.django_db

KINDS = ("not_kept", "withheld", "not_yet")


def all_api_replies(client, **params) -> list[dict]:
    return client.get("/api/replies/", {"page_size": 500, **params}).json()["results"]


def test_every_reply_has_a_subject_keywords_and_its_not_provided_statements_in_the_api(client):
    replies = all_api_replies(client)
    assert len(replies) == 263
    for reply in replies:
        assert 1 <= len(reply["subject"]) <= 40, reply["serial"]
        assert 1 <= len(reply["keywords"]) <= 6, reply["serial"]
        for entry in reply["not_provided"]:
            assert entry["kind"] in KINDS
            assert entry["evidence"] and entry["evidence"] in reply["reply"], reply["serial"]
    assert sum(1 for reply in replies if reply["not_provided"]) >= 50  # the bundled file has dozens


def test_the_reply_detail_lists_related_replies_with_what_they_share(client):
    stored = [reply for reply in Reply.objects.with_related() if related_replies(reply)]
    assert len(stored) >= 50  # many replies of one bureau's year share a scheme or a body
    reply = stored[0]
    detail = client.get(f"/api/replies/2023-24/{reply.serial}/").json()
    assert 1 <= len(detail["related"]) <= 5
    for other in detail["related"]:
        assert other["serial"] != reply.serial and other["shared"]
        assert other["url"] == f"/replies/{other['year']}/{other['serial']}/"
        assert set(other["shared"]) <= set(reply.subject_names)


@pytest.mark.parametrize("kind", [*KINDS, "any"])
def test_the_not_provided_filter_agrees_with_the_stored_statements_and_the_facet(client, kind):
    expected = {reply.serial for reply in Reply.objects.all()
                if (kind == "any" and reply.not_provided_kinds) or kind in reply.not_provided_kinds}
    found = {reply["serial"] for reply in all_api_replies(client, not_provided=kind)}
    assert found == expected
    listing = client.get("/en/replies/").content.decode()
    if expected:
        assert re.search(rf'<option value="{kind}"[^>]*>[^<]*\({len(expected)}\)</option>', listing)


def test_a_bad_not_provided_value_is_a_400_naming_it(client):
    assert client.get("/api/replies/", {"not_provided": "secret"}).status_code == 400
    response = client.get("/en/replies/", {"not_provided": "secret"})
    assert response.status_code == 400 and "not_provided" in response.content.decode()


def test_the_reply_page_says_what_was_not_provided_and_marks_the_sentence(client):
    reply = next(reply for reply in Reply.objects.order_by("serial") if reply.not_provided)
    page = client.get(f"/en/replies/2023-24/{reply.serial}/").content.decode()
    assert "Not provided:" in page
    marked = re.findall(r'<span class="evidence">(.*?)</span>', page, re.S)
    assert marked, "the evidence sentence is marked"
    assert reply.subject in page
    for keyword in reply.keywords:
        assert f'>{keyword}</a>' in page


def test_member_and_head_pages_show_subjects_and_count_replies_that_did_not_provide_information(client):
    member = Reply.objects.filter(member__name="吳永嘉").first().member
    replies = Reply.objects.filter(member=member)
    page = client.get(f"/en/members/{member.pk}/").content.decode()
    for reply in replies:
        assert reply.subject in page
    withheld_any = sum(1 for reply in replies if reply.not_provided_kinds)
    if withheld_any:
        assert f"{withheld_any} repl" in page and "not_provided=" in page
    head_page = client.get("/en/heads/155/").content.decode()
    assert "did not provide information asked for" in head_page


def test_csv_and_xlsx_carry_subject_keywords_and_not_provided(client):
    response = client.get("/replies/export.csv", {"member": "吳永嘉"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-3:] == ["subject", "keywords", "information not provided"]
    by_serial = {row[1]: row for row in rows[1:]}
    for reply in Reply.objects.filter(member__name="吳永嘉"):
        row = by_serial[reply.serial]
        assert row[-3] == reply.subject and row[-2] == "; ".join(reply.keywords)
        assert bool(row[-1]) == bool(reply.not_provided_kinds)
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(
        "/replies/export.xlsx", {"member": "吳永嘉"}).streaming_content)), read_only=True)
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert header[-3:] == ("主題", "關鍵詞", "未有提供的資料")


def test_word_contents_and_feed_titles_name_the_subject(client):
    reply = Reply.objects.filter(member__name="吳永嘉").order_by("serial").first()
    document = Document(io.BytesIO(b"".join(client.get("/replies/export.docx", {"member": "吳永嘉"}).streaming_content)))
    assert any(reply.serial in p.text and reply.subject in p.text for p in document.paragraphs)
    feed = feedparser.parse(client.get("/replies/feed/", {"member": "吳永嘉"}).content)
    titles = {entry.id.rsplit(":", 1)[1]: entry.title for entry in feed.entries}
    assert titles[reply.serial].endswith(f"吳永嘉：{reply.subject}")
