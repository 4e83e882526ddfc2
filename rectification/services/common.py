"""Who may do what in rectification, and the small helpers every write of the app shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianchun.refusals import refuse
from villages.models import Village

from ..models import RectificationPlan

# ---------------------------------------------------------------------------- who may


def is_own_township(user: Any, village: Village) -> bool:
    return user.is_township_cadre and village.township_id == user.township_id


def is_county_of(user: Any, village: Village) -> bool:
    return user.is_county_role and village.township.county_id == user.county_id


def can_draft(user: Any, village: Village) -> bool:
    return is_own_township(user, village)


def can_edit_plan(user: Any, plan: RectificationPlan) -> bool:
    return can_draft(user, plan.village) and plan.is_editable


def can_review(user: Any, plan: RectificationPlan) -> bool:
    return user.is_org_department and is_county_of(user, plan.village)


def can_record_progress(user: Any, plan: RectificationPlan) -> bool:
    return is_own_township(user, plan.village) and plan.is_under_way


def can_keep_ledger(user: Any, village: Village) -> bool:
    return is_own_township(user, village) and not village.is_voided


def can_configure_ledgers(user: Any) -> bool:
    return user.is_county_office


# ---------------------------------------------------------------------------- refusals


def field_error(field: str, message: str, code: str, **params: Any) -> ValidationError:
    """An error on one form field that still carries its code (a dict of strings would drop it)."""
    return refuse(message, code, field, **params)


def not_voided(plan: RectificationPlan) -> None:
    if plan.voided_at is not None:
        raise refuse(_("This plan is voided."), "voided")


def locked(plan: RectificationPlan) -> RectificationPlan:
    """Re-read the plan under a row lock so two people cannot change it at once (for writes that are not steps)."""
    fresh = RectificationPlan.objects.select_for_update().get(pk=plan.pk)
    plan.status = fresh.status
    plan.rounds = fresh.rounds
    plan.reopen_count = fresh.reopen_count
    plan.voided_at = fresh.voided_at
    return plan


def expect(plan: RectificationPlan, *statuses: str) -> None:
    """Writes that are not steps of the life cycle (editing a draft, recording progress) ask the state here."""
    not_voided(plan)
    if plan.status not in statuses:
        raise refuse(
            _("This step is not possible while the plan is “%(status)s”."),
            "wrong_state",
            status=plan.get_status_display(),
        )


def required_text(value: str, field: str, message: str, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, message, code)
    return value
