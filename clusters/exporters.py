"""The clusters' downloads: the roster of clusters and officers, consent by village, and a cluster's profile PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exports import compilation, selectors
from exports.registry import PdfExporter, WorkbookExporter, register
from exports.xlsx import CODE, DATE, INT, PERCENT, TEXT, Column, WorkbookWriter, rate_value
from lianchun import clock, rates
from lianchun.scoping import get_visible_or_404

from .consent import mask_phone, threshold
from .models import Cluster


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def roster_sheets(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    columns = [
        Column(_("Township"), TEXT, 12),
        Column(_("Cluster"), TEXT, 18),
        Column(_("Form"), TEXT, 14),
        Column(_("Type"), TEXT, 12),
        Column(_("Status"), TEXT, 12),
        Column(_("Established on"), DATE, 12),
        Column(_("Village code"), CODE, 15),
        Column(_("Village"), TEXT, 14),
        Column(_("Lead village"), TEXT, 8),
        Column(_("Households"), INT, 9),
        Column(_("Registered population"), INT, 10),
        Column(_("Party members"), INT, 9),
        Column(_("Joined on"), DATE, 12),
    ]

    def members():
        for m in selectors.roster_rows(user):
            c = m.cluster
            yield [
                c.township.name,
                c.name,
                c.get_form_display(),
                c.get_kind_display(),
                c.get_status_display(),
                c.established_on,
                m.village.code,
                m.village.name,
                _yes_no(c.lead_village_id == m.village_id),
                m.village.households,
                m.village.population,
                m.village.party_members,
                m.joined_on,
            ]

    writer.add_sheet(
        name=_("Cluster roster"),
        title=_("%(place)s: roster of village clusters") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=members(),
    )
    officer_columns = [
        Column(_("Township"), TEXT, 12),
        Column(_("Cluster"), TEXT, 18),
        Column(_("Body"), TEXT, 18),
        Column(_("Officer's name"), TEXT, 10),
        Column(_("Post"), TEXT, 14),
        Column(_("Home village"), TEXT, 14),
        Column(_("Unit"), TEXT, 18),
        Column(_("Phone"), TEXT, 14),
    ]

    def officers():
        for o in selectors.officer_rows(user):
            yield [
                o.cluster.township.name,
                o.cluster.name,
                o.get_body_display(),
                o.name,
                o.post,
                o.home_village.name if o.home_village else "",
                o.unit,
                mask_phone(o.phone),
            ]

    writer.add_sheet(
        name=_("Cluster officers"),
        title=_("%(place)s: officers of village clusters") % {"place": place},
        unit=unit,
        as_of=today,
        columns=officer_columns,
        rows=officers(),
    )


def consent_sheet(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    columns = [
        Column(_("Township"), TEXT, 12),
        Column(_("Cluster"), TEXT, 18),
        Column(_("Status"), TEXT, 12),
        Column(_("Village code"), CODE, 15),
        Column(_("Village"), TEXT, 14),
        Column(_("Forms handed out"), INT, 10),
        Column(_("Forms returned"), INT, 10),
        Column(_("Agree"), INT, 8),
        Column(_("Disagree"), INT, 8),
        Column(_("Invalid"), INT, 8),
        Column(_("Returned rate"), PERCENT, 10),
        Column(rates.AGREE_RATE_LABEL, PERCENT, 14),
        Column(_("Meets the %(threshold)s%% rule") % {"threshold": threshold()}, TEXT, 9),
        Column(_("Agreeing forms still needed"), INT, 11),
    ]

    def rows():
        for item in selectors.consent_rows(user):
            tally, survey = item.tally, item.survey
            yield [
                survey.cluster.township.name,
                survey.cluster.name,
                survey.cluster.get_status_display(),
                survey.village.code,
                survey.village.name,
                tally.handed_out,
                tally.returned,
                tally.agree,
                tally.disagree,
                tally.invalid,
                rates.describe_fraction(tally.returned, tally.handed_out),
                rate_value(tally.agree, tally.handed_out),
                _("No forms handed out yet") if tally.handed_out == 0 else _yes_no(tally.passes),
                None if tally.handed_out == 0 else tally.forms_needed,
            ]

    writer.add_sheet(
        name=_("Consent"),
        title=_("%(place)s: consent to village clusters by village") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=rows(),
        note=_(
            "Agree rate = agreeing forms ÷ forms handed out; truncated to one decimal place, never rounded up. "
            "The returned rate is rounded half up, as Excel's ROUND does."
        ),
    )


@register
class ClusterRosterExporter(WorkbookExporter):
    identifier = "roster"
    verbose_name = gettext_lazy("Cluster roster")
    order = 10

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        roster_sheets(writer, user)


@register
class ConsentExporter(WorkbookExporter):
    identifier = "consent"
    verbose_name = gettext_lazy("Consent by village")
    order = 20

    def sheets(self, writer: WorkbookWriter, user: Any, form_data: dict[str, Any]) -> None:
        consent_sheet(writer, user)


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
