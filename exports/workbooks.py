"""The county workbooks: which sheets each download holds, and what each column shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.consent import mask_phone, threshold
from lianchun import clock

from . import more_sheets, selectors
from .xlsx import CODE, DATE, INT, PERCENT, TEXT, Column, WorkbookWriter, rate_value


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def township_sheet(writer: WorkbookWriter, user: Any) -> None:
    summary = selectors.county_summary(user)
    columns = [
        Column(_("Township code"), CODE, 15),
        Column(_("Township"), TEXT, 14),
        Column(_("Number of villages"), INT, 9),
        Column(_("Clusters established"), INT, 11),
        Column(_("Villages in clusters"), INT, 11),
        Column(_("Share of villages"), PERCENT, 11),
        Column(_("Lagging villages"), INT, 10),
        Column(_("Forms handed out"), INT, 11),
        Column(_("Forms returned"), INT, 11),
        Column(_("Agreeing forms"), INT, 11),
        Column(_("Agree rate"), PERCENT, 10),
    ]

    def rows():
        for row in [*summary.townships, summary.totals]:
            township = row.township
            yield [
                township.code if township else "",
                township.name if township else _("Total"),
                row.villages,
                row.clusters,
                row.clustered_villages,
                rate_value(row.clustered_villages, row.villages),
                row.lagging,
                row.handed_out,
                row.returned,
                row.agree,
                rate_value(row.agree, row.handed_out),
            ]

    writer.add_sheet(
        name=_("Summary by township"),
        title=_("%(place)s: village clusters by township") % {"place": summary.place},
        unit=summary.unit,
        as_of=summary.as_of,
        columns=columns,
        rows=rows(),
        note=_("Rates are truncated to one decimal place, never rounded up."),
    )


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
        Column(_("Agree rate"), PERCENT, 10),
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
                rate_value(tally.returned, tally.handed_out),
                rate_value(tally.agree, tally.handed_out),
                _yes_no(tally.passes),
                tally.forms_needed,
            ]

    writer.add_sheet(
        name=_("Consent"),
        title=_("%(place)s: consent to village clusters by village") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=rows(),
        note=_("Agree rate = agreeing forms ÷ forms handed out; truncated to one decimal place."),
    )


def _weekly(writer: WorkbookWriter, user: Any, weeks: tuple | None = None) -> None:
    more_sheets.weekly_sheet(writer, user, *(weeks or (None, None)))


def _completeness(writer: WorkbookWriter, user: Any, weeks: tuple | None = None) -> None:
    more_sheets.completeness_sheet(writer, user, *(weeks or (None, None)))


TOPICS: dict[str, tuple[Any, list[Callable[..., None]]]] = {
    "county": (
        gettext_lazy("County workbook"),
        [
            township_sheet,
            roster_sheets,
            consent_sheet,
            _completeness,
            _weekly,
            more_sheets.rectification_sheets,
            more_sheets.ledger_sheet,
            more_sheets.meeting_issues_sheet,
        ],
    ),
    "roster": (gettext_lazy("Cluster roster"), [roster_sheets]),
    "consent": (gettext_lazy("Consent by village"), [consent_sheet]),
    "weekly": (gettext_lazy("Weekly reports"), [_weekly]),
    "completeness": (gettext_lazy("Weekly report completeness"), [_completeness]),
    "rectification": (gettext_lazy("Rectification plans and items"), [more_sheets.rectification_sheets]),
    "ledgers": (gettext_lazy("Three ledgers totals"), [more_sheets.ledger_sheet]),
    "meeting-issues": (gettext_lazy("Open meeting issues"), [more_sheets.meeting_issues_sheet]),
}
WEEK_SHEETS = {_weekly, _completeness}


def build_workbook(topic: str, user: Any, *, weeks: tuple | None = None) -> bytes:
    """The workbook of `topic`; `weeks` = (first, last) for the weekly sheets, the last eight weeks by default."""
    writer = WorkbookWriter()
    for sheet in TOPICS[topic][1]:
        if sheet in WEEK_SHEETS:
            sheet(writer, user, weeks)
        else:
            sheet(writer, user)
    return writer.to_bytes()
