"""The declared life cycles of meetings: raised issues, and 四议两公开 decisions.

A meeting itself has no life cycle to declare: it is held when its day comes (`Meeting.has_begun`)
and voided with a reason (`void_record`).

- A raised issue is open, then closed with one of the four outcomes of seed 003, then published.
- A decision passes 党支部提议 → 两委会商议 → 党员大会审议 → 村民代表会议决议 → 决议公开 → 实施结果公开
  (seeds 001, 002). Each step is a transition whose only source is the state the step before it
  leaves, so none can be skipped or taken twice; a step that does not pass ends the decision.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from lianchun import clock
from lianchun.audit import save_audited
from lianchun.refusals import check_within
from lianchun.votes import check_counts, vote_passes
from lianchun.workflow import NONE, Actors, Transition, Workflow, steps

from .dates import sane_window
from .forms import VOTE_COUNT_FIELDS, DecisionStepForm, OutcomeForm
from .models import (
    PUBLIC_STEPS,
    STEP_ORDER,
    VOTE_STEPS,
    Decision,
    DecisionRecord,
    DecisionStage,
    DecisionStep,
    IssueStatus,
    MeetingIssue,
    Outcome,
)
from .rules import can_keep_decisions, can_manage_issue, refuse

# ---------------------------------------------------------------- raised issues


def _may_manage_issue(user: Any, issue: MeetingIssue) -> bool:
    return not issue.is_voided and not issue.meeting.is_voided and can_manage_issue(user, issue)


def _outcome_rules(
    issue: MeetingIssue, *, by: Any, outcome: str, outcome_on: datetime.date, note: str = "", **_data: Any
) -> None:
    if outcome not in Outcome.values:
        raise refuse(_("Choose one of the four outcomes."), "unknown_outcome", "outcome")
    check_within(
        outcome_on,
        issue.meeting.date,
        clock.today(),
        message=_("The outcome date lies between the meeting day (%(start)s) and today (%(end)s)."),
        field="outcome_on",
        too_early="outcome_before_meeting",
        too_late="outcome_in_future",
    )
    if outcome == Outcome.ON_THE_SPOT and outcome_on != issue.meeting.date:
        raise refuse(
            _("An issue solved on the spot is solved on the day of the meeting."), "not_on_the_spot", "outcome_on"
        )
    if outcome in {Outcome.ESCALATED, Outcome.EXPLAINED, Outcome.SPECIAL_MEETING} and not (note or "").strip():
        raise refuse(_("Say how the issue was handled."), "note_required", "note")


def _set_outcome(
    issue: MeetingIssue, *, by: Any, opinion: str, outcome: str, outcome_on: datetime.date, note: str = "", **_data
) -> list[str]:
    issue.outcome, issue.outcome_on, issue.outcome_note = outcome, outcome_on, (note or "").strip()
    return ["outcome", "outcome_on", "outcome_note"]


def _publication_rules(
    issue: MeetingIssue, *, by: Any, published_on: datetime.date | None = None, **_data: Any
) -> None:
    check_within(
        published_on or clock.today(),
        issue.outcome_on,
        clock.today(),
        message=_("The publication date lies between the outcome (%(start)s) and today (%(end)s)."),
        field="published_on",
        too_early="bad_publication_date",
        too_late="bad_publication_date",
    )


def _set_published_on(
    issue: MeetingIssue, *, by: Any, opinion: str, published_on: datetime.date | None = None, **_data: Any
) -> list[str]:
    issue.published_on = published_on or clock.today()
    return ["published_on"]


class PublishForm(forms.Form):
    """Publication asks nothing: it is dated today."""


# The township and the county office keep the issues raised in their meetings; no opinion is asked.
issue_step = steps(
    who=Actors({Role.TOWNSHIP_CADRE, Role.COUNTY_OFFICE}, _may_manage_issue), opinion=NONE, style="brand"
)

ISSUE_FLOW = Workflow(
    model=MeetingIssue,
    initial={IssueStatus.RAISED},
    final={IssueStatus.PUBLISHED},
    transitions=[
        issue_step(
            "record_outcome",
            gettext_lazy("Record the outcome"),
            {IssueStatus.RAISED},
            IssueStatus.RESOLVED,
            guard=_outcome_rules,
            effect=_set_outcome,
            form_class=OutcomeForm,
            url_name="meetings:issue-outcome",
            success=gettext_lazy("The outcome was recorded. Remember to publish it."),
        ),
        issue_step(
            "publish",
            gettext_lazy("Publish the outcome"),
            {IssueStatus.RESOLVED},
            IssueStatus.PUBLISHED,
            guard=_publication_rules,
            effect=_set_published_on,
            form_class=PublishForm,
            url_name="meetings:issue-publish",
            success=gettext_lazy("The outcome is published."),
            explanation=gettext_lazy(
                "Publishing records today as the date the outcome went up on the public notice board. "
                "It cannot be taken back."
            ),
        ),
    ],
)


# ---------------------------------------------------------------- 四议两公开 decisions


def _may_keep(user: Any, decision: Decision) -> bool:
    return not decision.is_voided and can_keep_decisions(user, decision.village)


def _step_rules(this: DecisionStep):
    """The guard of one step: it is the step that comes next, dated after the one before, its votes add up.

    `data` holds the step's form: step, held_on, passed, members, present, in_favour, against, note.
    """

    def guard(decision: Decision, *, by: Any, held_on: datetime.date, step: str | None = None, **data: Any) -> None:
        asked = DecisionStep(step) if step else this
        if asked != this:
            if STEP_ORDER.index(asked) < STEP_ORDER.index(this):
                raise refuse(_("The step “%(step)s” is already recorded."), "step_repeated", "step", step=asked.label)
            raise refuse(
                _("Steps cannot be skipped or taken out of order: next comes “%(expected)s”."),
                "step_out_of_order",
                "step",
                expected=this.label,
            )
        previous = decision.records.order_by("-position").first()
        check_within(
            held_on,
            previous.held_on if previous is not None else sane_window(clock.today())[0],
            clock.today(),
            message=_("The date lies between %(start)s and today (%(end)s)."),
            field="held_on",
            too_early="date_before_previous" if previous is not None else "date_too_early",
            too_late="date_in_future",
        )
        members, present, in_favour = data.get("members"), data.get("present"), data.get("in_favour")
        if this in VOTE_STEPS:
            if members is None or present is None or in_favour is None:
                raise refuse(_("Give the members entitled, those present and those in favour."), "counts_required")
            check_counts(members, present, in_favour, against=data.get("against") or 0)
        elif any(data.get(name) is not None for name in VOTE_COUNT_FIELDS):
            # Counts given to a step that is no vote would be thrown away: say so rather than keep them silently.
            raise refuse(
                _(
                    "“%(step)s” is not a vote: it records no counts. Only the party members' meeting and the "
                    "villager representatives' meeting do."
                ),
                "counts_not_recorded",
                step=this.label,
            )
        elif this not in PUBLIC_STEPS and data.get("passed") is None:
            raise refuse(_("Say whether the step passed."), "result_required", "passed")

    return guard


def _record_step(this: DecisionStep):
    """The effect of one step: its DecisionRecord row, and whether it passed (which decides the next state)."""

    def effect(decision: Decision, *, by: Any, opinion: str, held_on: datetime.date, **data: Any) -> list[str]:
        position = STEP_ORDER.index(this)
        record = DecisionRecord(
            decision=decision,
            step=this,
            position=position,
            held_on=held_on,
            note=(data.get("note") or "").strip(),
            recorded_by=by,
        )
        if this in VOTE_STEPS:
            record.members, record.present, record.in_favour = data["members"], data["present"], data["in_favour"]
            record.against = data.get("against") or 0
            record.passed = vote_passes(record.members, record.present, record.in_favour)
        else:
            record.passed = True if this in PUBLIC_STEPS else bool(data.get("passed"))
        save_audited(record, by=by)
        decision.steps_done = position + 1
        decision.last_record = record
        return ["steps_done"]

    return effect


def _passed_or_failed(this: DecisionStep):
    def target(decision: Decision) -> str:
        return this.value if decision.last_record.passed else DecisionStage.FAILED

    target.possible_targets = frozenset({this.value, DecisionStage.FAILED})
    return target


def _step_transition(this: DecisionStep, source: str) -> Transition:
    return Transition(
        this.value,
        this.label,
        {source},
        this.value if this in PUBLIC_STEPS else _passed_or_failed(this),
        roles={Role.TOWNSHIP_CADRE},
        check=_may_keep,
        guard=_step_rules(this),
        effect=_record_step(this),
        opinion=NONE,
        form_class=DecisionStepForm.asking(
            counts=this in VOTE_STEPS, result=this not in VOTE_STEPS and this not in PUBLIC_STEPS
        ),
        url_name="meetings:decision-step",
        style="brand",
        success=gettext_lazy("The step was recorded."),
    )


DECISION_FLOW = Workflow(
    model=Decision,
    field="stage",
    initial={DecisionStage.NEW},
    final={DecisionStage.RESULT_PUBLIC, DecisionStage.FAILED},
    transitions=[
        _step_transition(step, previous)
        for step, previous in zip(STEP_ORDER, [DecisionStage.NEW, *STEP_ORDER[:-1]], strict=True)
    ],
)


def next_transition(decision: Decision) -> str:
    """The step a decision's page offers: the next one, or (once it has ended) the one that would have come."""
    return STEP_ORDER[min(decision.steps_done, len(STEP_ORDER) - 1)].value
