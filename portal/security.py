"""Two guards Django does not provide: a Content-Security-Policy header (none built into 5.2), and a
read-only rule for every URL outside the admin and the session's reply set.

The portal's pages carry no inline script, inline style or style attribute, so the policy allows
nothing but the site's own files: an injected `<script>` or `style="…"` is refused by the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseNotAllowed

DEFAULT_POLICY = {
    "default-src": "'self'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}


def policy_header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds `settings.CONTENT_SECURITY_POLICY` to every response that has no policy of its own.

    With DEBUG on, Django's technical error pages (inline styles and scripts) are left without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY))

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 400:
            return response
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Besides the admin, the only views that accept a write: the session's reply set (URL names
# "reply-set-…") and Django's language switch. Each of them is CSRF-protected.
WRITABLE_URL_NAMES = frozenset({"set_language"})
WRITABLE_URL_PREFIXES = ("reply-set-",)


class ReadOnlyMiddleware:
    """Refuses POST/PUT/PATCH/DELETE (405) everywhere else, whatever a view would do with them.

    The portal is a public read-only library: this keeps it so even when a new view forgets
    `require_safe`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or accepts_writes(request.resolver_match):
            return None
        return HttpResponseNotAllowed(SAFE_METHODS)


def accepts_writes(match) -> bool:
    name = match.url_name or ""
    return match.app_name == "admin" or name in WRITABLE_URL_NAMES or name.startswith(WRITABLE_URL_PREFIXES)
