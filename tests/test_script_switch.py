"""The 简体 switch reaches every HTML page, the reply set, downloads, the API documentation and the error pages
included, and leaves files, JSON and the admin as they are."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import RequestFactory

from portal.database_outage import database_unavailable
from replies.models import Reply
from replies.script_switch import ScriptSwitchMiddleware

pytestmark = pytest.mark.django_db

TRADITIONAL_NAME = "財務委員會審核開支預算：問題與答覆"
SIMPLIFIED_NAME = "财务委员会审核开支预算：问题与答复"
PAGES = [
    ("/set/", 200),
    ("/downloads/", 200),
    ("/api/", 200),
    ("/no-such-page/", 404),
    ("/replies/export.csv?year=1800-01", 400),  # an export's "problem" page
]


def title(client, path: str, status: int) -> str:
    response = client.get(path)
    assert response.status_code == status
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def in_simplified(client):
    client.cookies["script"] = "hans"
    return client


@pytest.mark.parametrize("path, status", PAGES)
def test_without_the_cookie_every_page_is_traditional(client, path, status):
    text = title(client, path, status)
    assert TRADITIONAL_NAME in text and SIMPLIFIED_NAME not in text


@pytest.mark.parametrize("path, status", PAGES)
def test_with_the_cookie_every_page_is_simplified(client, path, status):
    text = title(in_simplified(client), path, status)
    assert SIMPLIFIED_NAME in text and TRADITIONAL_NAME not in text


def test_a_converted_page_keeps_its_marked_parts_and_announces_that_it_varies_by_cookie(client):
    response = in_simplified(client).get("/downloads/")
    html = response.content.decode()
    assert ">繁體</a>" in html  # the script switch's own name, kept as written
    assert "Cookie" in response["Vary"]
    assert int(response.get("Content-Length", len(response.content))) == len(response.content)


def test_files_and_json_are_left_as_published(client):
    in_simplified(client)
    export = client.get("/replies/export.csv", {"year": "2023-24"})
    assert export.streaming and "數碼港".encode() in b"".join(export.streaming_content)
    assert "數碼港" in client.get("/api/replies/", {"q": "數碼港", "page_size": 1}).content.decode()


def test_the_admin_shows_the_stored_text_so_saving_a_form_cannot_simplify_it(client):
    admin = User.objects.create_superuser("clerk", "clerk@example.com", "a long enough password")
    client.force_login(admin)
    reply = Reply.objects.filter(question__contains="數碼港").first()
    html = in_simplified(client).get(f"/admin/replies/reply/{reply.pk}/change/").content.decode()
    assert "數碼港" in html and "数码港" not in html


def test_the_database_outage_page_follows_the_cookie_and_its_language_marks_with_it():
    middleware = ScriptSwitchMiddleware(lambda request: database_unavailable(request, OperationalError("down")))
    request = RequestFactory().get("/")
    traditional = middleware(request).content.decode()
    assert "資料庫暫時無法連線" in traditional and 'lang="zh-Hant"' in traditional
    request.COOKIES["script"] = "hans"
    response = middleware(request)
    simplified = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "资料库暂时无法连线" in simplified and 'lang="zh-Hans"' in simplified and "zh-Hant" not in simplified


def test_outside_the_kept_switches_nothing_claims_to_be_traditional_in_simplified(client):
    html = in_simplified(client).get("/").content.decode()
    outside_kept = re.sub(r"<!--keep-->.*?<!--/keep-->", "", html, flags=re.S)
    assert 'lang="zh-Hant' not in outside_kept and 'lang="zh-Hans"' in outside_kept
