from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .models import User
from .services import record_failed_login, record_successful_login


class LockoutModelBackend(ModelBackend):
    """Django's model backend with the lock-out rule, for every login path (the admin's too)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        user = User.objects.filter(username=username).first()
        if user is not None and user.is_locked():
            # PermissionDenied stops Django trying other backends: a locked account stays shut.
            raise PermissionDenied
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if authenticated is None:
            if username:
                record_failed_login(username=username)
            return None
        record_successful_login(user=authenticated)
        return authenticated
