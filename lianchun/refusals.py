"""The coded refusal every service raises, and the rules of dates that many records share.

A refusal is a `ValidationError` carrying its code (and its params); `field` puts it on the form
field it belongs to, so the edit layer shows it there (a dict of plain strings would drop the code).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import clock


def refuse(message: str, code: str, field: str | None = None, **params: Any) -> ValidationError:
    """A domain error carrying its code; `field` names the form field it belongs to."""
    error = ValidationError(message, code=code, params=params or None)
    return ValidationError({field: [error]}) if field else error


def not_future(day: datetime.date | None, field: str) -> None:
    """A record of something that happened is not dated after today (the product's clock)."""
    if day is not None and day > clock.today():
        raise refuse(_("The date cannot be in the future."), "future_date", field)
