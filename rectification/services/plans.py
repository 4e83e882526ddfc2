"""Writes to 一村一策 plans: drafting and editing, the review steps, progress and the stages.

Who does what (seed 001, DOMAIN.md "Rectification"):
- a township cadre drafts, edits and proposes its own township's plans and records progress
  on their measures;
- the county organisation department advises, checks the 三个不放过, approves or returns,
  and moves approved plans through 整顿中 → 巩固提升 → 销号 (and reopens them).

The steps of the plan's life cycle are declared in `rectification.workflows`; the functions
here that name a step are thin callers of `PLAN_FLOW.perform`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.changes import assign_changes
from lianchun.refusals import check_within, not_future
from lianchun.scoping import require
from villages.models import Village

from .. import workflows  # a module: the workflow module imports this package's `common` in turn
from ..models import (
    EDITABLE_STATUSES,
    ItemProgress,
    PlanEvent,
    PlanStatus,
    RectificationItem,
    RectificationPlan,
    ReviewRound,
)
from .common import can_draft, expect, field_error, is_own_township, locked, refuse, required_text

PLAN_FIELDS = ["county_leader", "contact_class", "work_team", "first_secretary"]
ITEM_FIELDS = ["governance", "problem", "measure", "responsible", "deadline"]


# ---------------------------------------------------------------------------- drafting


def _check_leader(plan: RectificationPlan, leader: Any) -> None:
    if leader is None:
        return
    if leader.role != Role.COUNTY_LEADER or leader.county_id != plan.village.township.county_id or not leader.is_active:
        raise field_error(
            "county_leader", _("The contact must be a county leader of this county."), "not_a_county_leader"
        )


def create_plan(*, village: Village, by: Any, **fields: Any) -> RectificationPlan:
    """A township drafts a 一村一策 plan for one of its villages."""
    require(can_draft(by, village))
    if village.is_voided:
        raise refuse(_("A voided village cannot get a plan."), "voided_village")
    if not village.is_weak:
        raise refuse(
            _("%(village)s is not marked as a weak and lax party organisation; mark it on the village's page first."),
            "village_not_weak",
            village=village.name,
        )
    plan = RectificationPlan(village=village, created_by=by)
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    _check_leader(plan, plan.county_leader)
    plan.full_clean(exclude=["created_by", "village"], validate_constraints=False)
    with transaction.atomic():
        if RectificationPlan.objects.filter(village=village, voided_at__isnull=True).exists():
            raise refuse(
                _("%(village)s already has a rectification plan; reopen it instead."),
                "plan_exists",
                village=village.name,
            )
        try:
            with transaction.atomic():
                save_audited(plan, by=by, reason=_("Drafted"))
        except IntegrityError:
            raise refuse(
                _("%(village)s already has a rectification plan; reopen it instead."),
                "plan_exists",
                village=village.name,
            ) from None
        PlanEvent(plan=plan, from_status="", to_status=PlanStatus.DRAFT, note="", by=by, at=clock.now()).save()
    return plan


def update_plan(*, plan: RectificationPlan, by: Any, **fields: Any) -> list[str]:
    require(can_draft(by, plan.village))
    with transaction.atomic():
        locked(plan)
        expect(plan, *EDITABLE_STATUSES)
        changed = assign_changes(plan, fields, PLAN_FIELDS)
        if not changed:
            return []
        _check_leader(plan, plan.county_leader)
        plan.full_clean(exclude=["created_by", "village"], validate_constraints=False)
        save_audited(plan, by=by, reason=_("Plan edited"), update_fields=changed)
    return changed


def add_item(*, plan: RectificationPlan, by: Any, **fields: Any) -> RectificationItem:
    require(can_draft(by, plan.village))
    item = RectificationItem(plan=plan, **{name: fields.get(name) for name in ITEM_FIELDS})
    item.full_clean(exclude=["plan"])
    with transaction.atomic():
        locked(plan)
        expect(plan, *EDITABLE_STATUSES)
        save_audited(item, by=by, reason=_("Item added"))
    return item


def update_item(*, item: RectificationItem, by: Any, **fields: Any) -> list[str]:
    plan = item.plan
    require(can_draft(by, plan.village))
    with transaction.atomic():
        locked(plan)
        expect(plan, *EDITABLE_STATUSES)
        if item.is_voided:
            raise refuse(_("This item was removed."), "voided")
        changed = assign_changes(item, fields, ITEM_FIELDS)
        if changed:
            item.full_clean(exclude=["plan"])
            save_audited(item, by=by, reason=_("Item edited"), update_fields=changed)
    return changed


def remove_item(*, item: RectificationItem, by: Any) -> None:
    """Take an item out of a draft: it is voided, so earlier rounds still show it."""
    plan = item.plan
    require(can_draft(by, plan.village))
    with transaction.atomic():
        locked(plan)
        expect(plan, *EDITABLE_STATUSES)
        void_record(item, by=by, reason=_("Removed from the draft"))


def void_plan(*, plan: RectificationPlan, by: Any, reason: str) -> None:
    """A township voids a plan drafted by mistake, before it was ever proposed; the village may then get a new one."""
    workflows.perform(plan, "void", by=by, opinion=reason)


# ---------------------------------------------------------------------------- review


def _latest_round(plan: RectificationPlan) -> ReviewRound:
    return plan.review_rounds.get(number=plan.rounds)


def _latest_event(plan: RectificationPlan) -> PlanEvent:
    return plan.events.order_by("-pk").first()


def propose_plan(
    *,
    plan: RectificationPlan,
    by: Any,
    meeting_date: datetime.date,
    entitled: int,
    present: int,
    in_favour: int,
    meeting_result: str,
) -> ReviewRound:
    """Step 1: the township proposes, after the villager representatives' meeting passed the plan.

    `entitled`, `present` and `in_favour` are the meeting's counts of representatives; the step is refused
    unless two thirds were present and more than half of them were in favour."""
    workflows.perform(
        plan,
        "propose",
        by=by,
        meeting_date=meeting_date,
        entitled=entitled,
        present=present,
        in_favour=in_favour,
        meeting_result=meeting_result,
    )
    return _latest_round(plan)


def advise_plan(*, plan: RectificationPlan, by: Any, advice: str) -> ReviewRound:
    """Step 2: the organisation department gives its advice on the measures (the 八治 assessment)."""
    workflows.perform(plan, "advise", by=by, opinion=advice)
    return _latest_round(plan)


def approve_plan(*, plan: RectificationPlan, by: Any, checks: dict[str, bool], note: str = "") -> ReviewRound:
    """Step 3: approve, only with all three 不放过 checks ticked; the plan starts 整顿中."""
    workflows.perform(plan, "approve", by=by, opinion=note, checks=checks)
    return _latest_round(plan)


def return_plan(*, plan: RectificationPlan, by: Any, checks: dict[str, bool], note: str) -> ReviewRound:
    """Step 3: return to the township with the checks that failed and what to revise."""
    workflows.perform(plan, "return", by=by, opinion=note, checks=checks)
    return _latest_round(plan)


# ---------------------------------------------------------------------------- stages


def record_progress(
    *, item: RectificationItem, by: Any, on_date: datetime.date, evidence: str, marks_complete: bool = False
) -> ItemProgress:
    plan = item.plan
    require(is_own_township(by, plan.village))
    evidence = required_text(evidence, "evidence", _("Describe the progress and its evidence."), "evidence_required")
    if on_date is None:
        raise field_error("on_date", _("Give the date of the progress."), "date_required")
    not_future(on_date, "on_date")
    # A measure is worked on once the villagers' representatives have met on the plan (or, for a plan with no
    # meeting recorded, once it was drafted); nothing before that belongs to it.
    first = plan.review_rounds.order_by("meeting_date").values_list("meeting_date", flat=True).first()
    first = min(first, plan.drafted_on) if first else plan.drafted_on
    check_within(
        on_date,
        first,
        clock.today(),
        message=_(
            "The date of the progress must fall between %(start)s (when the villagers' representatives "
            "first met on the plan) and %(end)s (today)."
        ),
        field="on_date",
        too_early="date_out_of_range",
    )
    with transaction.atomic():
        locked(plan)
        expect(plan, PlanStatus.RECTIFYING, PlanStatus.CONSOLIDATING)
        if item.is_voided:
            raise refuse(_("This item was removed."), "voided")
        progress = ItemProgress(
            item=item, on_date=on_date, evidence=evidence, marks_complete=marks_complete, recorded_by=by
        )
        save_audited(progress, by=by, reason=_("Progress recorded"))
        if marks_complete and item.completed_on is None:
            item.completed_on = on_date
            save_audited(item, by=by, reason=_("Measure completed"), update_fields=["completed_on"])
    return progress


def start_consolidation(*, plan: RectificationPlan, by: Any, note: str) -> PlanEvent:
    """整顿中 → 巩固提升."""
    workflows.perform(plan, "consolidate", by=by, opinion=note)
    return _latest_event(plan)


def close_out_plan(*, plan: RectificationPlan, by: Any, note: str, raise_standing_to: str = "") -> PlanEvent:
    """巩固提升 → 销号, once every measure is done; the village's standing may be raised in the same step."""
    workflows.perform(plan, "close_out", by=by, opinion=note, raise_standing_to=raise_standing_to)
    return _latest_event(plan)


def reopen_plan(*, plan: RectificationPlan, by: Any, note: str) -> PlanEvent:
    """A closed-out village slides back (反复回潮): the same plan returns to 整顿中, its history kept."""
    workflows.perform(plan, "reopen", by=by, opinion=note)
    return _latest_event(plan)
