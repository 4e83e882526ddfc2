"""Every figure a page, a workbook and a PDF show for the same scope agrees, because one selector computes it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from clusters import services as cluster_services
from lianchun import clock as product_clock
from reports import services as report_services
from reports.selectors import default_weeks
from tests.exports import pdfcheck
from tests.exports.factories import consulting_cluster, county_with_clusters, make_village


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def _bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def _sheet(client, topic, name):
    return load_workbook(io.BytesIO(_bytes(_get(client, reverse("exports:workbook", args=[topic])))))[name]


@pytest.fixture
def reporting_county(cadre_a, cadre_b, county_office, clock):
    """Two townships with established clusters, villages outside them, and weekly reports of past weeks."""
    mine = county_with_clusters(cadre_a, county_office, clusters=2)
    theirs = county_with_clusters(cadre_b, county_office, clusters=1, villages_per_cluster=2, name_prefix="马园")
    for township in (cadre_a.township, cadre_b.township):
        make_village(township)
    clock.travel(datetime.timedelta(days=22))
    first, last = default_weeks()
    for cluster in [mine[0], theirs[0]]:  # two of three clusters report the last completed week
        report = report_services.save_weekly_report(
            cluster=cluster, week=last, by=cluster.created_by, expected_version=None, progress="走访农户"
        )
        report_services.submit_weekly_report(report=report, by=cluster.created_by)
    return mine, theirs


@pytest.mark.parametrize("persona", ["county_office", "cadre_a"])
def test_coverage_agrees_on_the_page_the_workbook_and_the_pdf(request, login, reporting_county, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    coverage = _get(client, reverse("clusters:coverage")).context["coverage"]

    sheet = _sheet(client, "county", "分乡镇汇总")
    by_name = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    for row in coverage.rows:
        _code, _name, villages, clusters, covered, share, *_rest = by_name[row.township.name]
        assert (villages, clusters, covered) == (row.villages, row.established, row.covered)
        assert f"{share:.1%}" == row.share
    total = by_name["合计"]
    assert (total[2], total[3], total[4]) == (
        coverage.totals.villages,
        coverage.totals.established,
        coverage.totals.covered,
    )

    text = pdfcheck.compact(pdfcheck.text_of(_bytes(_get(client, reverse("exports:county-summary-pdf")))))
    headline = gettext(
        "%(clusters)s clusters established, joining %(villages)s villages: %(share)s of all %(total)s villages."
    ) % {
        "clusters": coverage.totals.established,
        "villages": coverage.totals.covered,
        "share": coverage.totals.share,
        "total": coverage.totals.villages,
    }
    assert pdfcheck.compact(headline) in text


def test_completeness_agrees_and_counts_completed_weeks_only(login, reporting_county, county_office):
    client = login(county_office)
    page = _get(client, reverse("reports:completeness-grid")).context
    first, last = default_weeks()
    assert (page["first"], page["last"]) == (first, last)
    total = page["total"]

    sheet = _sheet(client, "completeness", "报送情况")
    header = [c for c in next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))]
    assert header[1] == first.short_label and last.short_label in header  # the same weeks, none still running
    assert f"{first.label}至{last.label}" in sheet["A2"].value  # the range is printed in the title rows
    totals = next(row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "合计")
    expected, arrived, on_time = totals[-5:-2]
    assert (expected, arrived, on_time) == (total.expected, total.arrived, total.on_time)
    assert total.expected > 0 and total.arrived == 2

    week = page["columns"][-1]["tally"]
    text = pdfcheck.compact(pdfcheck.text_of(_bytes(_get(client, reverse("exports:county-summary-pdf")))))
    line = gettext("Weekly reports for %(week)s: %(arrived)s of %(expected)s arrived (%(rate)s), %(on_time)s on time.")
    figures = {"week": last.short_label, "arrived": week.arrived, "expected": week.expected}
    assert pdfcheck.compact(line % {**figures, "rate": week.reporting_rate, "on_time": week.on_time}) in text


def test_a_village_with_no_forms_handed_out_reads_the_same_everywhere(login, cadre_a, county_office):
    villages = [make_village(cadre_a.township, name=name) for name in ("东圩村", "西畈村")]
    cluster = consulting_cluster(cadre_a, villages, name="坳口联村")
    survey = cluster.surveys.get(village=villages[0])
    cluster_services.set_forms_handed_out(survey=survey, handed_out=100, by=cadre_a)
    client = login(cadre_a)

    page = _get(client, cluster.get_absolute_url()).content.decode()
    assert page.count("尚未发放") == 1

    sheet = _sheet(client, "consent", "群众同意率")
    rows = {row[4]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[4]}
    assert rows["西畈村"][12:14] == ("尚未发放", None)
    assert rows["东圩村"][12:14] == ("否", 80)

    pdf = _bytes(_get(client, reverse("exports:cluster-profile-pdf", args=[cluster.pk])))
    text = pdfcheck.compact(pdfcheck.text_of(pdf))
    assert "尚未发放" in text and "尚差80份" in text
    assert "尚差0份" not in text


def test_ledger_totals_agree_on_the_page_the_workbook_and_the_pdf(login, cadre_a, cadre_b, county_office):
    from rectification import services as rectification_services
    from rectification.models import LedgerEntry
    from tests.rectification.factories import livelihood

    kind = livelihood(cadre_a.county)
    today = product_clock.today()
    for cadre, solved_flags in ((cadre_a, (True, True, False)), (cadre_b, (False,))):
        village = make_village(cadre.township)
        for solved in solved_flags:
            rectification_services.create_ledger_entry(
                village=village,
                by=cadre,
                kind=kind,
                source=LedgerEntry.Source.HOUSE_VISIT,
                collected_on=today - datetime.timedelta(days=5),
                summary="村道破损",
                owner="李书记",
                status=LedgerEntry.Status.SOLVED if solved else LedgerEntry.Status.IN_PROGRESS,
                solved_on=today if solved else None,
            )
    client = login(county_office)
    matrix = _get(client, reverse("rectification:ledger-overview")).context["matrix"]
    page = {row["label"]: (row["total"].collected, row["total"].solved, row["total"].in_progress) for row in matrix}
    assert page[cadre_a.township.name] == (3, 2, 1) and page[cadre_b.township.name] == (1, 0, 1)

    sheet = _sheet(client, "ledgers", "三本台账")
    header = next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))
    first_total = len(header) - 4  # collected, solved, in progress, share solved close each row
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    for name, figures in page.items():
        assert tuple(rows[name][first_total : first_total + 3]) == figures

    text = pdfcheck.compact(pdfcheck.text_of(_bytes(_get(client, reverse("exports:county-summary-pdf")))))
    line = gettext("The three ledgers: %(collected)s matters collected, %(solved)s solved, %(open)s in progress.")
    assert pdfcheck.compact(line % {"collected": 4, "solved": 2, "open": 2}) in text


def test_open_meeting_issues_agree_on_the_page_the_workbook_and_the_pdf(login, cadre_a, county_office, clock):
    from meetings import services as meeting_services
    from tests.meetings.factories import township_meeting

    held = township_meeting(cadre_a, on=product_clock.today() - datetime.timedelta(days=40), notice_days=6)
    recent = township_meeting(cadre_a, on=product_clock.today() - datetime.timedelta(days=3), notice_days=6)
    for meeting, count in ((held, 2), (recent, 1)):
        for number in range(count):
            meeting_services.raise_issue(
                meeting=meeting, by=cadre_a, description=f"修路{number}", raised_by="村民代表", owner="李书记"
            )
    voided = township_meeting(cadre_a, on=product_clock.today() - datetime.timedelta(days=40), topic="作废的例会")
    meeting_services.raise_issue(meeting=voided, by=cadre_a, description="重复", raised_by="村民", owner="李书记")
    meeting_services.void_meeting(meeting=voided, by=cadre_a, reason="录入重复")

    client = login(county_office)
    page = _get(client, reverse("meetings:issue-list")).context
    assert (page["open_count"], page["overdue_count"]) == (3, 2)

    sheet = _sheet(client, "meeting-issues", "会议未办结问题")
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(rows) == 3 and sum(1 for row in rows if row[-1]) == 2

    text = pdfcheck.compact(pdfcheck.text_of(_bytes(_get(client, reverse("exports:county-summary-pdf")))))
    line = gettext("Meeting issues still open: %(open)s, of which past their month: %(overdue)s.")
    assert pdfcheck.compact(line % {"open": 3, "overdue": 2}) in text


def test_rectification_stages_agree_on_the_county_view_the_workbook_and_the_pdf(
    login, cadre_a, county_office, org_department, leader
):
    from rectification.models import PlanStatus
    from tests.rectification.factories import approved_plan, draft_plan, weak_village

    approved_plan(weak_village(cadre_a.township), cadre=cadre_a, leader=leader, org=org_department)
    approved_plan(weak_village(cadre_a.township), cadre=cadre_a, leader=leader, org=org_department)
    draft_plan(weak_village(cadre_a.township), cadre=cadre_a, leader=leader)

    client = login(county_office)
    stages = {
        row["label"]: row["total"]
        for row in _get(client, reverse("rectification:overview")).context["stages"]["stages"]
    }
    assert stages[PlanStatus.RECTIFYING.label] == 2

    sheet = _sheet(client, "rectification", "一村一策整顿方案")
    statuses = [row[3] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    for label, total in stages.items():
        assert statuses.count(label) == total

    text = pdfcheck.compact(pdfcheck.text_of(_bytes(_get(client, reverse("exports:county-summary-pdf")))))
    for label, total in stages.items():
        assert pdfcheck.compact(f"{label} {total}") in text


@pytest.fixture
def frozen_scorecard(reporting_county, county_office, cadre_a, cadre_b):
    """The clusters' scorecard over the last completed weeks, frozen, and a circular of it issued to the townships."""
    from assessments import services as assessment_services
    from assessments.models import Metric, SubjectKind
    from tests.assessments import factories as af

    first, last = default_weeks()
    scheme = af.scheme(county_office, subject_kind=SubjectKind.CLUSTER, metrics=[Metric.WEEKLY_ON_TIME, Metric.ENTERED])
    period = assessment_services.open_period(
        scheme=scheme, label="近四周", starts_on=first.monday, ends_on=last.sunday, by=county_office
    )
    assessment_services.close_period(period=period, by=county_office)
    circular = assessment_services.draft_circular(
        county=county_office.county,
        period=period,
        issuing_organ="清河县联村自治办公室",
        title="关于近四周联村考核结果的通报",
        main_recipients="各乡镇党委、政府",
        copy_to="县委组织部",
        body="现将考核结果通报如下。",
        by=county_office,
    )
    assessment_services.issue_circular(circular=circular, by=county_office)
    return period, circular


