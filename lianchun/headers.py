"""Response headers for a county's server.

Pages behind the login show records: no browser, proxy or shared office PC
may keep a copy (`Cache-Control: no-store`). The Content-Security-Policy comes
from django-csp (settings.CONTENT_SECURITY_POLICY) and the Referrer-Policy from
Django's SecurityMiddleware; this middleware adds the Permissions-Policy. It
sits after WhiteNoise, so static files keep their long cache lifetimes.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers

# Nothing in the product uses these browser features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Every dynamic answer: record pages, downloads, error pages and the login page alike
        # ("max-age=0, no-cache, no-store, must-revalidate, private").
        add_never_cache_headers(response)
        return response
