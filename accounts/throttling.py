"""Login throttling that stops guessing without letting anyone lock a cadre out.

django-axes counts failures (wrong passwords on the login page, the admin's
login page and the password-change form) per username *and* address. The
rules, all over a window of LOGIN_THROTTLE_MINUTES (15):

- one pair (username + address): the 5th failure makes that pair wait 15 minutes;
- one address across usernames: at LOGIN_THROTTLE_ADDRESS_LIMIT (30) failures
  every login from that address waits; a township office behind one address
  would need six cadres to mistype five times each;
- one username across addresses: at LOGIN_THROTTLE_USERNAME_ALERT (20)
  failures the security log records an alert the administrator sees on the
  workbench. Nobody is locked out by it: locking a username from anywhere
  would hand an attacker a way to shut any cadre out.

A wrong password, a waiting pair and an unknown username get one and the
same answer (the login form's error), so usernames cannot be enumerated.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


@dataclass(frozen=True)
class Limits:
    pair: int = 5
    address: int = 30
    username_alert: int = 20


def window():
    return settings.AXES_COOLOFF_TIME


def limits() -> Limits:
    return Limits(
        pair=settings.AXES_FAILURE_LIMIT,
        address=settings.LOGIN_THROTTLE_ADDRESS_LIMIT,
        username_alert=settings.LOGIN_THROTTLE_USERNAME_ALERT,
    )


def must_wait(*, pair_failures: int, address_failures: int, rules: Limits) -> bool:
    """The pair waits once it or its address reached its limit within the window."""
    return pair_failures >= rules.pair or address_failures >= rules.address


def should_alert(*, username_failures: int, rules: Limits) -> bool:
    return username_failures >= rules.username_alert


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failures_from_address(address: str | None) -> int:
    if not address:
        return 0
    return _failures(AccessAttempt.objects.filter(ip_address=address))


def failures_of_username(username: str | None) -> int:
    if not username:
        return 0
    return _failures(AccessAttempt.objects.filter(username=username))


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with the address rule added to its pair rule.

    Axes compares one number with AXES_FAILURE_LIMIT; this handler reports the
    pair's failures, or the limit itself once the address is over its own bar.
    Expired attempts are cleaned by axes before each count, so every count
    covers the cool-off window only.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)
        rules = limits()
        address = failures_from_address(getattr(request, "axes_ip_address", None))
        if must_wait(pair_failures=pair, address_failures=address, rules=rules):
            return max(pair, rules.pair)
        return pair


def same_answer(request, original_response=None, credentials=None):
    """Axes' lock-out response: the page the form gave anyway, so a waiting pair looks like a wrong password."""
    return original_response