def test_the_scorecard_agrees_on_the_page_the_workbook_and_the_pdf(login, frozen_scorecard, county_office):
    period, _circular = frozen_scorecard
    client = login(county_office)
    card = _get(client, reverse("assessments:scorecard", args=[period.pk])).context["card"]
    assert card.frozen and len(card.rows) == 3
    page = {row.name: [row.rank, *(cell.value for cell in row.cells), row.total] for row in card.rows}
    assert {values[1] for values in page.values()} != {None}  # some cluster reported: not all blank

    response = _get(client, reverse("exports:workbook", args=["scorecard"]), period=period.pk)
    sheet = load_workbook(io.BytesIO(_bytes(response))).worksheets[0]
    book = {row[1]: list(row) for row in sheet.iter_rows(min_row=4, values_only=True) if row[1]}
    assert set(book) == set(page)
    units = [indicator.unit for indicator in card.indicators]
    for name, (rank, *values, total) in page.items():
        assert book[name][0] == rank
        assert book[name][-1] == pytest.approx(float(total))
        # Each indicator's value (a rate as a fraction shown in percent) beside its points.
        for written, value, unit in zip(book[name][2:-1:2], values, units, strict=True):
            scale = 100 if unit == "%" else 1
            assert written == (None if value is None else pytest.approx(float(value) / scale))

    text = pdfcheck.compact(
        pdfcheck.text_of(_bytes(_get(client, reverse("assessments:scorecard-pdf", args=[period.pk]))))
    )
    assert pdfcheck.compact(f"{period.scheme.name}·{period.label}") in text
    for row in card.rows:
        cells = "".join("—" if c.value is None else f"{c.value}{c.indicator.unit}" for c in row.cells)
        assert pdfcheck.compact(f"{row.rank}{row.name}{cells}{row.total}") in text


