"""The clusters' downloads: the roster of clusters and officers, consent by village, and a cluster's profile PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports import compilation, selectors
from exports.registry import PdfExporter, register
from exports.sheets import (
    AGREE_RATE,
    CLUSTER,
    FORMS_HANDED_OUT,
    FORMS_RETURNED,
    STATUS,
    TOWNSHIP,
    VILLAGE,
    VILLAGE_CODE,
    Sheet,
    SheetsExporter,
    yes_no,
)
from exports.xlsx import DATE, INT, PERCENT, TEXT, Column, rate_value
from lianchun import clock, rates
from lianchun.phones import mask_phone
from lianchun.scoping import get_visible_or_404

from .consent import threshold
from .models import Cluster

ROSTER = Sheet(
    name=gettext_lazy("Cluster roster"),
    title=gettext_lazy("%(place)s: roster of village clusters"),
    records=selectors.roster_rows,
    columns=[
        TOWNSHIP.of("cluster.township.name"),
        CLUSTER.of("cluster.name"),
        Column(gettext_lazy("Form"), TEXT, 14, "cluster.get_form_display"),
        Column(gettext_lazy("Type"), TEXT, 12, "cluster.get_kind_display"),
        STATUS.of("cluster.get_status_display"),
        Column(gettext_lazy("Established on"), DATE, 12, "cluster.established_on"),
        VILLAGE_CODE.of("village.code"),
        VILLAGE.of("village.name"),
        Column(gettext_lazy("Lead village"), TEXT, 8, lambda m: yes_no(m.cluster.lead_village_id == m.village_id)),
        Column(gettext_lazy("Households"), INT, 9, "village.households"),
        Column(gettext_lazy("Registered population"), INT, 10, "village.population"),
        Column(gettext_lazy("Party members"), INT, 9, "village.party_members"),
        Column(gettext_lazy("Joined on"), DATE, 12, "joined_on"),
    ],
)
OFFICERS = Sheet(
    name=gettext_lazy("Cluster officers"),
    title=gettext_lazy("%(place)s: officers of village clusters"),
    records=selectors.officer_rows,
    columns=[
        TOWNSHIP.of("cluster.township.name"),
        CLUSTER.of("cluster.name"),
        Column(gettext_lazy("Body"), TEXT, 18, "get_body_display"),
        Column(gettext_lazy("Officer's name"), TEXT, 10, "name"),
        Column(gettext_lazy("Post"), TEXT, 14, "post"),
        Column(gettext_lazy("Home village"), TEXT, 14, "home_village.name"),
        Column(gettext_lazy("Unit"), TEXT, 18, "unit"),
        Column(gettext_lazy("Phone"), TEXT, 14, lambda officer: mask_phone(officer.phone)),
    ],
)


def _meets_rule(item) -> str:
    return _("No forms handed out yet") if item.tally.handed_out == 0 else yes_no(item.tally.passes)


def _rule_heading() -> str:
    """The rule's column names the threshold in force when the workbook is made."""
    return _("Meets the %(threshold)s%% rule") % {"threshold": threshold()}


CONSENT = Sheet(
    name=gettext_lazy("Consent"),
    title=gettext_lazy("%(place)s: consent to village clusters by village"),
    records=selectors.consent_rows,
    columns=[
        TOWNSHIP.of("survey.cluster.township.name"),
        CLUSTER.of("survey.cluster.name"),
        STATUS.of("survey.cluster.get_status_display"),
        VILLAGE_CODE.of("survey.village.code"),
        VILLAGE.of("survey.village.name"),
        FORMS_HANDED_OUT.of("tally.handed_out"),
        FORMS_RETURNED.of("tally.returned"),
        Column(gettext_lazy("Agree"), INT, 8, "tally.agree"),
        Column(gettext_lazy("Disagree"), INT, 8, "tally.disagree"),
        Column(gettext_lazy("Invalid"), INT, 8, "tally.invalid"),
        Column(
            gettext_lazy("Returned rate"),
            PERCENT,
            10,
            lambda item: rates.describe_fraction(item.tally.returned, item.tally.handed_out),
        ),
        AGREE_RATE.of(lambda item: rate_value(item.tally.agree, item.tally.handed_out)),
        Column(lazy(_rule_heading, str)(), TEXT, 9, _meets_rule),
        Column(
            gettext_lazy("Agreeing forms still needed"),
            INT,
            11,
            lambda item: None if item.tally.handed_out == 0 else item.tally.forms_needed,
        ),
    ],
    note=gettext_lazy(
        "Agree rate = agreeing forms ÷ forms handed out; truncated to one decimal place, never rounded up. "
        "The returned rate is rounded half up, as Excel's ROUND does."
    ),
)

register(SheetsExporter("roster", gettext_lazy("Cluster roster"), [ROSTER, OFFICERS], order=10))
register(SheetsExporter("consent", gettext_lazy("Consent by village"), [CONSENT], order=20))


@register
class ClusterProfileExporter(PdfExporter):
    """One cluster's members, officers, consent per village, timeline and latest weekly reports."""

    identifier = "cluster-profile"
    verbose_name = gettext_lazy("Cluster profile")
    template_name = "exports/cluster_profile_pdf.html"
    order = 130
    listed = False  # offered beside each cluster

    @property
    def form_fields(self) -> dict[str, forms.Field]:
        return {"cluster": forms.IntegerField(widget=forms.HiddenInput)}

    def cluster(self, user: Any, form_data: dict[str, Any]) -> Cluster:
        return get_visible_or_404(
            Cluster.objects.select_related("township__county", "lead_village", "partner_unit"),
            user,
            pk=form_data["cluster"],
        )

    def context(self, user: Any, form_data: dict[str, Any]) -> dict[str, Any]:
        cluster = self.cluster(user, form_data)
        return {
            "profile": selectors.cluster_profile(user, cluster),
            "weekly_reports": compilation.latest_reports(user, cluster),
        }

    def filename(self, user: Any, form_data: dict[str, Any]) -> str:
        cluster = self.cluster(user, form_data)
        return _("%(cluster)s profile %(day)s.pdf") % {"cluster": cluster.name, "day": f"{clock.today():%Y%m%d}"}
