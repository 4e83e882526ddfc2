"""Security-log entries for what Django, django-axes and the account history announce."""

from __future__ import annotations

from django.utils import timezone

from . import security, throttling
from .models import SecurityEvent

Kind = SecurityEvent.Kind


def on_logged_in(sender, request, user, **kwargs) -> None:
    security.record(Kind.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        security.record(Kind.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username") or ""
    kind = getattr(request, "security_event_kind", Kind.LOGIN_FAILED)
    detail = "waiting" if getattr(request, "axes_locked_out", False) else ""
    security.record(kind, request=request, username=username, detail=detail)
    alert_if_username_is_attacked(request, username)


def alert_if_username_is_attacked(request, username: str) -> None:
    """Once per window: many failures for one username across addresses (nobody is locked out by it)."""
    failures = throttling.failures_of_username(username)
    if not throttling.should_alert(username_failures=failures, rules=throttling.limits()):
        return
    window_start = timezone.now() - throttling.window()
    if SecurityEvent.objects.filter(kind=Kind.ALERT, username=username, at__gte=window_start).exists():
        return
    security.record(Kind.ALERT, request=request, username=username, detail=str(failures))


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    """Once per wait: axes announces the lock again for every try while the pair waits."""
    window_start = timezone.now() - throttling.window()
    already = SecurityEvent.objects.filter(
        kind=Kind.LOCKED_OUT, username=username or "", address=ip_address or None, at__gte=window_start
    )
    if not already.exists():
        security.record(Kind.LOCKED_OUT, request=request, username=username or "")


def on_account_history(sender, instance, history_instance, **kwargs) -> None:
    """A change of role, place, status or admin rights, with who made it."""
    previous = history_instance.prev_record
    new = {field: getattr(history_instance, field) for field in security.WATCHED_ACCOUNT_FIELDS}
    old = {field: getattr(previous, field) for field in security.WATCHED_ACCOUNT_FIELDS} if previous else {}
    if previous is None and history_instance.history_type != "+":
        return
    detail = security.describe_account_change(old, new)
    if not detail:
        return
    security.record(
        Kind.ACCOUNT_CHANGED,
        request=getattr(history_instance, "_request", None) or current_request(),
        user=instance,
        by=history_instance.history_user,
        detail=detail,
    )


def current_request():
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)
