"""One JSON line per request, with the id a cadre can quote from an error page.

The id comes from the proxy's `X-Request-ID` header when it is a sane token
(so the proxy's log and ours share it), otherwise a fresh random one. It is
kept on `request.request_id`, sent back in the `X-Request-ID` header and shown
on the 500 page.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

logger = logging.getLogger("lianchun.requests")

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_for(request) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if _SANE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def client_ip(request) -> str:
    """The client's address: the connection's, or behind TRUSTED_PROXY_COUNT proxies the one they saw."""
    from django.conf import settings

    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_address(request) -> str:
    """The address the request came from, as django-axes sees it (the proxy settings apply)."""
    address = getattr(request, "axes_ip_address", None)
    if address:
        return address
    return client_ip(request)


class RequestLogMiddleware:
    """Outermost middleware: gives each request its id and logs the answer as one JSON line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.request_id = request_id_for(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        logger.info(json.dumps(self.entry(request, response, started), ensure_ascii=False))
        return response

    @staticmethod
    def entry(request, response, started: float) -> dict:
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
        return {
            "request_id": request.request_id,
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user": user.get_username() if authenticated else None,
            "role": getattr(user, "role", None) if authenticated else None,
            "township": getattr(user, "township_id", None) if authenticated else None,
            "address": client_address(request),
        }


class JsonLineFormatter(logging.Formatter):
    """The message is already a JSON object; other records become one too."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if message.startswith("{") and not record.exc_info:
            return message
        entry = {"level": record.levelname, "logger": record.name, "message": message}
        request = getattr(record, "request", None)
        if request is not None and getattr(request, "request_id", None):
            entry["request_id"] = request.request_id
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
