"""Writes to rectification plans and the 三本台账. Every write names its actor and is audited.

Who does what (seed 001, DOMAIN.md "Rectification"):
- a township cadre drafts, edits and proposes its own township's plans, records progress
  on their measures, and keeps its own villages' ledgers;
- the county organisation department advises, checks the 三个不放过, approves or returns,
  and moves approved plans through 整顿中 → 巩固提升 → 销号 (and reopens them);
- the county office adds ledger kinds and keeps the list of handling methods;
- the county office and county leaders read.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Role
from lianchun import clock
from lianchun.audit import save_audited, void_record
from lianchun.scoping import require
from villages.models import Standing, Village
from villages.services import change_village_standing

from .models import (
    CHECKS,
    EDITABLE_STATUSES,
    HandlingMethod,
    ItemProgress,
    LedgerEntry,
    LedgerKind,
    PlanEvent,
    PlanStatus,
    RectificationItem,
    RectificationPlan,
    ReviewRound,
)

PLAN_FIELDS = ["county_leader", "contact_class", "work_team", "first_secretary"]
ITEM_FIELDS = ["governance", "problem", "measure", "responsible", "deadline"]
ENTRY_FIELDS = ["kind", "source", "collected_on", "summary", "owner", "handling", "status", "solved_on"]
STANDARD_KINDS = [
    (LedgerKind.Standard.LIVELIHOOD, "民生台账", 10),
    (LedgerKind.Standard.STABILITY, "稳定台账", 20),
    (LedgerKind.Standard.HARDSHIP, "困难群众台账", 30),
]
STANDARD_HANDLING = ["一事一议", "挂包帮", "低保", "五保", "临时救助", "医疗救助", "新农合", "部门协调", "上报上级"]
_STANDARD_KINDS = {code for code, _name, _order in STANDARD_KINDS}
CHECK_NAMES = [name for name, _label in CHECKS]


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


# ---------------------------------------------------------------------------- helpers


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """An error on one form field that still carries its code (a dict of strings would drop it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _refuse(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _locked(plan: RectificationPlan) -> RectificationPlan:
    """Re-read the plan under a row lock so two people cannot move it at once."""
    fresh = RectificationPlan.objects.select_for_update().get(pk=plan.pk)
    plan.status = fresh.status
    plan.rounds = fresh.rounds
    plan.reopen_count = fresh.reopen_count
    plan.voided_at = fresh.voided_at
    return plan


def _expect(plan: RectificationPlan, *statuses: str) -> None:
    if plan.voided_at is not None:
        raise _refuse(_("This plan is voided."), "voided")
    if plan.status not in statuses:
        raise _refuse(
            _("This step is not possible while the plan is “%(status)s”."),
            "wrong_status",
            status=plan.get_status_display(),
        )


def _move(plan: RectificationPlan, *, to: str, by: Any, note: str, extra_fields: list[str] | None = None) -> PlanEvent:
    event = PlanEvent(plan=plan, from_status=plan.status, to_status=to, note=note, by=by, at=clock.now())
    plan.status = to
    save_audited(plan, by=by, reason=note, update_fields=["status", *(extra_fields or [])])
    event.save()
    return event


def _clean_note(note: str, *, required: bool, field: str = "note") -> str:
    note = (note or "").strip()
    if required and not note:
        raise _field_error(field, _("Write a note for this step."), "note_required")
    return note


def _not_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > clock.today():
        raise _field_error(field, _("The date cannot be in the future."), "future_date")


def snapshot_of(plan: RectificationPlan) -> dict:
    """The plan's text as it stands, kept with a review round so rounds can be read side by side."""
    items = plan.items.filter(voided_at__isnull=True).order_by("deadline", "pk")
    return {
        "county_leader": str(plan.county_leader) if plan.county_leader_id else "",
        "contact_class": str(plan.get_contact_class_display()),
        "work_team": plan.work_team,
        "first_secretary": plan.first_secretary,
        "items": [
            {
                "id": item.pk,
                "governance": str(item.get_governance_display()),
                "problem": item.problem,
                "measure": item.measure,
                "responsible": item.responsible,
                "deadline": item.deadline.isoformat(),
            }
            for item in items
        ],
    }


# ---------------------------------------------------------------------------- drafting


def _check_leader(plan: RectificationPlan, leader: Any) -> None:
    if leader is None:
        return
    if leader.role != Role.COUNTY_LEADER or leader.county_id != plan.village.township.county_id or not leader.is_active:
        raise _field_error(
            "county_leader", _("The contact must be a county leader of this county."), "not_a_county_leader"
        )


def create_plan(*, village: Village, by: Any, **fields: Any) -> RectificationPlan:
    """A township drafts a 一村一策 plan for one of its villages."""
    require(can_draft(by, village))
    if village.is_voided:
        raise _refuse(_("A voided village cannot get a plan."), "voided_village")
    if not village.is_weak:
        raise _refuse(
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
            raise _refuse(
                _("%(village)s already has a rectification plan; reopen it instead."),
                "plan_exists",
                village=village.name,
            )
        try:
            with transaction.atomic():
                save_audited(plan, by=by, reason=_("Drafted"))
        except IntegrityError:
            raise _refuse(
                _("%(village)s already has a rectification plan; reopen it instead."),
                "plan_exists",
                village=village.name,
            ) from None
        PlanEvent(plan=plan, from_status="", to_status=PlanStatus.DRAFT, note="", by=by, at=clock.now()).save()
    return plan


def update_plan(*, plan: RectificationPlan, by: Any, **fields: Any) -> list[str]:
    require(can_draft(by, plan.village))
    with transaction.atomic():
        _locked(plan)
        _expect(plan, *EDITABLE_STATUSES)
        changed = [name for name in PLAN_FIELDS if name in fields and getattr(plan, name) != fields[name]]
        if not changed:
            return []
        for name in changed:
            setattr(plan, name, fields[name])
        _check_leader(plan, plan.county_leader)
        plan.full_clean(exclude=["created_by", "village"], validate_constraints=False)
        save_audited(plan, by=by, reason=_("Plan edited"), update_fields=changed)
    return changed


def add_item(*, plan: RectificationPlan, by: Any, **fields: Any) -> RectificationItem:
    require(can_draft(by, plan.village))
    item = RectificationItem(plan=plan, **{name: fields.get(name) for name in ITEM_FIELDS})
    item.full_clean(exclude=["plan"])
    with transaction.atomic():
        _locked(plan)
        _expect(plan, *EDITABLE_STATUSES)
        save_audited(item, by=by, reason=_("Item added"))
    return item


def update_item(*, item: RectificationItem, by: Any, **fields: Any) -> list[str]:
    plan = item.plan
    require(can_draft(by, plan.village))
    with transaction.atomic():
        _locked(plan)
        _expect(plan, *EDITABLE_STATUSES)
        if item.is_voided:
            raise _refuse(_("This item was removed."), "voided")
        changed = [name for name in ITEM_FIELDS if name in fields and getattr(item, name) != fields[name]]
        for name in changed:
            setattr(item, name, fields[name])
        if changed:
            item.full_clean(exclude=["plan"])
            save_audited(item, by=by, reason=_("Item edited"), update_fields=changed)
    return changed


def remove_item(*, item: RectificationItem, by: Any) -> None:
    """Take an item out of a draft: it is voided, so earlier rounds still show it."""
    plan = item.plan
    require(can_draft(by, plan.village))
    with transaction.atomic():
        _locked(plan)
        _expect(plan, *EDITABLE_STATUSES)
        void_record(item, by=by, reason=_("Removed from the draft"))


def void_plan(*, plan: RectificationPlan, by: Any, reason: str) -> None:
    """A township voids a plan drafted by mistake, before it was ever proposed; the village may then get a new one."""
    require(can_draft(by, plan.village))
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.DRAFT)
        if plan.rounds:
            raise _refuse(
                _("A plan that was proposed for review stays on record; it cannot be voided."), "was_proposed"
            )
        void_record(plan, by=by, reason=reason)


# ---------------------------------------------------------------------------- review


def propose_plan(*, plan: RectificationPlan, by: Any, meeting_date: datetime.date, meeting_result: str) -> ReviewRound:
    """Step 1: the township proposes, after the villager representatives' meeting reviewed the plan."""
    require(can_draft(by, plan.village))
    meeting_result = (meeting_result or "").strip()
    if not meeting_result:
        raise _field_error("meeting_result", _("Record the result of the meeting."), "meeting_result_required")
    if meeting_date is None:
        raise _field_error("meeting_date", _("Give the date of the meeting."), "meeting_date_required")
    _not_future(meeting_date, "meeting_date")
    with transaction.atomic():
        _locked(plan)
        _expect(plan, *EDITABLE_STATUSES)
        items = list(plan.items.filter(voided_at__isnull=True))
        if not items:
            raise _refuse(_("Add at least one problem with its measure before proposing."), "no_items")
        if plan.county_leader_id is None:
            raise _field_error(
                "county_leader", _("Name the county leader who is the village's contact."), "leader_required"
            )
        plan.rounds += 1
        review = ReviewRound(
            plan=plan,
            number=plan.rounds,
            meeting_date=meeting_date,
            meeting_result=meeting_result,
            snapshot=snapshot_of(plan),
            submitted_by=by,
            submitted_at=clock.now(),
        )
        save_audited(review, by=by, reason=pgettext("rectification", "Proposed"))
        _move(plan, to=PlanStatus.PROPOSED, by=by, note=meeting_result, extra_fields=["rounds"])
    return review


def _current_round(plan: RectificationPlan) -> ReviewRound:
    return plan.review_rounds.select_for_update().get(number=plan.rounds)


def advise_plan(*, plan: RectificationPlan, by: Any, advice: str) -> ReviewRound:
    """Step 2: the organisation department gives its advice on the measures (the 八治 assessment)."""
    require(can_review(by, plan))
    advice = _clean_note(advice, required=True, field="advice")
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.PROPOSED)
        review = _current_round(plan)
        review.advice = advice
        review.advised_by = by
        review.advised_at = clock.now()
        save_audited(review, by=by, reason=_("Advised"), update_fields=["advice", "advised_by", "advised_at"])
        _move(plan, to=PlanStatus.ADVISED, by=by, note=advice)
    return review


def _record_checks(review: ReviewRound, checks: dict[str, bool], note: str, decision: str, by: Any) -> None:
    for name in CHECK_NAMES:
        setattr(review, name, bool(checks.get(name)))
    review.decision = decision
    review.decision_note = note
    review.decided_by = by
    review.decided_at = clock.now()
    save_audited(
        review,
        by=by,
        reason=str(review.Decision(decision).label),
        update_fields=[*CHECK_NAMES, "decision", "decision_note", "decided_by", "decided_at"],
    )


def approve_plan(*, plan: RectificationPlan, by: Any, checks: dict[str, bool], note: str = "") -> ReviewRound:
    """Step 3: approve, only with all three 不放过 checks ticked; the plan starts 整顿中."""
    require(can_review(by, plan))
    note = _clean_note(note, required=False)
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.ADVISED)
        failed = [str(label) for name, label in CHECKS if not checks.get(name)]
        if failed:
            raise _refuse(
                _("A plan is approved only with all three checks ticked. Not ticked: %(failed)s."),
                "checks_incomplete",
                failed="、".join(failed),
            )
        review = _current_round(plan)
        _record_checks(review, checks, note, ReviewRound.Decision.APPROVED, by)
        plan.approved_on = clock.today()
        _move(plan, to=PlanStatus.RECTIFYING, by=by, note=note or _("Approved"), extra_fields=["approved_on"])
    return review


