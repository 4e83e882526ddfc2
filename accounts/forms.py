from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from .models import SecurityEvent


def _wait_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LoginForm(auth_forms.AuthenticationForm):
    """One answer for a wrong password, a pair made to wait and an unknown username (see accounts.throttling)."""

    error_messages = {
        "invalid_login": _(
            "The username or password is wrong, or there were too many wrong tries from this computer. "
            "Check and try again; after %(limit)s wrong tries, wait %(minutes)s minutes."
        ),
        "inactive": _("This account is disabled. Ask your administrator."),
    }

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT, "minutes": _wait_minutes()},
        )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """A wrong old password counts as a failed login of this account from this address."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": _("Your old password was entered incorrectly. Please enter it again."),
        "too_many_tries": _("Too many wrong passwords from this computer. Wait %(minutes)s minutes and try again."),
    }

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        credentials = {"username": self.user.get_username()}
        if self.request is not None and AxesProxyHandler.is_locked(self.request, credentials):
            raise forms.ValidationError(
                self.error_messages["too_many_tries"], code="too_many_tries", params={"minutes": _wait_minutes()}
            )
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            if self.request is not None:
                self.request.security_event_kind = SecurityEvent.Kind.PASSWORD_CHANGE_FAILED
                user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise
