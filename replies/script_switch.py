"""The 简体 switch: a cookie that asks for the page's text in Simplified Chinese (OpenCC hk2s, display only).

Search already folds both scripts to one, so only what is shown changes; the stored text stays as the
Government published it.
"""

from __future__ import annotations

import re
import threading

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

COOKIE = "script"
SIMPLIFIED = "hans"
TRADITIONAL = "hant"
ONE_YEAR = 365 * 24 * 3600

# Parts of a page shown as written whatever the script: the names of the languages and scripts to switch to.
_KEPT = re.compile(r"(<!--keep-->.*?<!--/keep-->)", re.S)
_TRADITIONAL_LANG = re.compile(r'\blang="zh-Hant(?:-HK)?"')
_lock = threading.Lock()  # the OpenCC converter is not documented as thread safe
_converters: dict[str, object] = {}


def script_of(request) -> str:
    return SIMPLIFIED if request.COOKIES.get(COOKIE) == SIMPLIFIED else TRADITIONAL


def convert(text: str, config: str) -> str:
    """``text`` converted with an OpenCC configuration ("hk2s" to Simplified, "s2hk" to Hong Kong Traditional)."""
    import opencc

    with _lock:
        if config not in _converters:
            _converters[config] = opencc.OpenCC(config)
        return _converters[config].convert(text)


class ScriptSwitchMiddleware:
    """Every HTML page in Simplified Chinese when the reader's cookie asks for it: listings, the reply set,
    downloads, the API documentation and the error pages alike, so no view can forget to convert.

    Left as they are: streamed responses (exports are files, and converting would mean holding them whole),
    anything not HTML, and the admin, whose forms would otherwise save Simplified text over the published text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_html_page(request, response):
            patch_vary_headers(response, ["Cookie"])  # the same URL answers in either script
            if script_of(request) == SIMPLIFIED:
                convert_page(response)
        return response


def is_html_page(request, response) -> bool:
    """A whole HTML page this switch may rewrite."""
    match = getattr(request, "resolver_match", None)
    return (
        not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.has_header("Content-Encoding")
        and not (match is not None and "admin" in match.namespaces)
    )


def convert_page(response) -> None:
    response.content = to_simplified_html(response.content.decode(response.charset)).encode(response.charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


def to_simplified_html(html: str) -> str:
    """The page in Simplified Chinese, except the parts marked <!--keep-->…<!--/keep-->; what was marked as
    Traditional there is now marked as Simplified, so screen readers and search engines are told the truth."""
    parts = _KEPT.split(html)
    return "".join(
        part if index % 2 else _TRADITIONAL_LANG.sub('lang="zh-Hans"', convert(part, "hk2s"))
        for index, part in enumerate(parts)
    )


def set_script(request):
    """GET /script/?to=hans&next=/replies/…: remember the choice and go back (works without JavaScript)."""
    choice = request.GET.get("to", "")
    if choice not in (SIMPLIFIED, TRADITIONAL):
        return HttpResponseBadRequest("The parameter 'to' must be 'hans' (简体) or 'hant' (繁體).")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(COOKIE, choice, max_age=ONE_YEAR, samesite="Lax")
    return response