def return_plan(*, plan: RectificationPlan, by: Any, checks: dict[str, bool], note: str) -> ReviewRound:
    """Step 3: return to the township with the checks that failed and what to revise."""
    require(can_review(by, plan))
    note = _clean_note(note, required=True)
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.ADVISED)
        if all(checks.get(name) for name in CHECK_NAMES):
            raise _refuse(
                _("All three checks are ticked: approve the plan, or untick the check that failed."), "nothing_failed"
            )
        review = _current_round(plan)
        _record_checks(review, checks, note, ReviewRound.Decision.RETURNED, by)
        _move(plan, to=PlanStatus.RETURNED, by=by, note=note)
    return review


# ---------------------------------------------------------------------------- stages


def record_progress(
    *, item: RectificationItem, by: Any, on_date: datetime.date, evidence: str, marks_complete: bool = False
) -> ItemProgress:
    plan = item.plan
    require(is_own_township(by, plan.village))
    evidence = (evidence or "").strip()
    if not evidence:
        raise _field_error("evidence", _("Describe the progress and its evidence."), "evidence_required")
    if on_date is None:
        raise _field_error("on_date", _("Give the date of the progress."), "date_required")
    _not_future(on_date, "on_date")
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.RECTIFYING, PlanStatus.CONSOLIDATING)
        if item.is_voided:
            raise _refuse(_("This item was removed."), "voided")
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
    require(can_review(by, plan))
    note = _clean_note(note, required=True)
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.RECTIFYING)
        return _move(plan, to=PlanStatus.CONSOLIDATING, by=by, note=note)


