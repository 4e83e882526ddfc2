"""Sessions: kept in the database (any web process serves any user), read cheaply, and ended when idle.

A session ends after SESSION_COOKIE_AGE (30 minutes) without a request, without a write on every page.

Django's SESSION_SAVE_EVERY_REQUEST would count the idle time exactly, but at the price of an UPDATE and a
commit on every page anyone opens: at a province's scale, most of the database's writes. Here the session
is written again only when its last write is a minute old, so the 30 minutes count from the last request,
to the minute (a session ends between 29 and 30 idle minutes), and a cadre paging through a list costs no
write at all.

Sessions that ended are removed from the table as new ones begin (at most once every PURGE_EVERY_SECONDS per
process), so the table holds the sessions in use, not every login of every year, with no timed job to set up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .compiled import CompiledQuery

TOUCHED_KEY = "_touched"
TOUCH_EVERY_SECONDS = 60
PURGE_EVERY_SECONDS = 10 * 60


@receiver(user_logged_in, dispatch_uid="session_touched_at_login")
def _touched_at_login(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Login writes the session anyway: its first minute needs no second write.
    session = getattr(request, "session", None)
    if session is not None:
        session[TOUCHED_KEY] = int(time.time())


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


# Every request of a signed-in user reads its session: that query is compiled once (lianchun.compiled).
_SESSION_DATA = CompiledQuery(
    lambda key, now: Session.objects.filter(session_key=key).filter(expire_date__gt=now).values_list("session_data"),
    placeholders=["-", timezone.now()],
)


class SessionStore(db.SessionStore):
    """Django's database sessions (SESSION_ENGINE = "lianchun.sessions"): the read on every request is compiled
    once, and a new session removes those that ended, now and then."""

    purged_at: float | None = None  # when this process last removed ended sessions (time.monotonic)

    def create(self) -> None:
        super().create()
        now = time.monotonic()
        if SessionStore.purged_at is None or now - SessionStore.purged_at >= PURGE_EVERY_SECONDS:
            SessionStore.purged_at = now
            self.clear_expired()

    def _get_session_from_db(self) -> Session | None:
        using = router.db_for_read(Session)
        now = connections[using].ops.adapt_datetimefield_value(timezone.now())
        rows = _SESSION_DATA.rows(self.session_key, now, using=using)
        if not rows:
            self._session_key = None
            return None
        return Session(session_key=self.session_key, session_data=rows[0][0])
