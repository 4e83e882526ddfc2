"""Sheets over weekly reports, completeness, rectification, the 三本台账 and open meeting issues."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lianchun import clock
from meetings.models import MeetingIssue
from rectification import selectors as rectification_selectors
from rectification.models import PlanStatus, RectificationItem, RectificationPlan
from reports import selectors as report_selectors
from reports.weeks import Week, reporting_week, weeks_between
from villages.models import Township

from . import selectors
from .xlsx import CODE, DATE, INT, PERCENT, TEXT, Column, WorkbookWriter, rate_value

WEEKS_IN_RANGE = 8


def default_range() -> tuple[Week, Week]:
    last = reporting_week()
    first = last
    for _index in range(WEEKS_IN_RANGE - 1):
        first = first.previous()
    return first, last


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def weekly_sheet(writer: WorkbookWriter, user: Any, first: Week | None = None, last: Week | None = None) -> None:
    if first is None or last is None:
        first, last = default_range()
    reports = (
        report_selectors.reports_between(user, first, last)
        .select_related("cluster__township")
        .order_by("iso_year", "iso_week", "cluster__township__code", "cluster__name")
        .iterator(chunk_size=2000)
    )
    columns = [
        Column(_("Week"), TEXT, 11),
        Column(_("Township"), TEXT, 12),
        Column(_("Cluster"), TEXT, 16),
        Column(_("State"), TEXT, 10),
        Column(_("First submitted on"), DATE, 12),
        Column(_("Late"), TEXT, 6),
        Column(_("Meetings held"), INT, 8),
        Column(_("Households visited"), INT, 8),
        Column(_("Opinions collected"), INT, 8),
        Column(_("Issues solved"), INT, 8),
        Column(pgettext("weekly report", "Progress"), TEXT, 40),
        Column(_("Problems"), TEXT, 30),
        Column(pgettext("weekly report", "Next week"), TEXT, 30),
        Column(_("Needs county coordination"), TEXT, 30),
    ]

    def rows():
        for r in reports:
            yield [
                r.week.key,
                r.cluster.township.name,
                r.cluster.name,
                r.get_state_display(),
                _local_date(r.first_submitted_at),
                _yes_no(r.is_late),
                r.meetings_held,
                r.households_visited,
                r.opinions_collected,
                r.issues_solved,
                r.progress,
                r.problems,
                r.next_week_plan,
                r.coordination,
            ]

    writer.add_sheet(
        name=_("Weekly reports"),
        title=_("%(place)s: weekly reports, %(first)s to %(last)s")
        % {"place": selectors.scope_title(user), "first": first.key, "last": last.key},
        unit=selectors.unit_name(user),
        as_of=clock.today(),
        columns=columns,
        rows=rows(),
    )


def completeness_sheet(writer: WorkbookWriter, user: Any, first: Week | None = None, last: Week | None = None) -> None:
    if first is None or last is None:
        first, last = default_range()
    result = report_selectors.completeness_for(user, first, last)
    grid = result.grid
    weeks = weeks_between(first, last)
    columns = [Column(_("Township"), TEXT, 12)]
    columns += [Column(week.key, PERCENT, 10) for week in weeks]
    columns += [
        Column(_("Expected"), INT, 8),
        Column(_("Arrived"), INT, 8),
        Column(_("On time"), INT, 8),
        Column(_("Reporting rate"), PERCENT, 10),
        Column(_("On-time rate"), PERCENT, 10),
    ]

    def line(label, cells, total):
        return [
            label,
            *[rate_value(c.arrived, c.expected) for c in cells],
            total.expected,
            total.arrived,
            total.on_time,
            rate_value(total.arrived, total.expected),
            rate_value(total.on_time, total.expected),
        ]

    def rows():
        for township in result.townships:
            yield line(township.name, [grid.cell(township.pk, w) for w in weeks], grid.by_township[township.pk])
        yield line(_("Total"), [grid.by_week[w] for w in weeks], grid.total)

    writer.add_sheet(
        name=_("Completeness"),
        title=_("%(place)s: weekly report completeness, %(first)s to %(last)s")
        % {"place": selectors.scope_title(user), "first": first.key, "last": last.key},
        unit=selectors.unit_name(user),
        as_of=clock.today(),
        columns=columns,
        rows=rows(),
        note=_("Each week column is the share of expected reports that arrived; empty where no report was expected."),
    )


def rectification_sheets(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    plans = (
        RectificationPlan.objects.visible_to(user)
        .filter(voided_at__isnull=True)
        .select_related("village__township", "county_leader")
        .order_by("village__township__code", "village__code")
    )
    columns = [
        Column(_("Township"), TEXT, 12),
        Column(_("Village code"), CODE, 15),
        Column(_("Village"), TEXT, 12),
        Column(_("Stage"), TEXT, 14),
        Column(_("County leader (contact)"), TEXT, 12),
        Column(_("Key-contact class"), TEXT, 18),
        Column(_("Work team"), TEXT, 16),
        Column(_("First secretary"), TEXT, 10),
        Column(_("Review rounds"), INT, 8),
        Column(_("Approved on"), DATE, 12),
        Column(_("Closed out on"), DATE, 12),
        Column(_("Times reopened"), INT, 8),
    ]
    writer.add_sheet(
        name=_("Rectification plans"),
        title=_("%(place)s: rectification of weak and lax village party organisations") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=(
            [
                p.village.township.name,
                p.village.code,
                p.village.name,
                p.get_status_display(),
                str(p.county_leader) if p.county_leader_id else "",
                p.get_contact_class_display(),
                p.work_team,
                p.first_secretary,
                p.rounds,
                p.approved_on,
                p.closed_on,
                p.reopen_count,
            ]
            for p in plans
        ),
    )
    items = (
        RectificationItem.objects.visible_to(user)
        .filter(voided_at__isnull=True, plan__voided_at__isnull=True)
        .select_related("plan__village__township")
        .order_by("plan__village__township__code", "plan__village__code", "deadline", "pk")
    )
    item_columns = [
        Column(_("Township"), TEXT, 12),
        Column(_("Village"), TEXT, 12),
        Column(_("Stage"), TEXT, 12),
        Column(_("Class"), TEXT, 10),
        Column(_("Problem found"), TEXT, 36),
        Column(_("Measure"), TEXT, 36),
        Column(_("Responsible person"), TEXT, 10),
        Column(_("Deadline"), DATE, 12),
        Column(_("Completed on"), DATE, 12),
        Column(_("Days overdue"), INT, 8),
    ]

    def item_rows():
        for i in items:
            overdue = (today - i.deadline).days if i.completed_on is None and today > i.deadline else 0
            yield [
                i.plan.village.township.name,
                i.plan.village.name,
                i.plan.get_status_display(),
                i.get_governance_display(),
                i.problem,
                i.measure,
                i.responsible,
                i.deadline,
                i.completed_on,
                overdue,
            ]

    writer.add_sheet(
        name=_("Rectification items"),
        title=_("%(place)s: rectification items") % {"place": place},
        unit=unit,
        as_of=today,
        columns=item_columns,
        rows=item_rows(),
    )


def ledger_sheet(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    kinds = rectification_selectors.kinds_for(user)
    townships = {t.pk: t.name for t in Township.objects.visible_to(user).order_by("code")}
    entries = rectification_selectors.live_entries(user)
    matrix = rectification_selectors.ledger_matrix(entries, "village__township_id", townships, kinds)
    columns = [Column(_("Township"), TEXT, 12)]
    for kind in kinds:
        columns += [
            Column(_("%(ledger)s: collected") % {"ledger": kind.name}, INT, 10),
            Column(_("%(ledger)s: solved") % {"ledger": kind.name}, INT, 10),
        ]
    columns += [
        Column(pgettext("ledger total", "Collected"), INT, 9),
        Column(pgettext("ledger total", "Solved"), INT, 9),
        Column(pgettext("ledger total", "In progress"), INT, 9),
        Column(_("Share solved"), PERCENT, 9),
    ]

    def rows():
        totals = [[0, 0] for _kind in kinds]
        for row in matrix:
            values = [row["label"]]
            for index, cell in enumerate(row["cells"]):
                values += [cell.collected, cell.solved]
                totals[index][0] += cell.collected
                totals[index][1] += cell.solved
            t = row["total"]
            yield values + [t.collected, t.solved, t.in_progress, rate_value(t.solved, t.collected)]
        collected = sum(c for c, _s in totals)
        solved = sum(s for _c, s in totals)
        yield [
            _("Total"),
            *[n for pair in totals for n in pair],
            collected,
            solved,
            collected - solved,
            rate_value(solved, collected),
        ]

    writer.add_sheet(
        name=_("Three ledgers"),
        title=_("%(place)s: the three ledgers, matters collected and solved") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=rows(),
    )


def meeting_issues_sheet(writer: WorkbookWriter, user: Any) -> None:
    place, unit, today = selectors.scope_title(user), selectors.unit_name(user), clock.today()
    issues = (
        MeetingIssue.objects.visible_to(user)
        .open()
        .select_related("meeting", "township", "village")
        .order_by("due_date", "pk")
        .distinct()
    )
    columns = [
        Column(_("Meeting date"), DATE, 12),
        Column(pgettext("meeting kind", "Meeting"), TEXT, 12),
        Column(_("Topic"), TEXT, 24),
        Column(_("Township"), TEXT, 12),
        Column(_("Village"), TEXT, 12),
        Column(_("Raised by"), TEXT, 10),
        Column(_("Issue"), TEXT, 40),
        Column(_("Owner"), TEXT, 10),
        Column(_("Due by"), DATE, 12),
        Column(_("Days overdue"), INT, 8),
    ]
    writer.add_sheet(
        name=_("Open meeting issues"),
        title=_("%(place)s: issues raised at meetings and still open") % {"place": place},
        unit=unit,
        as_of=today,
        columns=columns,
        rows=(
            [
                i.meeting.date,
                i.meeting.get_kind_display(),
                i.meeting.topic,
                i.township.name if i.township_id else "",
                i.village.name if i.village_id else "",
                i.raised_by,
                i.description,
                i.owner,
                i.due_date,
                max(0, (today - i.due_date).days),
            ]
            for i in issues
        ),
    )


def extra_figures(user: Any) -> list[str]:
    """Headline lines for the county summary from weekly reports, rectification and the ledgers."""
    lines = []
    week = reporting_week().previous()
    grid = report_selectors.completeness_for(user, week, week).grid
    lines.append(
        _("Weekly reports for %(week)s: %(arrived)s of %(expected)s arrived (%(rate)s), %(on_time)s on time.")
        % {
            "week": week.short_label,
            "arrived": grid.total.arrived,
            "expected": grid.total.expected,
            "rate": grid.total.reporting_rate,
            "on_time": grid.total.on_time,
        }
    )
    counts = {status: 0 for status in PlanStatus.values}
    for status in (
        RectificationPlan.objects.visible_to(user).filter(voided_at__isnull=True).values_list("status", flat=True)
    ):
        counts[status] += 1
    stages = "；".join(f"{label} {counts[value]}" for value, label in PlanStatus.choices)
    lines.append(_("Villages under rectification by stage: %(stages)s.") % {"stages": stages})
    total = rectification_selectors.grand_total(rectification_selectors.live_entries(user), "")
    lines.append(
        _("The three ledgers: %(collected)s matters collected, %(solved)s solved, %(open)s in progress.")
        % {"collected": total.collected, "solved": total.solved, "open": total.in_progress}
    )
    lines.append(
        _("Meeting issues still open: %(open)s, of which past their month: %(overdue)s.")
        % {
            "open": MeetingIssue.objects.visible_to(user).open().distinct().count(),
            "overdue": MeetingIssue.objects.visible_to(user).overdue(today=clock.today()).distinct().count(),
        }
    )
    return lines
