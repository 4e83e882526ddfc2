"""How a signed-in user is loaded on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User

# The places the page header names (User.place_name): loaded with the user, not by a query of their own on every page.
PLACES = ("township", "county", "city", "province")


class AccountBackend(ModelBackend):
    """Django's username-and-password backend; the user comes with the place their role belongs to."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related(*PLACES).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
