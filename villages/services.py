"""Writes to places. Every write names its actor and lands in the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianchun.audit import save_audited, void_record
from lianchun.changes import assign_changes
from lianchun.refusals import not_future
from lianchun.scoping import require

from .models import WEAK_MARK_FOLLOWS_PLAN, Standing, StandingChange, Township, Village

VILLAGE_FACT_FIELDS = ["name", "households", "population", "party_members", "collective_income", "is_weak"]


def can_edit_village(user: Any, village: Village) -> bool:
    """A township cadre keeps its own villages; the county office keeps the county's."""
    if user.is_township_cadre:
        return village.township_id == user.township_id
    return user.is_county_office and village.township.county_id == user.county_id


def can_change_standing(user: Any, village: Village) -> bool:
    """Standings are judged by the county (office or organisation department)."""
    return (user.is_county_office or user.is_org_department) and village.township.county_id == user.county_id


def update_village_facts(*, village: Village, by: Any, reason: str = "", **facts: Any) -> list[str]:
    """Change a village's facts; the history row records every changed field."""
    require(can_edit_village(by, village))
    if village.is_voided:
        raise ValidationError(_("A voided village cannot be changed."), code="voided")
    changed = assign_changes(village, facts, VILLAGE_FACT_FIELDS)
    if not changed:
        return []
    if "is_weak" in changed and village.weak_mark_follows_a_plan():
        raise ValidationError({"is_weak": ValidationError(WEAK_MARK_FOLLOWS_PLAN, code="weak_mark_follows_plan")})
    with transaction.atomic():
        village.full_clean()
        save_audited(village, by=by, reason=reason, update_fields=changed)
    return changed


def change_village_standing(
    *, village: Village, to_standing: str, effective_date: datetime.date, reason: str, by: Any
) -> StandingChange:
    """Record a change of standing as history (seed 000: lagging villages transformed — which, when)."""
    require(can_change_standing(by, village))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the standing changes."), code="reason_required")})
    if to_standing not in Standing.values:
        raise ValidationError({"to_standing": ValidationError(_("Unknown standing."), code="unknown_standing")})
    if to_standing == village.standing:
        raise ValidationError(
            {"to_standing": ValidationError(_("The village already has this standing."), code="same_standing")}
        )
    not_future(effective_date, "effective_date")
    with transaction.atomic():
        previous, village.standing = village.standing, to_standing
        change = note_standing_change(village, previous=previous, effective_date=effective_date, reason=reason, by=by)
        save_audited(village, by=by, reason=reason, update_fields=["standing"])
    return change


def note_standing_change(
    village: Village, *, previous: str, effective_date: datetime.date, reason: str, by: Any
) -> StandingChange:
    """Keep as history that `village` now holds its standing, after `previous` ("" for a village new to the roster).

    Every standing change (this service, the roster import, the demo county) is written here, naming who
    recorded it; the caller saves the village itself in the same transaction.
    """
    change = StandingChange(
        village=village,
        from_standing=previous,
        to_standing=village.standing,
        effective_date=effective_date,
        reason=reason,
        recorded_by=by,
    )
    change.save()
    return change


def void_village(*, village: Village, by: Any, reason: str) -> None:
    require(by.is_county_office and village.township.county_id == by.county_id)
    void_record(village, by=by, reason=reason)


def create_township(*, county, code: str, name: str, by: Any) -> Township:
    require(by.is_county_office and by.county_id == county.pk)
    township = Township(county=county, code=code, name=(name or "").strip())
    try:
        township.full_clean()
    except ValidationError as error:
        # Field errors name the form's fields (code, name); anything else is the record's.
        raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from None
    with transaction.atomic():
        save_audited(township, by=by)
    return township
