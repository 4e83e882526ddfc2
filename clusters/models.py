"""Clusters (联村): an overlay joining villages under one party general branch (seed 000, seed 004).

A cluster never merges village records; it points at them through memberships.
Its life cycle (拟组建 → 征求意见 → 报县审核 → 已组建, 退回修改, 已撤销) is declared in
`clusters.workflows`; every step leaves a ClusterEvent. Consent is collected per
member village in a ConsentSurvey, as dated ConsentBatches; totals are always
computed from the batches, never typed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lianchun import phones
from lianchun.events import TransitionEvent
from lianchun.models import (
    AuditedModel,
    DetailPage,
    StoredUpload,
    TownshipTally,
    VoidableModel,
    actor_field,
    link_field,
)
from lianchun.scoping import ScopedManager
from lianchun.states import InState
from lianchun.text import chinese_date
from villages.models import County, PartnerUnit, Township, Village

from . import consent


class Form(models.TextChoices):
    VILLAGE_CLUSTER = "village", _("Village cluster")
    URBAN_RURAL = "urban_rural", _("Urban–rural joint cluster")


class Kind(models.TextChoices):
    STRONG_WEAK = "strong_weak", _("Strong with weak")
    INDUSTRY = "industry", _("Shared industry")
    BRAND = "brand", _("Brand-led")
    VILLAGE_COMMUNITY = "village_community", _("Village with community")
    VILLAGE_ENTERPRISE = "village_enterprise", _("Village with enterprise")
    DEPARTMENT_VILLAGE = "department_village", _("Department with village")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONSULTING = "consulting", _("Consultation")
    SUBMITTED = "submitted", _("Submitted to the county")
    ESTABLISHED = "established", _("Established")
    RETURNED = "returned", _("Returned for revision")
    DISSOLVED = "dissolved", _("Dissolved")


# States in which the township still shapes the proposal (members, tallies, documents).
EDITABLE_STATUSES = frozenset({Status.PROPOSED, Status.CONSULTING, Status.RETURNED})
# States in which consent batches may be recorded.
CONSENT_STATUSES = frozenset({Status.CONSULTING, Status.RETURNED})
# States that hold the member villages (a village is in at most one per form).
ACTIVE_STATUSES = frozenset({Status.PROPOSED, Status.CONSULTING, Status.SUBMITTED, Status.ESTABLISHED, Status.RETURNED})
# The badge each state wears in lists and on the cluster page.
STATUS_BADGES = {
    Status.ESTABLISHED: "text-bg-success",
    Status.SUBMITTED: "text-bg-primary",
    Status.RETURNED: "text-bg-warning",
    Status.CONSULTING: "text-bg-info",
    Status.DISSOLVED: "text-bg-dark",
}


class Cluster(DetailPage, AuditedModel):
    township = link_field(Township, _("township"), related_name="clusters")
    name = models.CharField(_("name"), max_length=100)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.VILLAGE_CLUSTER)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, default=Kind.STRONG_WEAK)
    partner_unit = link_field(PartnerUnit, _("partner unit"), optional=True, related_name="clusters")
    lead_village = link_field(Village, _("lead village"), optional=True, related_name="led_clusters")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    is_pilot = models.BooleanField(_("pilot"), default=False)
    reason_ties = models.BooleanField(_("close ties between the villages"), default=False)
    reason_identity = models.BooleanField(_("the people identify with each other"), default=False)
    reason_shared_interest = models.BooleanField(_("shared interests"), default=False)
    reason_cluster_effect = models.BooleanField(_("a clear cluster effect"), default=False)
    selection_note = models.TextField(_("why these villages"), blank=True)
    charter = models.TextField(_("charter"), blank=True)
    work_plan = models.TextField(_("work plan"), blank=True)
    work_scope = models.TextField(_("scope of work"), blank=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    # The day the consent forms went out, as the township recorded it on starting the consultation (it may
    # record the step a day or two after the forms went out house by house).
    consultation_began_on = models.DateField(_("consultation began on"), null=True, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # When the county approved it: a week whose report deadline had passed by then is not owed, even when the
    # establishment date is set back to the submission (reports.completeness).
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    created_by = actor_field(_("proposed by"), null=True)

    scope_township_path = "township_id"
    scope_county_path = "township__county_id"
    detail_url = "clusters:cluster-detail"

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["township__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(form="village", partner_unit__isnull=True) | models.Q(form="urban_rural"),
                name="cluster_partner_unit_only_urban_rural",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    is_editable = InState(*EDITABLE_STATUSES)
    accepts_consent = InState(*CONSENT_STATUSES)
    is_active = InState(*ACTIVE_STATUSES)
    before_consultation = InState(Status.PROPOSED)
    is_under_review = InState(Status.SUBMITTED)

    @property
    def documents_editable(self) -> bool:
        """Charter, plan and scope change except while the county reviews and after dissolution."""
        return self.is_active and not self.is_under_review

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-secondary")

    @property
    def selection_reasons(self) -> list[str]:
        names = ["reason_ties", "reason_identity", "reason_shared_interest", "reason_cluster_effect"]
        return [str(self._meta.get_field(name).verbose_name) for name in names if getattr(self, name)]


class ClusterMembership(AuditedModel):
    """A village in a cluster from `joined_on` until `left_on`; at most one active per form."""

    cluster = link_field(Cluster, _("cluster"), related_name="memberships")
    village = link_field(Village, _("village"), related_name="cluster_memberships")
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_through = "cluster"

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        ordering = ["village__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "form"],
                condition=models.Q(is_active=True),
                name="one_active_cluster_per_form_per_village",
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True, left_on__isnull=True)
                | models.Q(is_active=False, left_on__isnull=False),
                name="membership_left_on_iff_inactive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.village}"


class ClusterEvent(TransitionEvent):
    """One step of the life cycle: who moved the cluster, when, from what to what, and the opinion."""

    cluster = link_field(Cluster, _("cluster"), related_name="events")
    from_status = models.CharField(_("from status"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=Status.choices)
    opinion = models.TextField(_("opinion"), blank=True)

    scope_through = "cluster"

    class Meta(TransitionEvent.Meta):
        verbose_name = _("cluster event")
        verbose_name_plural = _("cluster events")


class ClusterOfficer(VoidableModel):
    """A person on the 联村党总支, the 联村委员会 or the township's 工作组."""

    class Body(models.TextChoices):
        PARTY_BRANCH = "party_branch", _("Cluster party general branch")
        COMMITTEE = "committee", _("Cluster committee")
        WORK_GROUP = "work_group", _("Township work group")

    cluster = link_field(Cluster, _("cluster"), related_name="officers")
    body = models.CharField(_("body"), max_length=16, choices=Body.choices)
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=50)
    home_village = link_field(Village, _("home village"), optional=True, related_name="+")
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    scope_through = "cluster"

    class Meta:
        verbose_name = _("cluster officer")
        verbose_name_plural = _("cluster officers")
        ordering = ["body", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.post})"

    @property
    def masked_phone(self) -> str:
        return phones.mask_phone(self.phone)


