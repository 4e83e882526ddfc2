"""How a signed-in user is loaded on every request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth.backends import ModelBackend
from django.db import router

from lianchun.compiled import CompiledQuery

from .models import User

# The places the page header names (User.place_name): loaded with the user, not by a query of their own on every page.
PLACES = ("township", "county", "city", "province")


class WaitingPairBackend(AxesStandaloneBackend):
    """django-axes' check for a pair made to wait, answered in the time a wrong password takes.

    Axes refuses a waiting pair before any password is hashed, so its answer came back in a fraction of the time
    of a wrong password's and told a guesser which of the two it was. Hashing the offered password once, as
    Django's own backend does for an unknown username, makes the three refusals cost the same.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            User().set_password(password)
            raise


class AccountBackend(ModelBackend):
    """Django's username-and-password backend; the user comes with the place their role belongs to."""

    def get_user(self, user_id: Any) -> User | None:
        found = _USER.objects(user_id, using=router.db_for_read(User))
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None


# Every request of a signed-in user loads them: that query is compiled once (lianchun.compiled).
_USER = CompiledQuery(
    lambda user_id: User._default_manager.select_related(*PLACES).filter(pk=user_id), placeholders=[-1]
)