def test_the_circular_ranking_agrees_with_the_scorecard_on_the_page_the_workbook_and_the_pdf(
    login, frozen_scorecard, cadre_a
):
    period, circular = frozen_scorecard
    client = login(cadre_a)  # a township reads the issued circular
    rows = _get(client, reverse("assessments:circular-detail", args=[circular.pk])).context["rows"]
    frozen = {score.subject_name: (score.rank, score.total) for score in period.subject_scores.all()}
    assert {row["name"]: (row["rank"], row["score"]) for row in rows} == {
        name: (rank, str(total)) for name, (rank, total) in frozen.items()
    }

    sheet = load_workbook(
        io.BytesIO(_bytes(_get(client, reverse("assessments:circular-workbook", args=[circular.pk]))))
    )
    book = {row[1]: (row[0], row[2]) for row in sheet.worksheets[0].iter_rows(min_row=4, values_only=True) if row[1]}
    assert book == {name: (rank, pytest.approx(float(total))) for name, (rank, total) in frozen.items()}

    text = pdfcheck.compact(
        pdfcheck.text_of(_bytes(_get(client, reverse("assessments:circular-pdf", args=[circular.pk]))))
    )
    assert circular.number in text and "各乡镇党委、政府" in text and "县委组织部" in text
    for name, (rank, total) in frozen.items():
        assert pdfcheck.compact(f"{rank}{name}{total}") in text
