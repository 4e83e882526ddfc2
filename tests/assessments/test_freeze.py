"""Closing a period freezes its scores: later edits to records do not move a published ranking; re-computing lists the difference."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments import selectors, services
from assessments.models import AssessmentPeriod, CellScore, Metric, PeriodStatus, SubjectScore
from rectification import services as rectification_services
from rectification.models import LedgerEntry
from tests.assessments import factories as af
from tests.reports.factories import set_now

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _ledger_cell(card, subject_id):
    row = card.row(subject_id)
    return next(cell for cell in row.cells if cell.indicator.metric == Metric.LEDGER_SOLVED)


@pytest.fixture
def published(may, clock, county_office):
    period = af.may_period(county_office)
    services.close_period(period=period, by=county_office)
    services.publish_period(period=period, by=county_office)
    period.refresh_from_db()
    return period


def test_closing_records_who_and_when_and_freezes_every_cell(published, county_office, township_a):
    assert published.status == PeriodStatus.PUBLISHED
    assert published.closed_by == county_office and published.closed_at is not None
    assert published.published_by == county_office
    subjects = SubjectScore.objects.filter(period=published).count()
    assert subjects == 2  # both townships of the county
    assert (
        CellScore.objects.filter(subject_score__period=published).count()
        == subjects * published.scheme.indicators.count()
    )


def test_a_later_edit_does_not_move_the_published_ranking_and_recompute_lists_it(published, may, clock, township_a):
    before = selectors.scorecard(published)
    frozen_ledger = _ledger_cell(before, township_a.pk)
    assert (frozen_ledger.numerator, frozen_ledger.denominator) == (2, 4)

    # Weeks later the township marks a May matter solved back in May, and the pending issue gets its outcome.
    unsolved = LedgerEntry.objects.get(village__township=township_a, collected_on=D(2026, 5, 19))
    rectification_services.update_ledger_entry(
        entry=unsolved, by=may.cadre, status=LedgerEntry.Status.SOLVED, solved_on=D(2026, 5, 25)
    )

    after = selectors.scorecard(published)
    assert [(row.subject_id, row.total, row.rank) for row in after.rows] == [
        (row.subject_id, row.total, row.rank) for row in before.rows
    ]
    assert _ledger_cell(after, township_a.pk).value == frozen_ledger.value == Decimal("50.0")
    frozen_lines = {line["pk"]: line["status"] for line in _ledger_cell(after, township_a.pk).lines}
    assert frozen_lines[unsolved.pk] == "unsolved"  # the drill-down shows the records as they were frozen

    result = selectors.recompute(published)
    changed = [(d.subject, d.indicator, d.frozen_value, d.current_value) for d in result.differences]
    assert (township_a.name, str(Metric.LEDGER_SOLVED.label), Decimal("50.0"), Decimal("75.0")) in changed
    assert all(d.subject == township_a.name for d in result.differences)


def test_recompute_with_no_change_says_so(published):
    assert selectors.recompute(published).is_unchanged


def test_a_closed_period_cannot_be_closed_again_nor_take_entered_scores(published, county_office, township_a):
    with pytest.raises(ValidationError) as error:
        services.close_period(period=published, by=county_office)
    assert error.value.code == "wrong_state"
    entered = services.add_indicator(
        scheme=published.scheme,
        metric=Metric.ENTERED,
        label="群众评议",
        weight=10,
        target=Decimal(100),
        green_from=Decimal(90),
        amber_from=Decimal(70),
        by=county_office,
    )
    with pytest.raises(ValidationError) as error:
        services.enter_score(
            period=published, indicator=entered, subject_id=township_a.pk, value=Decimal(90), by=county_office
        )
    assert error.value.code == "period_frozen"


def test_a_computed_indicator_cannot_be_typed(may, county_office, township_a):
    period = af.may_period(county_office)
    indicator = period.scheme.indicators.get(metric=Metric.WEEKLY_ON_TIME)
    with pytest.raises(ValidationError) as error:
        services.enter_score(
            period=period, indicator=indicator, subject_id=township_a.pk, value=Decimal(100), by=county_office
        )
    assert error.value.code == "computed_indicator"


def test_townships_see_a_ranking_only_once_published(may, county_office, cadre_a, login):
    period = af.may_period(county_office)
    client = login(cadre_a)
    assert client.get(reverse("assessments:scorecard", args=[period.pk])).status_code == 404
    services.close_period(period=period, by=county_office)
    assert client.get(reverse("assessments:scorecard", args=[period.pk])).status_code == 404
    services.publish_period(period=AssessmentPeriod.objects.get(pk=period.pk), by=county_office)
    response = client.get(reverse("assessments:scorecard", args=[period.pk]))
    assert response.status_code == 200
    assert "冻结" in response.content.decode() or "Frozen" in response.content.decode()


def test_the_scorecard_dates_its_freeze_and_period_as_the_product_writes_dates(published, county_office, login):
    from django.utils import timezone

    page = login(county_office).get(reverse("assessments:scorecard", args=[published.pk])).content.decode()
    closed = timezone.localtime(published.closed_at)
    assert f"于{closed.year}年{closed.month}月{closed.day}日 {closed:%H:%M}冻结" in page
    assert "2026年5月1日—2026年5月31日" in page
    assert "2026-05-01" not in page and f"{closed:%Y-%m-%d}" not in page


def test_every_computed_cell_opens_the_records_beneath_it(published, may, county_office, township_a, login):
    client = login(county_office)
    page = client.get(reverse("assessments:scorecard", args=[published.pk])).content.decode()
    for indicator in published.scheme.indicators.all():
        url = reverse("assessments:scorecard-cell", args=[published.pk, township_a.pk, indicator.pk])
        assert url in page
    weekly = published.scheme.indicators.get(metric=Metric.WEEKLY_ON_TIME)
    cell_page = client.get(
        reverse("assessments:scorecard-cell", args=[published.pk, township_a.pk, weekly.pk])
    ).content.decode()
    assert reverse("reports:report-detail", args=[may.edge_on_time.pk]) in cell_page
    assert "2 ÷ 10" in cell_page


def test_scorecard_pages_take_the_same_number_of_queries_for_few_and_many_subjects(
    may, county_office, login, django_assert_max_num_queries, township_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    period = af.may_period(county_office)
    client = login(county_office)
    url = reverse("assessments:scorecard", args=[period.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(20):
        factories.TownshipFactory(county=township_a.county, name=f"新增{number}镇")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_scorecard_workbook_agrees_with_the_page(published, county_office, login):
    """Each indicator gives its value as the page shows it (a rate in percent) and its points; the points add up
    to the total."""
    import io

    import openpyxl

    client = login(county_office)
    card = selectors.scorecard(published)
    response = client.get(reverse("assessments:scorecard-workbook", args=[published.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[3]]
    indicator = card.indicators[0]
    assert header[2:4] == [f"{indicator.label}：完成值", f"{indicator.label}：得分（满分{indicator.weight}）"]
    rows = [row for row in sheet.iter_rows(min_row=4) if row and isinstance(row[0].value, int)]
    assert [(r[0].value, r[1].value) for r in rows] == [(row.rank, row.name) for row in card.rows]
    for sheet_row, row in zip(rows, card.rows, strict=True):
        figures = sheet_row[2:-1]
        for cell, (value, points) in zip(row.cells, zip(figures[::2], figures[1::2], strict=True), strict=True):
            if cell.indicator.unit == "%":
                assert cell.value is None or value.number_format == "0.0%"
                assert value.value == (None if cell.value is None else pytest.approx(float(cell.value) / 100))
            else:
                assert value.value == (None if cell.value is None else pytest.approx(float(cell.value)))
            assert points.value == pytest.approx(float(cell.points))
        assert sheet_row[-1].value == pytest.approx(sum(points.value for points in figures[1::2]))
        assert sheet_row[-1].value == pytest.approx(float(row.total))


def _post_table(client, url, values):
    """Post the score table as the page filled it: its version token and the typed cells."""
    page = client.get(url).content.decode()
    token = re.search(r'name="record_version" value="([^"]*)"', page).group(1)
    return client.post(url, {"record_version": token, **values}, follow=True)


def test_entered_scores_are_saved_together_or_not_at_all(db, clock, county_office, township_a, township_b, login):
    from assessments.models import ScoreEntry

    period = af.may_period(county_office, metrics=[Metric.ENTERED])
    indicator = period.scheme.indicators.get()
    url = reverse("assessments:score-entry", args=[period.pk])
    client = login(county_office)
    refused = _post_table(
        client, url, {f"v_{indicator.pk}_{township_a.pk}": "92.5", f"v_{indicator.pk}_{township_b.pk}": "九十"}
    )
    assert not ScoreEntry.objects.exists()
    assert 'value="九十"' in refused.content.decode()  # what was typed comes back in the table
    _post_table(client, url, {f"v_{indicator.pk}_{township_a.pk}": "92.5", f"v_{indicator.pk}_{township_b.pk}": "88"})
    assert sorted(ScoreEntry.objects.values_list("value", flat=True)) == [Decimal("88.0"), Decimal("92.5")]
    card = selectors.compute(period)
    assert card.rows[0].name == township_a.name and card.rows[0].total == Decimal("9.2")


def test_a_score_its_column_cannot_hold_is_refused_on_its_cell_and_the_period_still_opens(
    db, clock, county_office, township_a, township_b, login
):
    """1e30 typed into the entry table was stored beyond the column's ten digits; from then on the period's
    pages, its downloads and the auditor's trail could not read the row back (a server error)."""
    from assessments.models import ScoreEntry

    period = af.may_period(county_office, metrics=[Metric.ENTERED])
    indicator = period.scheme.indicators.get()
    url = reverse("assessments:score-entry", args=[period.pk])
    client = login(county_office)
    for huge in ["1e30", "1234567890", "-99999999999.5"]:
        answer = _post_table(
            client, url, {f"v_{indicator.pk}_{township_a.pk}": "92.5", f"v_{indicator.pk}_{township_b.pk}": huge}
        )
        page = answer.content.decode()
        assert answer.status_code == 200 and f"{indicator.label}" in page and township_b.name in page
        assert "不超过" in page  # the column's limit, in Chinese: 确认小数点前不超过 9 位
        assert not ScoreEntry.objects.exists()
    for name in ["assessments:scorecard", "assessments:score-entry", "assessments:scorecard-workbook"]:
        assert client.get(reverse(name, args=[period.pk])).status_code == 200


