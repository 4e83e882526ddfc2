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


def check_within(
    day: datetime.date | None,
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    message: str,
    field: str,
    too_early: str,
    too_late: str | None = None,
    **params: Any,
) -> datetime.date:
    """Refuse `day` outside `start`…`end` (an end given as None is open) on `field`, or a missing `day`.

    `message` names the range with %(start)s and %(end)s (ISO dates) and any other `params`; the code says which
    side was crossed (`too_late` defaults to `too_early`). Every app's "a date within its record's life" is this.
    """
    if day is not None and (start is None or day >= start) and (end is None or day <= end):
        return day
    late = day is not None and end is not None and day > end
    bounds = {name: value.isoformat() for name, value in (("start", start), ("end", end)) if value is not None}
    raise refuse(message, (too_late or too_early) if late else too_early, field, **bounds, **params)


def not_future(day: datetime.date | None, field: str) -> None:
    """A record of something that happened is not dated after today (the product's clock)."""
    if day is not None and day > clock.today():
        raise refuse(_("The date cannot be in the future."), "future_date", field)
