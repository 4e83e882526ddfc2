"""考核 and 督查 (seeds 001–004): assessment schemes computed from the record, monthly inspections,
the 通报 circular, 民主评议, star ratings and what urban partners contribute.

An `AssessmentScheme` of the county office names a kind of subject (townships, clusters, urban–rural
joint organisations) and a rhythm (month, half-year, year), and carries weighted `SchemeIndicator`s
with a target and colour bands. An indicator is either computed from the record (weekly reports on
time, 例会 attendance, issues solved within their month, ledger matters solved, overdue measures,
四议两公开 decisions completed, consent forms collected, inspection scores) or entered
(`ScoreEntry`). An `AssessmentPeriod` is open while the record moves; closing it freezes every
subject's value, band, points and rank, with the records beneath each cell, as `SubjectScore` and
`CellScore` rows; later edits to records never move a published ranking.

Inspections (督查, seed 004: 每月一次对联建工作进行督查) are `InspectionRound`s with a checklist, `InspectionVisit`s
to joint organisations whose score is the sum of their checklist marks, and `Finding`s with an owner and a
deadline followed to closure. A `Circular` (通报) carries a round's or a period's ranking, frozen when it is
issued to the townships.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun.events import TransitionEvent
from lianchun.models import (
    AuditedModel,
    DatedNote,
    DeadlineItem,
    DetailPage,
    OfficialModel,
    VoidableModel,
    actor_field,
    link_field,
)
from lianchun.states import InState

from . import appraisal as appraisal_rule
from . import rules


class SubjectKind(models.TextChoices):
    TOWNSHIP = "township", _("Townships")
    CLUSTER = "cluster", _("Village clusters")
    JOINT = "joint", _("Urban–rural joint organisations")
    VILLAGE_CADRE = "village_cadre", _("Village cadres")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")


class Metric(models.TextChoices):
    """What an indicator measures: computed from the record, or entered by the county office."""

    WEEKLY_ON_TIME = rules.WEEKLY_ON_TIME, _("Weekly reports filed on time")
    ATTENDANCE = rules.ATTENDANCE, _("Regular meeting attendance of village cadres")
    ISSUES_IN_MONTH = rules.ISSUES_IN_MONTH, _("Meeting issues solved within a month")
    LEDGER_SOLVED = rules.LEDGER_SOLVED, _("Ledger matters solved")
    OVERDUE_MEASURES = rules.OVERDUE_MEASURES, _("Rectification measures past their deadline")
    DECISIONS_COMPLETED = rules.DECISIONS_COMPLETED, _("Decisions completed through 4+2")
    CONSENT_FORMS = rules.CONSENT_FORMS, _("Consent forms collected")
    PROJECTS_LED = rules.PROJECTS_LED, _("Self-government projects led")
    INSPECTION_SCORE = rules.INSPECTION_SCORE, _("Inspection score")
    ENTERED = rules.ENTERED, _("Entered by the county office")


class AssessmentScheme(DetailPage, AuditedModel):
    """考核方案: set by the county office for a kind of subject and a rhythm."""

    county = link_field("villages.County", _("county"), related_name="+")
    name = models.CharField(_("name"), max_length=100)
    subject_kind = models.CharField(_("subjects"), max_length=16, choices=SubjectKind.choices)
    period_kind = models.CharField(_("period"), max_length=16, choices=PeriodKind.choices)
    description = models.TextField(_("description"), blank=True)
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created at"))

    scope_township_path = "county__townships"
    scope_county_path = "county_id"
    detail_url = "assessments:scheme-detail"

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def total_weight(self) -> int:
        return sum(indicator.weight for indicator in self.indicators.all())


class SchemeIndicator(AuditedModel):
    """One weighted indicator of a scheme, with its target and colour bands.

    Bands: green when the value reaches `green_from`, amber when it reaches `amber_from`, red
    otherwise; "reaches" means ≥ for an indicator where more is better and ≤ where less is better.
    """

    scheme = link_field(AssessmentScheme, _("scheme"), related_name="indicators")
    metric = models.CharField(_("measure"), max_length=24, choices=Metric.choices)
    label = models.CharField(_("indicator"), max_length=60)
    weight = models.PositiveSmallIntegerField(_("weight (points)"), validators=[MinValueValidator(1)])
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=1)
    green_from = models.DecimalField(_("green from"), max_digits=10, decimal_places=1)
    amber_from = models.DecimalField(_("amber from"), max_digits=10, decimal_places=1)
    higher_is_better = models.BooleanField(_("more is better"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_through = "scheme"

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "label"], name="indicator_label_unique_in_scheme"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_computed(self) -> bool:
        return self.metric != Metric.ENTERED

    @property
    def unit(self) -> str:
        return rules.UNITS.get(self.metric, "")

    def rule(self) -> rules.Scoring:
        return rules.Scoring(
            weight=self.weight,
            target=self.target,
            green_from=self.green_from,
            amber_from=self.amber_from,
            higher_is_better=self.higher_is_better,
        )


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("assessment period", "Open")
    CLOSED = "closed", pgettext_lazy("assessment period", "Closed, scores frozen")
    PUBLISHED = "published", pgettext_lazy("assessment period", "Published")


class AssessmentPeriod(DetailPage, AuditedModel):
    """One period of a scheme (2026年上半年); closing it freezes the scores with who and when."""

    scheme = link_field(AssessmentScheme, _("scheme"), related_name="periods")
    label = models.CharField(_("period"), max_length=40)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = actor_field(_("closed by"), optional=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = actor_field(_("published by"), optional=True)

    scope_through = "scheme"
    detail_url = "assessments:scorecard"

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["scheme", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "starts_on"], name="one_period_per_scheme_start"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.label}"

    @property
    def span(self) -> rules.Period:
        return rules.Period(self.starts_on, self.ends_on)

    is_open = InState(PeriodStatus.OPEN)
    is_frozen = InState(PeriodStatus.CLOSED, PeriodStatus.PUBLISHED)
    is_published = InState(PeriodStatus.PUBLISHED)


class ScoreEntry(AuditedModel):
    """A value the county office enters for an entered indicator (an appraisal result, a spot check)."""

    period = link_field(AssessmentPeriod, _("period"), related_name="entries")
    indicator = link_field(SchemeIndicator, _("indicator"), related_name="entries")
    subject_id = models.PositiveIntegerField(_("subject"))
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=1)
    note = models.CharField(_("basis"), max_length=200, blank=True)
    entered_by = actor_field(_("entered by"))
    entered_at = models.DateTimeField(_("entered at"))

    scope_through = "period"

    class Meta:
        verbose_name = _("entered score")
        verbose_name_plural = _("entered scores")
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator", "subject_id"], name="one_entry_per_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class SubjectScore(OfficialModel):
    """A subject's frozen total and rank in a closed period."""

    period = link_field(AssessmentPeriod, _("period"), related_name="subject_scores")
    subject_id = models.PositiveIntegerField(_("subject"))
    subject_name = models.CharField(_("subject"), max_length=100)
    total = models.DecimalField(_("total points"), max_digits=8, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("rank"))

    scope_through = "period"

    class Meta:
        verbose_name = _("frozen subject score")
        verbose_name_plural = _("frozen subject scores")
        ordering = ["rank", "subject_name"]
        constraints = [models.UniqueConstraint(fields=["period", "subject_id"], name="one_score_per_subject")]

    def __str__(self) -> str:
        return f"{self.subject_name}: {self.total}"


