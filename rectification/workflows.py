"""The life cycle of a 一村一策 plan, declared once (seed 001, DOMAIN.md "Rectification").

Review: the township proposes a draft (or a returned plan) after the villager representatives'
meeting passed it (two thirds present, more than half of them in favour: `lianchun.votes`) → the
organisation department advises → it checks the 三个不放过 and approves or returns.
Every proposal opens a `ReviewRound` that keeps the plan's text as submitted. Stages after
approval: 整顿中 → 巩固提升 → 销号, and a closed-out village that slides back is reopened.
A draft drafted by mistake, never proposed, is voided (it stays on record).

The guards hold the domain rules (the meeting's counts carry the vote, all three checks ticked,
every measure done before 销号, a higher standing); `PLAN_FLOW.perform` does the rest: lock, role,
state, opinion, audit, event.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from accounts.models import Role
from lianchun import clock
from lianchun.audit import save_audited
from lianchun.refusals import not_future
from lianchun.scoping import in_users_county
from lianchun.votes import check_counts, check_passes
from lianchun.workflow import NONE, OPTIONAL, REQUIRED, Actors, Transition, Workflow, steps, township_cadre
from villages.models import Standing, Village
from villages.services import change_village_standing

from .forms import AdviceForm, CheckForm, CloseOutForm, NoteForm, ProposeForm, VoidForm
from .models import CHECKS, EDITABLE_STATUSES, ItemProgress, PlanEvent, PlanStatus, RectificationPlan, ReviewRound
from .services.common import field_error, not_voided, refuse

CHECK_NAMES = [name for name, _label in CHECKS]
STANDING_ORDER = [Standing.LAGGING, Standing.AVERAGE, Standing.ADVANCED]


class PlanWorkflow(Workflow):
    """A voided plan offers no step (a step tried on one is still refused by `live`, the guard of every step)."""

    def available(self, record: Any, user: Any) -> list[Transition]:
        return [] if record.is_voided else super().available(record, user)

    def can(self, record: Any, user: Any, name: str) -> bool:
        return not record.is_voided and super().can(record, user, name)


def live(plan: RectificationPlan, **_data: Any) -> None:
    not_voided(plan)


def _current_round(plan: RectificationPlan) -> ReviewRound:
    return plan.review_rounds.select_for_update().get(number=plan.rounds)


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


# ---------------------------------------------------------------------------- guards and effects


MEETING_COUNTS = ("entitled", "present", "in_favour")


def _check_meeting_counts(entitled: Any, present: Any, in_favour: Any) -> None:
    """The representatives' meeting passed the plan: its counts are given, possible, and carry the vote."""
    asked = {
        "entitled": (entitled, _("Give the number of representatives entitled to attend.")),
        "present": (present, _("Give the number of representatives present.")),
        "in_favour": (in_favour, _("Give the number of representatives in favour.")),
    }
    for field, (value, message) in asked.items():
        if value is None:
            raise field_error(field, message, "counts_required")
        if value < 0:
            raise field_error(field, _("A count cannot be negative."), "negative_count")
    check_counts(entitled, present, in_favour, fields=MEETING_COUNTS)
    check_passes(entitled, present, in_favour, fields=MEETING_COUNTS)


def _propose_guard(
    plan: RectificationPlan,
    *,
    by: Any,
    meeting_date=None,
    meeting_result: str = "",
    entitled: int | None = None,
    present: int | None = None,
    in_favour: int | None = None,
    **_data,
) -> None:
    if not (meeting_result or "").strip():
        raise field_error("meeting_result", _("Record the result of the meeting."), "meeting_result_required")
    if meeting_date is None:
        raise field_error("meeting_date", _("Give the date of the meeting."), "meeting_date_required")
    not_future(meeting_date, "meeting_date")
    _check_meeting_counts(entitled, present, in_favour)
    if not plan.items.filter(voided_at__isnull=True).exists():
        raise refuse(_("Add at least one problem with its measure before proposing."), "no_items")
    if plan.county_leader_id is None:
        raise field_error(
            "county_leader",
            _(
                "The plan names no county leader as the village's contact. Choose one under “Edit plan”, "
                "then propose the plan again."
            ),
            "leader_required",
        )


def _propose(
    plan: RectificationPlan,
    *,
    by: Any,
    opinion: str,
    meeting_date=None,
    meeting_result: str = "",
    entitled: int | None = None,
    present: int | None = None,
    in_favour: int | None = None,
    **_d,
):
    plan.rounds += 1
    review = ReviewRound(
        plan=plan,
        number=plan.rounds,
        meeting_date=meeting_date,
        meeting_result=meeting_result.strip(),
        entitled=entitled,
        present=present,
        in_favour=in_favour,
        snapshot=snapshot_of(plan),
        submitted_by=by,
        submitted_at=clock.now(),
    )
    save_audited(review, by=by, reason=pgettext("rectification", "Proposed"))
    return ["rounds"]


