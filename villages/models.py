from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun import clock
from lianchun.events import change_label
from lianchun.models import (
    AuditedModel,
    DetailPage,
    OfficialModel,
    StoredUpload,
    VoidableModel,
    actor_field,
    link_field,
)
from lianchun.scoping import ScopedManager
from lianchun.states import InState

from .codes import validate_county_code, validate_township_code, validate_village_code


class Province(AuditedModel):
    """A province (省): the top tier; its office sees every county of its cities."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class City(AuditedModel):
    """A city (市) above counties (seed 004: the city compares its counties and circulates the results)."""

    province = link_field(Province, _("province"), related_name="cities")
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class County(AuditedModel):
    # Nullable so counties recorded before the city tier existed keep working; a county
    # with no city is seen by its own county roles only.
    city = link_field(City, _("city"), optional=True, related_name="counties")
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)

    scope_township_path = None
    scope_county_path = "pk"

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validate_county_code(self.code)


class Township(AuditedModel):
    county = link_field(County, _("county"), related_name="townships")
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)

    scope_township_path = "pk"
    scope_county_path = "county_id"

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validate_township_code(self.code, self.county.code if self.county_id else None)


class Standing(models.TextChoices):
    ADVANCED = "advanced", _("Advanced")
    AVERAGE = "average", _("Average")
    LAGGING = "lagging", _("Lagging")


class Village(DetailPage, VoidableModel):
    township = link_field(Township, _("township"), related_name="villages")
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("registered population"), default=0)
    party_members = models.PositiveIntegerField(_("party members"), default=0)
    collective_income = models.DecimalField(_("collective income (yuan)"), max_digits=14, decimal_places=2, default=0)
    standing = models.CharField(_("standing"), max_length=16, choices=Standing.choices, default=Standing.AVERAGE)
    is_weak = models.BooleanField(_("weak and lax party organisation"), default=False)

    scope_township_path = "township_id"
    scope_county_path = "township__county_id"
    detail_url = "villages:village-detail"

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(collective_income__gte=0), name="village_income_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        validate_village_code(self.code, self.township.code if self.township_id else None)
        if self.population and self.households and self.households > self.population:
            raise ValidationError({"households": _("Households cannot exceed the registered population.")})

    is_lagging = InState(Standing.LAGGING, field="standing")

    def weak_mark_follows_a_plan(self) -> bool:
        """While the village has a rectification plan, its 软弱涣散 mark is the plan's to change, not a form's.

        Closing the plan out (销号) lifts the mark and reopening it sets the mark again (`rectification.workflows`),
        so the count of weak villages cannot drop while the village is still being rectified.
        """
        return self.rectification_plans.filter(voided_at__isnull=True).exists()


WEAK_MARK_FOLLOWS_PLAN = _(
    "The weak-and-lax mark of a village with a rectification plan follows the plan: it is lifted when the plan is "
    "closed out and set again when the plan is reopened."
)


class StandingChange(OfficialModel):
    """A village's standing over time (seed 000: which lagging villages were transformed, and when)."""

    village = link_field(Village, _("village"), related_name="standing_changes")
    from_standing = models.CharField(_("from"), max_length=16, choices=Standing.choices, blank=True)
    to_standing = models.CharField(_("to"), max_length=16, choices=Standing.choices)
    effective_date = models.DateField(_("effective from"))
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = actor_field(_("recorded by"), null=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=clock.now, editable=False)

    scope_through = "village"

    class Meta:
        verbose_name = _("standing change")
        verbose_name_plural = _("standing changes")
        ordering = ["-effective_date", "-recorded_at"]

    def __str__(self) -> str:
        return change_label(self.get_from_standing_display(), self.get_to_standing_display(), of=self.village)


class PartnerUnit(VoidableModel):
    """An urban unit that joins villages in an urban–rural cluster (seed 004)."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community residents' committee")
        ENTERPRISE = "enterprise", _("Enterprise")
        DEPARTMENT = "department", _("Government department")

    county = link_field(County, _("county"), related_name="partner_units")
    township = link_field(Township, _("township"), optional=True, related_name="partner_units")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(pgettext_lazy("partner unit", "kind"), max_length=16, choices=Kind.choices)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    # Partner units serve the whole county; township cadres see them to propose urban–rural clusters.
    scope_township_path = "county__townships"
    scope_county_path = "county_id"

    class Meta:
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RosterUpload(StoredUpload):
    """An uploaded roster kept between preview and confirmation."""

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+", null=True, blank=True)

    scope_township_path = "township_id"
    scope_county_path = "county_id"

    objects = ScopedManager()