class CellScore(OfficialModel):
    """A frozen cell: the value, band and points of one indicator for one subject, and the records beneath it."""

    subject_score = link_field(SubjectScore, _("score"), related_name="cells")
    indicator = link_field(SchemeIndicator, _("indicator"), related_name="+")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=1, null=True)
    numerator = models.IntegerField(null=True)
    denominator = models.IntegerField(null=True)
    band = models.CharField(_("band"), max_length=8)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=1)
    records = models.JSONField(_("records beneath"), default=list)

    scope_through = "subject_score"

    class Meta:
        verbose_name = _("frozen cell")
        verbose_name_plural = _("frozen cells")
        constraints = [
            models.UniqueConstraint(fields=["subject_score", "indicator"], name="one_cell_per_subject_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


# ---------------------------------------------------------------------------- inspections (督查)


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("inspection round", "Under way")
    CLOSED = "closed", pgettext_lazy("inspection round", "Completed")


class InspectionRound(DetailPage, AuditedModel):
    """One month's inspection of the joint organisations (seed 004: 每月一次对联建工作进行督查)."""

    county = link_field("villages.County", _("county"), related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month inspected."))
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created at"))

    scope_township_path = "county__townships"
    scope_county_path = "county_id"
    detail_url = "assessments:round-detail"

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-month", "-pk"]
        constraints = [models.UniqueConstraint(fields=["county", "month"], name="one_inspection_round_per_month")]

    def __str__(self) -> str:
        return self.title

    @property
    def max_score(self) -> int:
        return sum(item.max_points for item in self.checklist.all())


class ChecklistItem(AuditedModel):
    round = link_field(InspectionRound, _("inspection round"), related_name="checklist")
    text = models.CharField(_("checklist item"), max_length=200)
    max_points = models.PositiveSmallIntegerField(_("points"), validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope_through = "round"

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class InspectionVisit(DetailPage, AuditedModel):
    """A visit to one cluster in a round; its score is the sum of its marks, never typed."""

    round = link_field(InspectionRound, _("round"), related_name="visits")
    cluster = link_field("clusters.Cluster", _("joint organisation"), related_name="+")
    visited_on = models.DateField(_("visited on"))
    inspectors = models.CharField(_("inspectors"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    recorded_by = actor_field(_("recorded by"))

    scope_township_path = "cluster__township_id"
    scope_county_path = "round__county_id"
    detail_url = "assessments:visit-detail"

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-score", "cluster__name"]
        constraints = [models.UniqueConstraint(fields=["round", "cluster"], name="one_visit_per_cluster_per_round")]

    def __str__(self) -> str:
        return f"{self.round} · {self.cluster}"


class VisitMark(AuditedModel):
    visit = link_field(InspectionVisit, _("inspection visit"), related_name="marks")
    item = link_field(ChecklistItem, _("checklist item"), related_name="+")
    points = models.PositiveSmallIntegerField(_("points given"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_through = "visit"

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        ordering = ["item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="one_mark_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.points}"


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "Open")
    RECTIFIED = "rectified", pgettext_lazy("finding", "Rectified, awaiting check")
    CLOSED = "closed", pgettext_lazy("finding", "Closed")


class Finding(DetailPage, DeadlineItem, AuditedModel):
    """A problem found on a visit, with an owner and a deadline, followed until the county closes it."""

    visit = link_field(InspectionVisit, _("visit"), related_name="findings")
    description = models.TextField(_("problem found"), max_length=1000)
    owner = models.CharField(_("owner"), max_length=50)
    status = models.CharField(_("status"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    rectification = models.TextField(_("what was done"), max_length=2000, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = actor_field(_("recorded by"))

    scope_through = "visit"
    detail_url = "assessments:finding-detail"

    class Meta(DeadlineItem.Meta):
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def is_settled(self) -> bool:
        """Rectified or closed: no longer awaiting the owner."""
        return self.status != FindingStatus.OPEN

    @classmethod
    def unsettled_condition(cls) -> models.Q:
        return models.Q(status=FindingStatus.OPEN)


class FindingEvent(TransitionEvent):
    """Who moved a finding, when, and what they said."""

    finding = link_field(Finding, _("finding"), related_name="events")
    from_status = models.CharField(max_length=16, choices=FindingStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=FindingStatus.choices)
    note = models.TextField(_("note"), blank=True)

    scope_through = "finding"


class CircularStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("circular", "Draft")
    ISSUED = "issued", pgettext_lazy("circular", "Issued")


class Circular(DetailPage, AuditedModel):
    """通报: an official document (GB/T 9704) circulating a round's or a period's results to the townships."""

    county = link_field("villages.County", _("county"), related_name="+")
    inspection_round = link_field(InspectionRound, _("inspection round"), optional=True, related_name="circulars")
    period = link_field(AssessmentPeriod, _("assessment period"), optional=True, related_name="circulars")
    issuing_organ = models.CharField(_("issuing organ"), max_length=60)
    number_prefix = models.CharField(_("document prefix"), max_length=20, default="联村办")
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveSmallIntegerField(_("serial number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=120)
    main_recipients = models.CharField(_("main recipients"), max_length=200)
    copy_to = models.CharField(_("copied to"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=5000)
    status = models.CharField(_("status"), max_length=16, choices=CircularStatus.choices, default=CircularStatus.DRAFT)
    townships = models.ManyToManyField("villages.Township", verbose_name=_("issued to"), related_name="+")
    ranking = models.JSONField(_("ranking as issued"), default=list)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issued_by = actor_field(_("issued by"), optional=True)
    created_by = actor_field(_("created by"))

    # A township sees the circulars addressed to it; drafts stay with the county (the views ask).
    scope_township_path = "townships"
    scope_county_path = "county_id"
    detail_url = "assessments:circular-detail"

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "number_prefix", "year", "serial"], name="circular_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(inspection_round__isnull=True) | models.Q(period__isnull=True),
                name="circular_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """GB/T 9704 发文字号: 联村办〔2026〕12号 (hexagonal brackets, no leading zeros)."""
        return f"{self.number_prefix}〔{self.year}〕{self.serial}号"

    is_issued = InState(CircularStatus.ISSUED)


# ---------------------------------------------------------------------------- 民主评议 and 星级评定


class AppraisalRule(AuditedModel):
    """The county's rule deriving an appraisal result from the vote counts (see `appraisal.derive`)."""

    county = models.OneToOneField(
        "villages.County", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    unqualified_over_num = models.PositiveSmallIntegerField(
        _("unqualified when 'unqualified' votes exceed (numerator)"), default=1
    )
    unqualified_over_den = models.PositiveSmallIntegerField(_("… of the votes cast (denominator)"), default=3)
    excellent_from_num = models.PositiveSmallIntegerField(
        _("excellent when 'excellent' votes reach (numerator)"), default=2
    )
    excellent_from_den = models.PositiveSmallIntegerField(_("… of the votes cast (denominator)"), default=3)
    basic_over_num = models.PositiveSmallIntegerField(
        _("basically qualified when weaker votes exceed (numerator)"), default=1
    )
    basic_over_den = models.PositiveSmallIntegerField(_("… of the votes cast (denominator)"), default=2)
    updated_by = actor_field(_("updated by"), null=True)

    scope_township_path = "county__townships"
    scope_county_path = "county_id"

    class Meta:
        verbose_name = _("appraisal rule")
        verbose_name_plural = _("appraisal rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unqualified_over_den__gt=0, excellent_from_den__gt=0, basic_over_den__gt=0),
                name="appraisal_rule_denominators_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.county)

    def as_rule(self) -> appraisal_rule.Rule:
        return appraisal_rule.Rule(
            unqualified_over=(self.unqualified_over_num, self.unqualified_over_den),
            excellent_from=(self.excellent_from_num, self.excellent_from_den),
            basic_over=(self.basic_over_num, self.basic_over_den),
        )


class Appraisal(DetailPage, AuditedModel):
    """民主评议 of the party members of one joint organisation or village (seed 004: 每年两次)."""

    township = link_field("villages.Township", _("township"), related_name="+")
    cluster = link_field("clusters.Cluster", _("joint organisation"), optional=True, related_name="+")
    village = link_field("villages.Village", _("village"), optional=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(
        _("half-year"), choices=[(1, _("First half")), (2, _("Second half"))], validators=[MaxValueValidator(2)]
    )
    held_on = models.DateField(_("held on"))
    voters = models.PositiveIntegerField(_("people voting"))
    recorded_by = actor_field(_("recorded by"))

    scope_township_path = "township_id"
    scope_county_path = "township__county_id"
    detail_url = "assessments:appraisal-detail"

    class Meta:
        verbose_name = _("democratic appraisal")
        verbose_name_plural = _("democratic appraisals")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cluster__isnull=False, village__isnull=True)
                | models.Q(cluster__isnull=True, village__isnull=False),
                name="appraisal_of_cluster_or_village",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} · {self.year}-{self.half}"

    @property
    def organisation_name(self) -> str:
        return str(self.cluster or self.village)


class AppraisalResult(AuditedModel):
    """One party member's votes by grade, counted, and the grade the county's rule derives from them."""

    appraisal = link_field(Appraisal, _("democratic appraisal"), related_name="results")
    member = models.CharField(_("party member"), max_length=50)
    unit = models.CharField(_("unit or post"), max_length=100, blank=True)
    excellent = models.PositiveIntegerField(_("excellent votes"), default=0)
    qualified = models.PositiveIntegerField(_("qualified votes"), default=0)
    basic = models.PositiveIntegerField(_("basically qualified votes"), default=0)
    unqualified = models.PositiveIntegerField(_("unqualified votes"), default=0)
    grade = models.CharField(_("result"), max_length=16, choices=appraisal_rule.GRADE_CHOICES)
    helper = models.CharField(_("named helper"), max_length=50, blank=True)

    scope_through = "appraisal"

    class Meta:
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "member"], name="one_result_per_member"),
            models.CheckConstraint(
                condition=~models.Q(grade="unqualified") | ~models.Q(helper=""), name="unqualified_has_helper"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_grade_display()}"

    @property
    def votes(self) -> appraisal_rule.Votes:
        return appraisal_rule.Votes(self.excellent, self.qualified, self.basic, self.unqualified)


class HelpFollowUp(DatedNote):
    """专人帮促: a dated note of the named helper's work with an unqualified member."""

    result = link_field(AppraisalResult, _("appraisal result"), related_name="follow_ups")
    note = models.TextField(_("what was done"), max_length=1000)
    recorded_by = actor_field(_("recorded by"))

    scope_through = "result"
    text_field = "note"

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["on_date", "pk"]


class StarRating(AuditedModel):
    """星级评定 of a 党员中心户 or 网格员 (seed 002), with the satisfaction survey behind it."""

    class Post(models.TextChoices):
        CENTRAL_HOUSEHOLD = "central_household", _("Party member central household")
        GRID_WORKER = "grid_worker", _("Grid worker")

    village = link_field("villages.Village", _("village"), related_name="+")
    person = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    surveyed = models.PositiveIntegerField(_("people surveyed"), validators=[MinValueValidator(1)])
    satisfied = models.PositiveIntegerField(_("satisfied"))
    recorded_by = actor_field(_("recorded by"))

    scope_through = "village"

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["-year", "village__code", "person"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfied__lte=models.F("surveyed")), name="satisfied_within_surveyed"
            ),
            models.UniqueConstraint(fields=["village", "person", "post", "year"], name="one_rating_per_person_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_post_display()})"

    @property
    def satisfaction_tenths(self) -> int:
        return rules.rate_tenths(self.satisfied, self.surveyed) or 0

    @property
    def satisfaction(self) -> str:
        return rules.format_rate(self.satisfied, self.surveyed)

    @property
    def is_below_threshold(self) -> bool:
        """Seed 002: 群众满意度低于80% — exact integer comparison, 80% itself is not below."""
        return rules.below_satisfaction(self.satisfied, self.surveyed)


# ---------------------------------------------------------------------------- urban partners' contributions


class ContributionKind(models.TextChoices):
    FUNDS = "funds", _("Funds invested (yuan)")
    PROJECTS = "projects", _("Projects started")
    JOBS = "jobs", _("Jobs created")
    INFORMATION = "information", _("Information items provided")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure spending (yuan)")
    HOT_ISSUES = "hot_issues", _("Hot issues solved")


MONEY_KINDS = frozenset({ContributionKind.FUNDS, ContributionKind.INFRASTRUCTURE})


class Contribution(VoidableModel):
    """What an urban partner brought a joint organisation (seed 004), dated and attributed."""

    cluster = link_field("clusters.Cluster", _("joint organisation"), related_name="+")
    partner_unit = link_field("villages.PartnerUnit", _("partner unit"), related_name="+")
    kind = models.CharField(pgettext_lazy("contribution", "kind"), max_length=16, choices=ContributionKind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    on_date = models.DateField(_("date"))
    description = models.CharField(_("what"), max_length=200)
    recorded_by = actor_field(_("recorded by"))

    scope_through = "cluster"

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-on_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner_unit} · {self.get_kind_display()} {self.amount}"