def _advise(plan: RectificationPlan, *, by: Any, opinion: str, **_data) -> list[str]:
    review = _current_round(plan)
    review.advice = opinion
    review.advised_by = by
    review.advised_at = clock.now()
    save_audited(review, by=by, reason=_("Advised"), update_fields=["advice", "advised_by", "advised_at"])
    return []


def _checks(data: dict[str, Any]) -> dict[str, bool]:
    checks = data.get("checks") or {name: data.get(name) for name in CHECK_NAMES}
    return {name: bool(checks.get(name)) for name in CHECK_NAMES}


def _all_checks_ticked(plan: RectificationPlan, **data: Any) -> None:
    """The department's approval rule: all three 不放过 checks, or no approval."""
    checks = _checks(data)
    failed = [str(label) for name, label in CHECKS if not checks[name]]
    if failed:
        raise refuse(
            _("A plan is approved only with all three checks ticked. Not ticked: %(failed)s."),
            "checks_incomplete",
            failed="、".join(failed),
        )


def _some_check_failed(plan: RectificationPlan, **data: Any) -> None:
    if all(_checks(data).values()):
        raise refuse(
            _("All three checks are ticked: approve the plan, or untick the check that failed."), "nothing_failed"
        )


def _decide(decision: str):
    def effect(plan: RectificationPlan, *, by: Any, opinion: str, **data: Any) -> list[str]:
        review = _current_round(plan)
        for name, ticked in _checks(data).items():
            setattr(review, name, ticked)
        review.decision = decision
        review.decision_note = opinion
        review.decided_by = by
        review.decided_at = clock.now()
        save_audited(
            review,
            by=by,
            reason=str(ReviewRound.Decision(decision).label),
            update_fields=[*CHECK_NAMES, "decision", "decision_note", "decided_by", "decided_at"],
        )
        if decision == ReviewRound.Decision.APPROVED:
            plan.approved_on = clock.today()
            return ["approved_on"]
        return []

    return effect


def _every_measure_done(plan: RectificationPlan, *, by: Any, raise_standing_to: str = "", **_data) -> None:
    open_items = plan.items.filter(voided_at__isnull=True, completed_on__isnull=True).count()
    if open_items:
        raise refuse(
            _("%(count)s measure(s) are not completed yet; a plan is closed out only when all are done."),
            "items_open",
            count=open_items,
        )
    if plan.reopen_count:
        # A village that slid back is rectified again before it is closed out again (seed 001: 反复回潮 → 巩固提高).
        reopened_at = plan.events.filter(from_status=PlanStatus.CLOSED).order_by("-at").values_list("at", flat=True)[0]
        if not ItemProgress.objects.filter(item__plan=plan, recorded_at__gt=reopened_at).exists():
            raise refuse(
                _("No progress has been recorded since the plan was reopened; record the renewed rectification first."),
                "no_progress_since_reopen",
            )
    if raise_standing_to:
        current = Village.objects.values_list("standing", flat=True).get(pk=plan.village_id)
        if raise_standing_to not in STANDING_ORDER or STANDING_ORDER.index(raise_standing_to) <= STANDING_ORDER.index(
            current
        ):
            raise field_error(
                "raise_standing_to",
                _("The new standing must be higher than the village's current one."),
                "standing_not_raised",
            )


def _mark_weak(plan: RectificationPlan, is_weak: bool, *, by: Any, reason: str) -> Village:
    """销号 takes the village's party organisation off the weak-and-lax list; sliding back puts it on again.

    Seed 001: 整顿一个，成功一个，巩固一个、销号一个. The mark is a village fact, so the change is in the
    village's own history, and every count of weak villages (county, city, province) follows the plans.
    """
    village = Village.objects.select_related("township").get(pk=plan.village_id)
    if village.is_weak != is_weak:
        village.is_weak = is_weak
        save_audited(village, by=by, reason=reason, update_fields=["is_weak"])
    plan.village = village
    return village


def _close_out(plan: RectificationPlan, *, by: Any, opinion: str, raise_standing_to: str = "", **_data) -> list[str]:
    village = _mark_weak(plan, False, by=by, reason=_("Rectification closed out: %(note)s") % {"note": opinion})
    if raise_standing_to:
        # The village service refuses a date after the real calendar day; the product clock may run ahead in tests.
        effective = min(clock.today(), timezone.localdate())
        change_village_standing(
            village=village, to_standing=raise_standing_to, effective_date=effective, reason=opinion, by=by
        )
    plan.closed_on = clock.today()
    return ["closed_on"]


def _reopen(plan: RectificationPlan, *, by: Any, opinion: str, **_data: Any) -> list[str]:
    _mark_weak(plan, True, by=by, reason=_("Rectification reopened: %(note)s") % {"note": opinion})
    plan.reopen_count += 1
    plan.closed_on = None
    return ["reopen_count", "closed_on"]


