"""软弱涣散村党组织整顿 (seed 001) and the 三本台账 (seed 003).

A village under rectification has one 一村一策 plan: its problems, each classed
by one of the county's 八治, with a measure, a responsible person and a deadline
(a `RectificationItem`). The plan goes through a three-step review (township
proposes → organisation department advises → department checks the 三个不放过),
every round kept as a `ReviewRound` with a snapshot of the plan's text, then
through the stages 整顿中 → 巩固提升 → 销号 (and back, when a village slides back).

The 三本台账 are `LedgerEntry` rows per village, of a `LedgerKind` (民生, 稳定,
困难群众 and kinds the county adds), handled by one of the county's editable
`HandlingMethod`s. Totals are always counted from the entries, never typed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lianchun import clock
from lianchun.events import TransitionEvent
from lianchun.models import (
    AuditedModel,
    DatedNote,
    DeadlineItem,
    DetailPage,
    TownshipTally,
    VoidableModel,
    actor_field,
    link_field,
)
from lianchun.states import InState


class Governance(models.TextChoices):
    """The county's 八治 (seed 001): the class of each problem found."""

    CORRUPTION = "corruption", _("Curb corruption")
    FALSEHOOD = "falsehood", _("Curb false work")
    IDLENESS = "idleness", _("Curb idleness")
    MEDIOCRITY = "mediocrity", _("Curb mediocrity")
    WEAKNESS = "weakness", _("Strengthen a weak team")
    POVERTY = "poverty", _("Curb poverty")
    DISORDER = "disorder", _("Curb instability")
    LAXITY = "laxity", _("Curb lax rules")


class ContactClass(models.TextChoices):
    """Key-contact class by difficulty (seed 001): 市级 B 类 or 县级 C 类."""

    CITY_B = "city_b", _("City-level key contact (class B)")
    COUNTY_C = "county_c", _("County-level key contact (class C)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed, awaiting advice")
    ADVISED = "advised", _("Advised, awaiting check")
    RETURNED = "returned", _("Returned for revision")
    RECTIFYING = "rectifying", _("Rectifying")
    CONSOLIDATING = "consolidating", _("Consolidating")
    CLOSED = "closed", _("Closed out")


EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})
REVIEW_STATUSES = frozenset({PlanStatus.PROPOSED, PlanStatus.ADVISED})
UNDER_WAY_STATUSES = frozenset({PlanStatus.RECTIFYING, PlanStatus.CONSOLIDATING})
STAGE_STATUSES = (PlanStatus.RECTIFYING, PlanStatus.CONSOLIDATING, PlanStatus.CLOSED)
# The Bootstrap colour of each status's badge.
STATUS_BADGES = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.RETURNED: "warning",
    PlanStatus.PROPOSED: "info",
    PlanStatus.ADVISED: "info",
    PlanStatus.RECTIFYING: "danger",
    PlanStatus.CONSOLIDATING: "primary",
    PlanStatus.CLOSED: "success",
}
# How far ahead a measure's deadline may be set, and how far back a ledger entry may be dated.
DEADLINE_YEARS_AHEAD = 5
LEDGER_YEARS_BACK = 10


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (or earlier); 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def out_of_range(message: str, code: str, first: datetime.date, last: datetime.date) -> ValidationError:
    return ValidationError(message, code=code, params={"first": first.isoformat(), "last": last.isoformat()})