class ConsentSurvey(AuditedModel):
    """The consent forms (征求意见表) of one member village: handed out, and the batches returned."""

    cluster = link_field(Cluster, _("cluster"), related_name="surveys")
    village = link_field(Village, _("village"), related_name="consent_surveys")
    handed_out = models.PositiveIntegerField(_("forms handed out"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    scope_through = "cluster"

    class Meta:
        verbose_name = _("consent survey")
        verbose_name_plural = _("consent surveys")
        ordering = ["village__code"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "village"], name="one_consent_survey_per_cluster_village"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster} · {self.village}"

    def tally(self, batches=None) -> consent.Tally:
        """Totals from the (non-voided) batches; pass prefetched batches to avoid a query."""
        if batches is None:
            batches = self.batches.filter(voided_at__isnull=True)
        else:
            batches = [b for b in batches if b.voided_at is None]
        tally = consent.Tally(handed_out=self.handed_out)
        for batch in batches:
            tally = tally.plus(batch.returned, batch.agree, batch.disagree, batch.invalid)
        return tally


class ConsentBatch(VoidableModel):
    """Forms that came back together, counted on one date; corrected by an audited edit or voided."""

    survey = link_field(ConsentSurvey, _("consent survey"), related_name="batches")
    batch_date = models.DateField(_("date"))
    returned = models.PositiveIntegerField(_("returned"))
    agree = models.PositiveIntegerField(_("agree"))
    disagree = models.PositiveIntegerField(_("disagree"))
    invalid = models.PositiveIntegerField(_("invalid"))
    note = models.CharField(_("batch note"), max_length=200, blank=True)
    recorded_by = actor_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    scope_through = "survey"

    class Meta:
        verbose_name = _("consent batch")
        verbose_name_plural = _("consent batches")
        ordering = ["batch_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned=models.F("agree") + models.F("disagree") + models.F("invalid")),
                name="consent_batch_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} {chinese_date(self.batch_date)}"


class ConsentOpinion(AuditedModel):
    """An opinion or suggestion (意见建议) gathered in consultation, and how it was answered."""

    class Source(models.TextChoices):
        JOINT_MEETING = "joint_meeting", _("Joint meeting of party members and cadres")
        FORUM = "forum", _("Villagers' forum")
        HOUSE_VISIT = "house_visit", _("House visit")

    cluster = link_field(Cluster, _("cluster"), related_name="opinions")
    village = link_field(Village, _("village"), optional=True, related_name="+")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("opinion or suggestion"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    recorded_by = actor_field(_("recorded by"))

    scope_through = "cluster"

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return self.content[:30]

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class ModelCharter(AuditedModel):
    """The county's model charter text (章程范本); each new cluster's charter starts from it."""

    county = models.OneToOneField(
        County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="model_charter"
    )
    text = models.TextField(_("model charter"))
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = actor_field(_("updated by"), null=True)

    scope_township_path = "county__townships"
    scope_county_path = "county_id"

    class Meta:
        verbose_name = _("model charter")
        verbose_name_plural = _("model charters")

    def __str__(self) -> str:
        return str(self.county)


class ConsentUpload(StoredUpload):
    """An uploaded consent tally workbook kept between preview and confirmation (not an official record)."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+")

    scope_township_path = "township_id"
    scope_county_path = "township__county_id"

    objects = ScopedManager()


class CoverageTally(TownshipTally):
    """One township's coverage figures, kept as they change: its villages, and how many of them are in clusters.

    A city or province reads coverage (seed 004's 覆盖) from these rows, one per township, instead of counting
    20,000 villages and their memberships on every 工作台. `clusters.tallies` recounts a township's row inside
    the transaction of every save of one of its villages, clusters or memberships, so the row is never stale.
    """

    villages = models.PositiveIntegerField(default=0)
    lagging = models.PositiveIntegerField(default=0)
    weak = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)
    clustered_villages = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("coverage tally")
        verbose_name_plural = _("coverage tallies")
        constraints = [models.UniqueConstraint(fields=["township"], name="coverage_tally_one_per_township")]

    def __str__(self) -> str:
        return f"{self.township_id}: {self.clustered_villages}/{self.villages}"
