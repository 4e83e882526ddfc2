"""How a signed-in user is loaded on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import router

from lianchun.compiled import CompiledQuery

from .models import User

# The places the page header names (User.place_name): loaded with the user, not by a query of their own on every page.
PLACES = ("township", "county", "city", "province")


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
