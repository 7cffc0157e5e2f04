"""The reply set: ticked with plain POST forms (CSRF-protected), reordered, cleared and exported in its order."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from replies.models import Reply
from replies.reply_set.context import reply_set_state
from replies.reply_set.store import MAX_SET_SIZE, ReplySet

pytestmark = pytest.mark.django_db


def pk(serial: str) -> int:
    return Reply.objects.get(year__label="2023-24", serial=serial).pk


def set_serials(client) -> list[str]:
    return [reply.serial for reply in client.get("/set/").context["replies"]]


def add(client, *serials: str, next: str = "/set/"):
    for serial in serials:
        response = client.post("/set/add/", {"reply": pk(serial), "next": next})
        assert response.status_code == 302
    return response


def test_adding_redirects_back_and_the_header_count_follows(client):
    response = add(client, "ITIB010", "ITIB001", next="/replies/2023-24/ITIB001/")
    assert response["Location"] == "/replies/2023-24/ITIB001/"
    page = client.get("/set/")
    assert page.context["reply_set_count"] == 2
    assert set_serials(client) == ["ITIB010", "ITIB001"]
    add(client, "ITIB010")  # already in: nothing changes
    assert set_serials(client) == ["ITIB010", "ITIB001"]


def test_reorder_remove_and_clear(client):
    add(client, "ITIB001", "ITIB002", "ITIB003")
    page = client.get("/en/set/").content.decode()
    assert page.count('name="direction" value="up"') == 2 and page.count('name="direction" value="down"') == 2
    assert "Move ITIB001 down" in page and "Move ITIB001 up" not in page
    client.post("/set/move/", {"reply": pk("ITIB003"), "direction": "up"})
    assert set_serials(client) == ["ITIB001", "ITIB003", "ITIB002"]
    client.post("/set/move/", {"reply": pk("ITIB001"), "direction": "down"})
    assert set_serials(client) == ["ITIB003", "ITIB001", "ITIB002"]
    client.post("/set/remove/", {"reply": pk("ITIB001")})
    assert set_serials(client) == ["ITIB003", "ITIB002"]
    client.post("/set/clear/")
    assert set_serials(client) == []
    assert "Your set is empty" in client.get("/en/set/").content.decode()


def test_the_set_exports_in_its_own_order(client):
    add(client, "ITIB237", "ITIB002", "ITIB111")
    response = client.get("/set/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["ITIB237", "ITIB002", "ITIB111"]
    assert response["Content-Disposition"].startswith('attachment; filename="reply-set-')
    response = client.get("/set/export.json")
    assert [reply["serial"] for reply in json.loads(b"".join(response.streaming_content))] == ["ITIB237", "ITIB002", "ITIB111"]
    for format in ("xlsx", "docx"):
        assert client.get(f"/set/export.{format}").status_code == 200


def test_an_empty_set_exports_an_empty_file(client):
    response = client.get("/set/export.json")
    assert json.loads(b"".join(response.streaming_content)) == []


def test_a_whole_listing_can_be_added_at_once(client):
    client.post("/set/add-listing/", {"query": "member=吳永嘉", "next": "/replies/?member=吳永嘉"})
    serials = set_serials(client)
    expected = [r["serial"] for r in client.get("/api/replies/", {"member": "吳永嘉", "page_size": 500}).json()["results"]]
    assert serials == expected and len(serials) == 19


def test_forms_without_the_csrf_token_are_refused():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/set/add/", {"reply": pk("ITIB001")}).status_code == 403


def test_bad_input_is_a_400_and_foreign_redirects_are_ignored(client):
    assert client.post("/set/add/", {"reply": "not-a-number"}).status_code == 400
    assert client.post("/set/add/", {"reply": "999999999"}).status_code == 400
    assert client.post("/set/move/", {"reply": pk("ITIB001"), "direction": "sideways"}).status_code == 400
    assert client.post("/set/add-listing/", {"query": "head=abc"}).status_code == 400
    response = client.post("/set/add/", {"reply": pk("ITIB001"), "next": "https://evil.example/"})
    assert response["Location"] == "/set/"
    assert client.get("/set/add/").status_code == 405


def test_the_set_holds_at_most_its_limit():
    session: dict = {}
    reply_set = ReplySet(session)
    assert reply_set.add(range(1, MAX_SET_SIZE + 50)) == MAX_SET_SIZE
    assert reply_set.add([MAX_SET_SIZE + 100]) == 0
    assert len(reply_set.ids) == MAX_SET_SIZE


@translation.override("en")
def test_the_toggle_and_badge_show_the_sets_state():
    request = RequestFactory().get("/en/replies/")
    request.session = {"reply_set": [pk("ITIB001")]}
    assert reply_set_state(request)["reply_set_count"] == 1
    badge = render_to_string("includes/set_badge.html", request=request)
    assert "(1 reply)" in badge and 'href="/en/set/"' in badge
    toggle_in = render_to_string("includes/set_toggle.html", {"reply": Reply.objects.get(serial="ITIB001")}, request)
    assert 'action="/en/set/remove/"' in toggle_in and "Remove ITIB001 from my set" in toggle_in
    toggle_out = render_to_string("includes/set_toggle.html", {"reply": Reply.objects.get(serial="ITIB002")}, request)
    assert 'action="/en/set/add/"' in toggle_out and "Add ITIB002 to my set" in toggle_out
    assert 'name="csrfmiddlewaretoken"' in toggle_out
