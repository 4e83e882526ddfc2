"""The security log: who logged in, failed, waited, logged out, changed a password or an account, or was refused.

Every entry carries the time, the user (or the username typed), the address
and the request id of the JSON request log. Entries are only ever added:
database triggers refuse updates, and deletions of entries younger than the
retention period (SECURITY_LOG_RETENTION_DAYS, at least 180).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from lianchun.requestlog import client_address

from .models import SecurityEvent

Kind = SecurityEvent.Kind

# Fields of an account whose change is a security event (role, place, status, admin rights).
WATCHED_ACCOUNT_FIELDS = ("role", "county_id", "township_id", "is_active", "is_staff", "is_superuser")


def retention() -> datetime.timedelta:
    return datetime.timedelta(days=max(180, settings.SECURITY_LOG_RETENTION_DAYS))


def record(
    kind: str,
    *,
    request=None,
    user: Any = None,
    username: str = "",
    by: Any = None,
    detail: str = "",
) -> SecurityEvent:
    if user is not None and getattr(user, "pk", None) is None:
        user = None
    if not username and user is not None:
        username = user.get_username()
    address = client_address(request) if request is not None else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        by=by if getattr(by, "pk", None) else None,
        address=address or None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        path=(request.path[:300] if request is not None else ""),
        detail=detail[:500],
    )


def record_denied_request(request, *, status: int) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    record(Kind.ACCESS_DENIED, request=request, user=user, detail=str(status))


def prune(now: datetime.datetime | None = None) -> int:
    """Delete entries older than the retention period; the database refuses younger ones anyway."""
    cutoff = (now or timezone.now()) - retention()
    count, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return count


def describe_account_change(old: dict, new: dict) -> str:
    """ "role: township_cadre → county_office; is_active: True → False" for the fields that changed."""
    parts = [
        f"{field}: {old.get(field)} → {new.get(field)}"
        for field in WATCHED_ACCOUNT_FIELDS
        if old.get(field) != new.get(field)
    ]
    return "; ".join(parts)