def close_out_plan(*, plan: RectificationPlan, by: Any, note: str, raise_standing_to: str = "") -> PlanEvent:
    """巩固提升 → 销号, once every measure is done; the village's standing may be raised in the same step."""
    require(can_review(by, plan))
    note = _clean_note(note, required=True)
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.CONSOLIDATING)
        open_items = plan.items.filter(voided_at__isnull=True, completed_on__isnull=True).count()
        if open_items:
            raise _refuse(
                _("%(count)s measure(s) are not completed yet; a plan is closed out only when all are done."),
                "items_open",
                count=open_items,
            )
        if raise_standing_to:
            village = Village.objects.select_related("township").get(pk=plan.village_id)
            order = [Standing.LAGGING, Standing.AVERAGE, Standing.ADVANCED]
            if raise_standing_to not in order or order.index(raise_standing_to) <= order.index(village.standing):
                raise _field_error(
                    "raise_standing_to",
                    _("The new standing must be higher than the village's current one."),
                    "standing_not_raised",
                )
            # The village service refuses a date after the real calendar day; the product clock may run ahead in tests.
            effective = min(clock.today(), timezone.localdate())
            change_village_standing(
                village=village, to_standing=raise_standing_to, effective_date=effective, reason=note, by=by
            )
            plan.village = village
        plan.closed_on = clock.today()
        return _move(plan, to=PlanStatus.CLOSED, by=by, note=note, extra_fields=["closed_on"])


