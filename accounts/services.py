"""Account bookkeeping that is not an account change (kept out of the account's history)."""

from __future__ import annotations

from django.utils import timezone


def update_last_login(sender, user, **kwargs) -> None:
    """Django's last-login stamp, kept out of the account's change history."""
    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    user.save(update_fields=["last_login"])
    del user.skip_history_when_saving
