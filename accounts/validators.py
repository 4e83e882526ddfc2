from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MixedKindsValidator:
    """A password mixes at least two kinds of character: letters, digits, symbols."""

    def validate(self, password: str, user=None) -> None:
        kinds = 0
        kinds += any(ch.isalpha() for ch in password)
        kinds += any(ch.isdigit() for ch in password)
        kinds += any(not ch.isalnum() for ch in password)
        if kinds < 2:
            raise ValidationError(
                _("The password must mix at least two kinds of character: letters, digits and symbols."),
                code="password_not_mixed",
            )

    def get_help_text(self) -> str:
        return _("Your password must mix at least two kinds of character: letters, digits and symbols.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a message in Chinese.

    Django's own message is an ngettext plural, which the merged catalogues leave in English.
    """

    def get_error_message(self) -> str:
        return _("This password is too short. It must have at least %(min_length)s characters.") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return _("Your password must have at least %(min_length)s characters.") % {"min_length": self.min_length}


class NotTheOldOneValidator:
    """A new password is new: not the account's current password, and not the account's name with something
    added (Django's similarity rule lets "cadre17cadre17!1" through for the account cadre17)."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        username = (user.get_username() or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(_("The password must not contain the account's name."), code="password_has_username")
        if user.pk is not None and user.has_usable_password() and user.check_password(password):
            raise ValidationError(_("The new password must differ from the current one."), code="password_unchanged")

    def get_help_text(self) -> str:
        return _("Your password must not be your current one nor contain your account's name.")
