"""A session ends after SESSION_COOKIE_AGE (30 minutes) without a request, without a write on every page.

Django's SESSION_SAVE_EVERY_REQUEST would count the idle time exactly, but at the price of an UPDATE and a
commit on every page anyone opens: at a province's scale, most of the database's writes. Here the session
is written again only when its last write is a minute old, so the 30 minutes count from the last request,
to the minute (a session ends between 29 and 30 idle minutes), and a cadre paging through a list costs no
write at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

TOUCHED_KEY = "_touched"
TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    """After SessionMiddleware: marks a used session modified once a minute, so its expiry moves on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a signed-in user's session this request read: a static file, the health check or an anonymous
        # visitor (or a session that could not be read) is never written for this.
        if session is None or not session.accessed or session.get(SESSION_KEY) is None:
            return response
        now = int(time.time())
        if now - session.get(TOUCHED_KEY, 0) >= TOUCH_EVERY_SECONDS:
            session[TOUCHED_KEY] = now
        return response
