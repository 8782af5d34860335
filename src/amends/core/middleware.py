from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

TEXT = "text/plain; charset=utf-8"

# No inline script or style anywhere in the UI, so the policy can be strict.
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class PublicBodyLimitMiddleware:
    """A request body is refused before a byte of it is read when it is larger than anyone not signed in
    may send (`AMENDS_MAX_PUBLIC_BODY_BYTES`: the public form, the portal, the login page). Signed-in
    staff keep Django's larger limit; paths that check a credential in a header before reading the body
    (the API, inbound email) keep their own. Placed after the authentication middleware: its check
    runs before any view, and before the CSRF check reads the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._refusal(request) or self.get_response(request)

    def _refusal(self, request) -> HttpResponse | None:
        if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Content-Length is not a number", status=400, content_type=TEXT)
        limit = settings.AMENDS_MAX_PUBLIC_BODY_BYTES
        if length <= limit or request.path_info.startswith(tuple(settings.AMENDS_HEADER_AUTHENTICATED_PATHS)):
            return None
        if request.user.is_authenticated:  # read only for a large body: a session lookup
            return None
        return HttpResponse(
            f"What was sent is {length:,} bytes; the most accepted without signing in is {limit:,}.",
            status=413,
            content_type=TEXT,
        )
