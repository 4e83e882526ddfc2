"""Login lock-out: five wrong passwords lock an account for fifteen minutes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import User


def record_failed_login(*, username: str) -> None:
    """Count a wrong password; the fifth in a row locks the account."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            return
        now = timezone.now()
        if user.locked_until and user.locked_until <= now:
            # An old lock has run out: start counting again.
            user.failed_login_count = 0
            user.locked_until = None
        user.skip_history_when_saving = True  # login bookkeeping, not an account change
        user.failed_login_count = F("failed_login_count") + 1
        user.save(update_fields=["failed_login_count", "locked_until"])
        user.refresh_from_db(fields=["failed_login_count"])
        if user.failed_login_count >= settings.LOGIN_FAILURE_LIMIT:
            user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            user.save(update_fields=["locked_until"])


def record_successful_login(*, user: User) -> None:
    if user.failed_login_count or user.locked_until:
        user.skip_history_when_saving = True
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])


def minutes_locked(user: User) -> int:
    if not user.is_locked():
        return 0
    remaining = user.locked_until - timezone.now()
    return max(1, int(remaining.total_seconds() // 60) + (1 if remaining.total_seconds() % 60 else 0))


def update_last_login(sender, user, **kwargs) -> None:
    """Django's last-login stamp, kept out of the account's change history."""
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    user.save(update_fields=["last_login"])
    del user.skip_history_when_saving
