"""Template context every page needs: the portal's name, the language and script switches."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.http import urlencode
from django.utils.translation import get_language

from replies.script_switch import SIMPLIFIED, TRADITIONAL, script_of


def portal(request) -> dict:
    here = request.get_full_path()
    script = script_of(request)
    other_script = TRADITIONAL if script == SIMPLIFIED else SIMPLIFIED
    current = get_language()
    return {
        "portal_name": settings.PORTAL_NAME,
        "script": script,
        "script_switch": {
            "url": reverse("set-script") + "?" + urlencode({"to": other_script, "next": here}),
            "label": "繁體" if other_script == TRADITIONAL else "简体",
            "lang": "zh-Hant" if other_script == TRADITIONAL else "zh-Hans",
        },
        "language_links": [
            {"code": code, "name": name, "url": translate_url(here, code)}
            for code, name in settings.LANGUAGES
            if code != current
        ],
        "content_lang": "zh-Hans" if script == SIMPLIFIED else "zh-Hant-HK",
    }