def test_two_people_filling_the_score_table_at_once_do_not_overwrite_each_other(
    db, clock, county_office, township_a, township_b, login
):
    from assessments.models import ScoreEntry

    period = af.may_period(county_office, metrics=[Metric.ENTERED])
    indicator = period.scheme.indicators.get()
    url = reverse("assessments:score-entry", args=[period.pk])
    first, second = login(county_office), Client()
    second.force_login(county_office)
    opened = re.search(r'name="record_version" value="([^"]*)"', second.get(url).content.decode()).group(1)
    _post_table(first, url, {f"v_{indicator.pk}_{township_a.pk}": "95"})
    cell = f"v_{indicator.pk}_{township_a.pk}"
    late = second.post(url, {"record_version": opened, cell: "60"}, follow=True)
    page = late.content.decode()
    assert "保存了本期的分数" in page and 'value="60"' in page  # refused, and the typing is still there
    assert ScoreEntry.objects.get().value == 95


def test_a_period_is_frozen_only_once_it_is_over(may, clock, county_office):
    """May's last week (25–31 May) may still be filed on time until Monday 1 June 12:00: no freezing before."""
    period = af.may_period(county_office)
    opens = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=SHANGHAI)
    for moment in (datetime.datetime(2026, 5, 20, 9, 0, tzinfo=SHANGHAI), opens - datetime.timedelta(minutes=1)):
        set_now(clock, moment)
        with pytest.raises(ValidationError) as refused:
            services.close_period(period=period, by=county_office)
        assert refused.value.code == "period_not_over"
        assert "考核期尚未结束：2026年6月1日 12:00起才能关闭并冻结分数。" in refused.value.messages
        period.refresh_from_db()
        assert period.status == PeriodStatus.OPEN and not SubjectScore.objects.filter(period=period).exists()
    set_now(clock, opens)
    services.close_period(period=period, by=county_office)
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED


def test_a_period_outside_the_kept_ledgers_or_far_ahead_is_refused_on_its_field(county_office, clock):
    """A period ending 9999-12-31 was saved, and its scorecard then answered a server error."""
    af.set_today(clock, datetime.date(2026, 12, 3))
    created = af.scheme(county_office)
    for starts, ends, field in (
        (datetime.date(2026, 1, 1), datetime.date(9999, 12, 31), "ends_on"),
        (datetime.date(1900, 1, 1), datetime.date(1900, 6, 30), "starts_on"),
    ):
        with pytest.raises(ValidationError) as error:
            services.open_period(scheme=created, label="期", starts_on=starts, ends_on=ends, by=county_office)
        assert list(error.value.message_dict) == [field]
    assert not created.periods.exists()
    services.open_period(
        scheme=created,
        label="2027年",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        by=county_office,
    )
