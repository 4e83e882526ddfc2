from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import minutes_locked


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is wrong. After %(limit)s wrong tries the account is locked for %(minutes)s minutes."
        ),
        "inactive": _("This account is disabled. Ask your administrator."),
        "locked": _("Too many wrong passwords: this account is locked. Try again in %(minutes)s minutes."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            user = User.objects.filter(username=username).first()
            if user is not None and user.is_locked():
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": minutes_locked(user)}
                )
        try:
            return super().clean()
        except forms.ValidationError:
            user = User.objects.filter(username=username).first() if username else None
            if user is not None and user.is_locked():
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"minutes": minutes_locked(user)}
                ) from None
            raise

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.LOGIN_FAILURE_LIMIT, "minutes": settings.LOGIN_LOCK_MINUTES},
        )