def reopen_plan(*, plan: RectificationPlan, by: Any, note: str) -> PlanEvent:
    """A closed-out village slides back (反复回潮): the same plan returns to 整顿中, its history kept."""
    require(can_review(by, plan))
    note = _clean_note(note, required=True)
    with transaction.atomic():
        _locked(plan)
        _expect(plan, PlanStatus.CLOSED)
        plan.reopen_count += 1
        plan.closed_on = None
        return _move(plan, to=PlanStatus.RECTIFYING, by=by, note=note, extra_fields=["reopen_count", "closed_on"])


def next_stage(plan: RectificationPlan) -> str | None:
    """The stage the department may move the plan to from where it stands."""
    return {
        PlanStatus.RECTIFYING: PlanStatus.CONSOLIDATING,
        PlanStatus.CONSOLIDATING: PlanStatus.CLOSED,
        PlanStatus.CLOSED: PlanStatus.RECTIFYING,
    }.get(plan.status)


def move_plan_stage(*, plan: RectificationPlan, by: Any, note: str, raise_standing_to: str = "") -> PlanEvent:
    if plan.status == PlanStatus.RECTIFYING:
        return start_consolidation(plan=plan, by=by, note=note)
    if plan.status == PlanStatus.CONSOLIDATING:
        return close_out_plan(plan=plan, by=by, note=note, raise_standing_to=raise_standing_to)
    if plan.status == PlanStatus.CLOSED:
        return reopen_plan(plan=plan, by=by, note=note)
    require(can_review(by, plan))
    _expect(plan, PlanStatus.RECTIFYING, PlanStatus.CONSOLIDATING, PlanStatus.CLOSED)
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------- 三本台账


def ensure_county_lists(county: Any) -> None:
    """Give a county the standard ledgers and handling methods the first time it needs them."""
    if not LedgerKind.objects.filter(county=county, standard__in=_STANDARD_KINDS).exists():
        with transaction.atomic():
            for code, name, order in STANDARD_KINDS:
                if not LedgerKind.objects.filter(county=county, standard=code).exists():
                    save_audited(LedgerKind(county=county, name=name, standard=code, order=order), by=None)
    if not HandlingMethod.objects.filter(county=county).exists():
        with transaction.atomic():
            for order, name in enumerate(STANDARD_HANDLING, start=1):
                save_audited(HandlingMethod(county=county, name=name, order=order * 10), by=None)


