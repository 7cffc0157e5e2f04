"""Every HTML page's <title> names the page, then the portal once."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from replies.models import Head, Member

pytestmark = pytest.mark.django_db


def pages() -> list[str]:
    member, head = Member.objects.order_by("pk").first(), Head.objects.order_by("number").first()
    paths = [
        "/", "/replies/", "/replies/?q=數碼港", "/replies/2023-24/ITIB001/", "/members/", f"/members/{member.pk}/",
        f"/heads/{head.number}/", "/set/", "/downloads/", "/no-such-page/", "/replies/2023-24/NOPE/",
        "/replies/?year=1800-01", "/replies/export.csv?year=1800-01",
    ]
    return ["/api/"] + paths + ["/en" + path for path in paths]


def test_no_page_names_the_portal_twice(client):
    for path in pages():
        html = client.get(path).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        language = "en" if path.startswith("/en/") else "zh-hant"
        with translation.override(language):
            name = str(settings.PORTAL_NAME)
        assert title.count(name) == 1, (path, title)
        assert title.endswith(" · " + name) and not title.startswith(" ·"), (path, title)