class RectificationPlan(DetailPage, VoidableModel):
    """一村一策: one plan per village under rectification, reopened rather than replaced."""

    village = link_field("villages.Village", _("village"), related_name="rectification_plans")
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    county_leader = link_field(
        settings.AUTH_USER_MODEL, _("county leader contact"), optional=True, related_name="rectification_contacts"
    )
    contact_class = models.CharField(_("key-contact class"), max_length=16, choices=ContactClass.choices)
    work_team = models.CharField(_("work team sent"), max_length=200, blank=True)
    first_secretary = models.CharField(_("first secretary"), max_length=50, blank=True)
    rounds = models.PositiveSmallIntegerField(_("review rounds"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    closed_on = models.DateField(_("closed out on"), null=True, blank=True)
    created_by = actor_field(_("drafted by"))
    created_at = models.DateTimeField(_("drafted at"), default=clock.now, editable=False)

    scope_through = "village"
    detail_url = "rectification:plan-detail"

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        ordering = ["village__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=models.Q(voided_at__isnull=True),
                name="one_rectification_plan_per_village",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Plan for %(village)s") % {"village": self.village})

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES and not self.is_voided

    @property
    def is_under_way(self) -> bool:
        return self.status in UNDER_WAY_STATUSES and not self.is_voided

    is_in_review = InState(*REVIEW_STATUSES)

    @property
    def is_returned(self) -> bool:
        return self.status == PlanStatus.RETURNED and not self.is_voided

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "secondary")

    @cached_property
    def drafted_on(self) -> datetime.date:
        """The day the plan was drafted, by the product's clock (its first event)."""
        at = self.events.filter(to_status=PlanStatus.DRAFT).order_by("at", "pk").values_list("at", flat=True).first()
        if at is None:
            at = self.created_at or clock.now()
        return timezone.localtime(at).date()


class RectificationItem(DeadlineItem, VoidableModel):
    """One problem found, its 八治 class, the measure against it, who answers for it and by when."""

    plan = link_field(RectificationPlan, _("plan"), related_name="items")
    governance = models.CharField(_("class (eight curbs)"), max_length=16, choices=Governance.choices)
    problem = models.TextField(_("problem found"), max_length=1000)
    measure = models.TextField(_("measure"), max_length=1000)
    responsible = models.CharField(_("responsible person"), max_length=50)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    scope_through = "plan"

    class Meta(DeadlineItem.Meta):
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def __str__(self) -> str:
        return f"{self.get_governance_display()}: {self.problem[:30]}"

    def clean(self) -> None:
        """A deadline falls between the day the plan was drafted and a few years ahead (not decades)."""
        if self.deadline is None:
            return
        first = self.plan.drafted_on if self.plan_id else None
        last = years_after(clock.today(), DEADLINE_YEARS_AHEAD)
        if (first and self.deadline < first) or self.deadline > last:
            first = first or clock.today()
            raise ValidationError(
                {
                    "deadline": out_of_range(
                        _("The deadline must fall between %(first)s (when the plan was drafted) and %(last)s."),
                        "deadline_out_of_range",
                        first,
                        last,
                    )
                }
            )

    @property
    def is_settled(self) -> bool:
        """Its measure is done."""
        return self.completed_on is not None

    @classmethod
    def unsettled_condition(cls) -> models.Q:
        return models.Q(completed_on__isnull=True)


class ItemProgress(DatedNote):
    """A progress update on one measure, with its evidence and date. Kept, never edited."""

    item = link_field(RectificationItem, _("item"), related_name="progress")
    evidence = models.TextField(_("evidence"), max_length=2000)
    marks_complete = models.BooleanField(_("measure completed"), default=False)
    recorded_by = actor_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now, editable=False)

    scope_through = "item"
    text_field = "evidence"

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-on_date", "-pk"]


class ReviewRound(AuditedModel):
    """One pass through the three review steps, with the plan's text as it was submitted."""

    class Decision(models.TextChoices):
        PENDING = "pending", pgettext_lazy("rectification", "Pending")
        APPROVED = "approved", pgettext_lazy("rectification", "Approved")
        RETURNED = "returned", pgettext_lazy("rectification", "Returned")

    plan = link_field(RectificationPlan, _("plan"), related_name="review_rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    # Step 1: the township party committee proposes; the villager representatives' meeting reviews.
    meeting_date = models.DateField(_("villager representatives' meeting on"))
    meeting_result = models.CharField(_("meeting result"), max_length=300)
    # The meeting's counts: it passes with two thirds present and more than half of them in favour
    # (lianchun.votes). Empty on rounds recorded before the counts were asked.
    entitled = models.PositiveIntegerField(_("representatives entitled"), null=True, blank=True)
    present = models.PositiveIntegerField(_("representatives present"), null=True, blank=True)
    in_favour = models.PositiveIntegerField(_("representatives in favour"), null=True, blank=True)
    snapshot = models.JSONField(_("plan as submitted"), default=dict)
    submitted_by = actor_field(pgettext_lazy("rectification", "submitted by"))
    submitted_at = models.DateTimeField(pgettext_lazy("rectification", "submitted at"))
    # Step 2: the organisation department advises.
    advice = models.TextField(_("department's advice"), max_length=2000, blank=True)
    advised_by = actor_field(_("advised by"), optional=True)
    advised_at = models.DateTimeField(_("advised at"), null=True, blank=True)
    # Step 3: the department checks the 三个不放过 and approves or returns.
    problems_accurate = models.BooleanField(_("problems found accurately"), default=False)
    measures_targeted = models.BooleanField(_("measures targeted and actionable"), default=False)
    responsibility_clear = models.BooleanField(_("responsible persons and deadlines clear"), default=False)
    decision = models.CharField(
        pgettext_lazy("rectification", "decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.TextField(_("decision note"), max_length=2000, blank=True)
    decided_by = actor_field(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    scope_through = "plan"

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_review_round_number_per_plan")]

    def __str__(self) -> str:
        return str(_("Round %(number)s") % {"number": self.number})

    @property
    def failed_checks(self) -> list[str]:
        return [str(label) for name, label in CHECKS if not getattr(self, name)]

    @property
    def meeting_counts(self) -> str:
        """The representatives' meeting's counts in words; empty on a round proposed before they were asked."""
        if self.entitled is None:
            return ""
        return gettext("%(entitled)s entitled, %(present)s present, %(favour)s in favour") % {
            "entitled": self.entitled,
            "present": self.present,
            "favour": self.in_favour,
        }

    @property
    def meeting_summary(self) -> str:
        """The representatives' meeting in one line: its counts, where they were recorded, then its result."""
        return f"{self.meeting_counts}；{self.meeting_result}" if self.meeting_counts else self.meeting_result


CHECKS = [
    ("problems_accurate", _("Problems found accurately")),
    ("measures_targeted", _("Measures targeted and actionable")),
    ("responsibility_clear", _("Responsible persons and deadlines clear")),
]


class PlanEvent(TransitionEvent):
    """Who moved a plan, when, from which status to which, and with what note."""

    plan = link_field(RectificationPlan, _("plan"), related_name="events")
    from_status = models.CharField(
        pgettext_lazy("rectification", "from"), max_length=16, choices=PlanStatus.choices, blank=True
    )
    to_status = models.CharField(pgettext_lazy("rectification", "to"), max_length=16, choices=PlanStatus.choices)
    note = models.TextField(pgettext_lazy("rectification", "note"), max_length=2000, blank=True)

    scope_through = "plan"

    class Meta(TransitionEvent.Meta):
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")


# ---------------------------------------------------------------------------- 三本台账


class CountyList(AuditedModel):
    """An entry of one of the county's own ordered lists (ledger kinds, handling methods).

    The lists serve the whole county; township cadres see their county's entries.
    """

    name = models.CharField(_("name"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    scope_township_path = "county__townships"
    scope_county_path = "county_id"

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class LedgerKind(CountyList):
    """A ledger of the county: 民生, 稳定, 困难群众 are standard; the county office may add more (计生)."""

    class Standard(models.TextChoices):
        LIVELIHOOD = "livelihood", _("Livelihood")
        STABILITY = "stability", _("Stability")
        HARDSHIP = "hardship", _("People in hardship")

    county = link_field("villages.County", _("county"), related_name="ledger_kinds")
    standard = models.CharField(_("standard kind"), max_length=16, choices=Standard.choices, blank=True)

    class Meta(CountyList.Meta):
        verbose_name = _("ledger kind")
        verbose_name_plural = _("ledger kinds")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="ledger_kind_name_unique_in_county")]


class HandlingMethod(CountyList):
    """How a matter was handled (一事一议, 挂包帮, 低保, 临时救助, …): the county's editable list."""

    county = link_field("villages.County", _("county"), related_name="handling_methods")
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(CountyList.Meta):
        verbose_name = _("handling method")
        verbose_name_plural = _("handling methods")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="handling_method_name_unique_in_county")]


class LedgerEntry(VoidableModel):
    """One matter collected in a village, on one of the county's ledgers."""

    class Source(models.TextChoices):
        HOUSE_VISIT = "house_visit", _("House visit")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone")
        MEETING = "meeting", _("Meeting")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("rectification", "In progress")
        SOLVED = "solved", _("Solved")

    village = link_field("villages.Village", _("village"), related_name="ledger_entries")
    kind = link_field(LedgerKind, _("ledger"), related_name="entries")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    collected_on = models.DateField(_("collected on"))
    summary = models.CharField(_("matter"), max_length=300)
    owner = models.CharField(_("owner"), max_length=50)
    handling = link_field(HandlingMethod, _("handling"), optional=True, related_name="entries")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    solved_on = models.DateField(_("solved on"), null=True, blank=True)
    recorded_by = actor_field(_("recorded by"))

    scope_through = "village"

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-collected_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="solved", solved_on__isnull=False)
                | models.Q(status="in_progress", solved_on__isnull=True),
                name="ledger_entry_solved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    is_solved = InState(Status.SOLVED)

    def clean(self) -> None:
        errors = {}
        today = clock.today()
        earliest = years_after(today, -LEDGER_YEARS_BACK)
        if self.collected_on and not earliest <= self.collected_on <= today:
            errors["collected_on"] = out_of_range(
                _("The date collected must fall between %(first)s and %(last)s (today)."),
                "future_date" if self.collected_on > today else "date_out_of_range",
                earliest,
                today,
            )
        if self.status == self.Status.SOLVED:
            if self.solved_on is None:
                errors["solved_on"] = ValidationError(
                    _("Give the date the matter was solved."), code="solved_date_required"
                )
            elif self.solved_on > today or (self.collected_on and self.solved_on < self.collected_on):
                errors["solved_on"] = out_of_range(
                    _(
                        "The date solved must fall between %(first)s (when the matter was collected) and %(last)s (today)."
                    ),
                    "future_date" if self.solved_on > today else "solved_before_collected",
                    self.collected_on or earliest,
                    today,
                )
        elif self.solved_on is not None:
            errors["solved_on"] = ValidationError(
                _("Only a solved matter has a date solved: choose 'Solved', or leave the date empty."),
                code="solved_date_not_solved",
            )
        if errors:
            raise ValidationError(errors)


class LedgerTally(TownshipTally):
    """How many live matters one township holds on one ledger: the three ledgers' figures, kept as they change.

    A county, city or province reads its ledgers' totals from these rows (one per township and ledger), not
    by counting years of entries on every page. `rectification.tallies` recounts a township's rows inside the
    transaction of every write to one of its entries or villages, so the rows are never stale; the county's
    township-by-village page still counts the entries themselves.
    """

    kind = models.ForeignKey(LedgerKind, on_delete=models.CASCADE, related_name="+")
    collected = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger tally")
        verbose_name_plural = _("ledger tallies")
        constraints = [models.UniqueConstraint(fields=["township", "kind"], name="ledger_tally_one_per_township_kind")]

    def __str__(self) -> str:
        return f"{self.township_id}·{self.kind_id}: {self.solved}/{self.collected}"
