"""Content-Security-Policy header: Django 5.2 has none built in.

The portal's pages carry no inline script, inline style or style attribute, so the policy allows
nothing but the site's own files: an injected `<script>` or `style="…"` is refused by the browser.
"""

from __future__ import annotations

from django.conf import settings

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