def add_ledger_kind(*, county: Any, by: Any, name: str) -> LedgerKind:
    require(can_configure_ledgers(by) and by.county_id == county.pk)
    name = (name or "").strip()
    if not name:
        raise _field_error("name", _("Give the ledger a name."), "name_required")
    with transaction.atomic():
        if LedgerKind.objects.filter(county=county, name=name).exists():
            raise _field_error("name", _("This county already has a ledger of that name."), "duplicate_name")
        last = LedgerKind.objects.filter(county=county).order_by("-order").first()
        kind = LedgerKind(county=county, name=name, order=(last.order if last else 0) + 10)
        kind.full_clean(validate_constraints=False)
        save_audited(kind, by=by, reason=_("Ledger added"))
    return kind


def add_handling_method(*, county: Any, by: Any, name: str) -> HandlingMethod:
    require(can_configure_ledgers(by) and by.county_id == county.pk)
    name = (name or "").strip()
    if not name:
        raise _field_error("name", _("Give the handling method a name."), "name_required")
    with transaction.atomic():
        existing = HandlingMethod.objects.filter(county=county, name=name).first()
        if existing is not None:
            if existing.is_active:
                raise _field_error("name", _("This handling method is already on the list."), "duplicate_name")
            existing.is_active = True
            save_audited(existing, by=by, reason=_("Back in use"), update_fields=["is_active"])
            return existing
        last = HandlingMethod.objects.filter(county=county).order_by("-order").first()
        method = HandlingMethod(county=county, name=name, order=(last.order if last else 0) + 10)
        method.full_clean(validate_constraints=False)
        save_audited(method, by=by, reason=_("Handling method added"))
    return method


def set_handling_method_in_use(*, method: HandlingMethod, by: Any, is_active: bool) -> None:
    """Take a method off the list (entries that used it keep it) or put it back."""
    require(can_configure_ledgers(by) and by.county_id == method.county_id)
    if method.is_active == is_active:
        return
    with transaction.atomic():
        method.is_active = is_active
        save_audited(method, by=by, reason=_("In use") if is_active else _("Out of use"), update_fields=["is_active"])


def _check_entry_lists(entry: LedgerEntry, county_id: int, *, previous_handling_id: int | None = None) -> None:
    if entry.kind.county_id != county_id:
        raise _field_error("kind", _("Choose one of the county's ledgers."), "wrong_county")
    if entry.handling_id is not None:
        handling = entry.handling
        if handling.county_id != county_id or (not handling.is_active and handling.pk != previous_handling_id):
            raise _field_error("handling", _("Choose a handling method on the county's list."), "wrong_handling")


def create_ledger_entry(*, village: Village, by: Any, **fields: Any) -> LedgerEntry:
    require(can_keep_ledger(by, village))
    entry = LedgerEntry(village=village, recorded_by=by, **{name: fields.get(name) for name in ENTRY_FIELDS})
    if entry.status != LedgerEntry.Status.SOLVED:
        entry.solved_on = None
    _check_entry_lists(entry, village.township.county_id)
    entry.full_clean(exclude=["village", "recorded_by"], validate_constraints=False)
    with transaction.atomic():
        save_audited(entry, by=by, reason=_("Matter recorded"))
    return entry


def update_ledger_entry(*, entry: LedgerEntry, by: Any, **fields: Any) -> list[str]:
    require(can_keep_ledger(by, entry.village))
    if entry.is_voided:
        raise _refuse(_("A voided entry cannot be changed."), "voided")
    previous_handling = entry.handling_id
    if fields.get("status") == LedgerEntry.Status.IN_PROGRESS:
        fields["solved_on"] = None
    changed = [name for name in ENTRY_FIELDS if name in fields and getattr(entry, name) != fields[name]]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(entry, name, fields[name])
        _check_entry_lists(entry, entry.village.township.county_id, previous_handling_id=previous_handling)
        entry.full_clean(exclude=["village", "recorded_by"], validate_constraints=False)
        save_audited(entry, by=by, reason=_("Matter updated"), update_fields=changed)
    return changed


def void_ledger_entry(*, entry: LedgerEntry, by: Any, reason: str) -> None:
    require(can_keep_ledger(by, entry.village))
    void_record(entry, by=by, reason=reason)
