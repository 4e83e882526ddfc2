"""Notifications created by listening to `lianchun.workflow.transitioned`; no domain service calls this app.

Each rule names a model, the state a step leads to (and, where it matters, the state it came from)
and the kind of notification the record's township cadres receive. A county answer to a weekly
report is attached to the answered version (ReportSubmission), so opening it records 已阅.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from lianchun.workflow import transitioned

from . import selectors, services
from .models import Kind


def _title(kind: str, record: Any) -> str:
    if kind == Kind.ANSWER:
        return _("The county answered %(record)s") % {"record": record}
    if kind == Kind.RETURN:
        return _("%(record)s was returned for revision") % {"record": record}
    return _("%(record)s was approved") % {"record": record}


# (model label, to_state) → (kind, from states that count, or None for any)
RULES: dict[tuple[str, str], tuple[str, frozenset[str] | None]] = {
    ("reports.weeklyreport", "answered"): (Kind.ANSWER, None),
    ("reports.weeklyreport", "returned"): (Kind.RETURN, None),
    ("clusters.cluster", "established"): (Kind.APPROVAL, frozenset({"submitted"})),
    ("clusters.cluster", "returned"): (Kind.RETURN, None),
    ("rectification.rectificationplan", "rectifying"): (Kind.APPROVAL, frozenset({"advised"})),
    ("rectification.rectificationplan", "returned"): (Kind.RETURN, None),
}


def township_of(record: Any) -> int | None:
    path = getattr(type(record), "scope_township_path", None)
    if not path:
        return None
    return type(record)._base_manager.filter(pk=record.pk).values_list(path, flat=True).first()


def event_key(record: Any, to_state: str) -> tuple[str, Any]:
    """A key naming this event once, and the record the notification points at."""
    label = record._meta.label_lower
    submissions = getattr(record, "submissions", None)
    if submissions is not None:
        latest = submissions.order_by("-number").first()
        if latest is not None:
            return f"{label}:{record.pk}:v{latest.number}:{to_state}", latest
    history = getattr(record, "history", None)
    latest_id = history.order_by("-history_id").values_list("history_id", flat=True).first() if history else None
    return f"{label}:{record.pk}:h{latest_id}:{to_state}", record


def notify_transition(*, record: Any, from_state: str, to_state: str, opinion: str = "") -> int:
    rule = RULES.get((record._meta.label_lower, to_state))
    if rule is None:
        return 0
    kind, from_states = rule
    if from_states is not None and from_state not in from_states:
        return 0
    township_id = township_of(record)
    if township_id is None:
        return 0
    key, target = event_key(record, to_state)
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    created = services.notify(
        recipients=selectors.township_cadres(township_id),
        kind=kind,
        title=_title(kind, record),
        body=opinion,
        url=url,
        key=key,
        record=target,
    )
    return len(created)


@receiver(transitioned, dispatch_uid="notifications.on_transition")
def on_transition(sender: Any, record: Any, from_state: str, to_state: str, opinion: str = "", **kwargs: Any) -> None:
    notify_transition(record=record, from_state=from_state, to_state=to_state, opinion=opinion)