def _never_proposed(plan: RectificationPlan, **_data: Any) -> None:
    if plan.rounds:
        raise refuse(_("A plan that was proposed for review stays on record; it cannot be voided."), "was_proposed")


def _void(plan: RectificationPlan, *, by: Any, opinion: str, **_data: Any) -> list[str]:
    return plan.mark_voided(by=by, reason=opinion)


def _record_event(plan, *, transition, from_state, to_state, by, opinion) -> None:
    note = opinion
    if transition.name == "propose":
        note = plan.review_rounds.get(number=plan.rounds).meeting_summary
    PlanEvent(plan=plan, from_status=from_state, to_status=to_state, note=note, by=by, at=clock.now()).save()


CADRE = township_cadre()
DEPARTMENT = Actors({Role.ORG_DEPARTMENT}, in_users_county)

# Each step has its own page, named after it, except the department's decision on a review (approve
# or return, one page with the three checks) and its stage steps (one page, an opinion always).
step = steps(pages="rectification:plan-", style="brand")
review_step = steps(
    who=DEPARTMENT, sources={PlanStatus.ADVISED}, form_class=CheckForm, url_name="rectification:plan-review"
)
stage_step = steps(who=DEPARTMENT, opinion=REQUIRED, url_name="rectification:plan-stage", style="brand")

PLAN_FLOW = PlanWorkflow(
    model=RectificationPlan,
    initial={PlanStatus.DRAFT},
    final={PlanStatus.CLOSED},
    on_transition=_record_event,
    guard=live,
    transitions=[
        step(
            "propose",
            gettext_lazy("Propose for review"),
            EDITABLE_STATUSES,
            PlanStatus.PROPOSED,
            who=CADRE,
            guard=_propose_guard,
            effect=_propose,
            opinion=NONE,
            form_class=ProposeForm,
        ),
        step(
            "advise",
            gettext_lazy("Give advice"),
            {PlanStatus.PROPOSED},
            PlanStatus.ADVISED,
            who=DEPARTMENT,
            effect=_advise,
            opinion=REQUIRED,
            form_class=AdviceForm,
            success=gettext_lazy("The advice was recorded; the plan now waits for the check."),
        ),
        review_step(
            "approve",
            pgettext_lazy("rectification", "Approve"),
            target=PlanStatus.RECTIFYING,
            guard=_all_checks_ticked,
            effect=_decide(ReviewRound.Decision.APPROVED),
            opinion=OPTIONAL,
            style="success",
            success=gettext_lazy("The plan was approved; the village is now rectifying."),
        ),
        review_step(
            "return",
            gettext_lazy("Return for revision"),
            target=PlanStatus.RETURNED,
            guard=_some_check_failed,
            effect=_decide(ReviewRound.Decision.RETURNED),
            opinion=REQUIRED,
            style="warning",
            success=gettext_lazy("The plan was returned to the township for revision."),
        ),
        stage_step(
            "consolidate",
            gettext_lazy("Move to consolidating"),
            {PlanStatus.RECTIFYING},
            PlanStatus.CONSOLIDATING,
            form_class=NoteForm,
        ),
        stage_step(
            "close_out",
            gettext_lazy("Close out"),
            {PlanStatus.CONSOLIDATING},
            PlanStatus.CLOSED,
            guard=_every_measure_done,
            effect=_close_out,
            form_class=CloseOutForm,
            explanation=gettext_lazy(
                "Closing out takes the village off the list of weak and lax party organisations. It cannot be "
                "undone except by reopening the plan, which is kept in its history. You may raise the village's "
                "standing in the same step."
            ),
        ),
        stage_step(
            "reopen",
            gettext_lazy("Reopen"),
            {PlanStatus.CLOSED},
            PlanStatus.RECTIFYING,
            effect=_reopen,
            form_class=NoteForm,
            explanation=gettext_lazy(
                "Reopen when a closed-out village slides back: the village is marked weak and lax again, the plan "
                "returns to rectifying and its earlier rounds, progress and close-out stay in its history."
            ),
        ),
        step(
            "void",
            gettext_lazy("Void draft"),
            {PlanStatus.DRAFT},
            PlanStatus.DRAFT,
            who=CADRE,
            guard=_never_proposed,
            effect=_void,
            opinion=REQUIRED,
            form_class=VoidForm,
            style="danger",
            success=gettext_lazy("The draft plan was voided; it stays on record."),
        ),
    ],
)
STAGE_STEPS = ("consolidate", "close_out", "reopen")
REVIEW_STEPS = ("approve", "return")


def perform(plan: RectificationPlan, name: str, *, by: Any, **data: Any) -> RectificationPlan:
    """Take one step of the plan's life cycle (the services below name the steps)."""
    return PLAN_FLOW.perform(plan, name, by=by, **data)
