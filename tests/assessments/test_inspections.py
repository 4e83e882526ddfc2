"""Monthly inspections: visits scored from the checklist, findings followed to closure, the 通报 issued as PDF and Excel."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Circular, FindingStatus, InspectionRound
from lianchun import clock as product_clock
from tests import factories
from tests.assessments import factories as af
from tests.exports import pdfcheck

D = datetime.date


@pytest.fixture
def inspected(db, clock, county_office, cadre_a, township_a, township_b, village_a):
    af.set_today(clock, D(2026, 5, 28))
    partner = factories.PartnerUnitFactory(county=township_a.county, name="市农业局机关")
    joint = af.cluster(township_a, "农业局·都吉台联建", form="urban_rural", villages=[village_a], partner=partner)
    other = af.cluster(township_b, "马园圩联村", villages=[factories.VillageFactory(township=township_b)])
    inspection = services.create_round(
        county=township_a.county,
        month=D(2026, 5, 1),
        title="2026年5月联建工作督查",
        checklist=[("联席会议每月召开", 40), ("解决群众热点难点问题", 60)],
        by=county_office,
    )
    first, second = inspection.checklist.all()
    visit = services.record_visit(
        inspection=inspection,
        cluster=joint,
        visited_on=D(2026, 5, 20),
        inspectors="县联村办督查组",
        marks={first.pk: (35, ""), second.pk: (50, "")},
        by=county_office,
    )
    visit_b = services.record_visit(
        inspection=inspection,
        cluster=other,
        visited_on=D(2026, 5, 21),
        inspectors="县联村办督查组",
        marks={first.pk: (38, ""), second.pk: (55, "")},
        by=county_office,
    )
    return inspection, visit, visit_b, (first, second)


def test_a_visit_scores_the_sum_of_its_marks_and_refuses_a_mark_above_the_item(inspected, county_office, township_a):
    inspection, visit, _visit_b, (first, second) = inspected
    assert visit.score == 85
    third = af.cluster(township_a, "第三联村")
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            inspection=inspection,
            cluster=third,
            visited_on=D(2026, 5, 22),
            inspectors="督查组",
            marks={first.pk: (41, ""), second.pk: (0, "")},
            by=county_office,
        )
    assert error.value.code == "mark_too_high"
    with pytest.raises(ValidationError) as error:
        services.record_visit(
            inspection=inspection,
            cluster=third,
            visited_on=D(2026, 6, 1),
            inspectors="督查组",
            marks={first.pk: (1, ""), second.pk: (0, "")},
            by=county_office,
        )
    assert "visited_on" in error.value.error_dict


def test_a_finding_is_followed_to_closure_with_every_step_kept(
    inspected, clock, county_office, cadre_a, cadre_b, login
):
    _inspection, visit, _b, _items = inspected
    finding = services.add_finding(
        visit=visit, description="联席会议记录不全", owner="李书记", deadline=D(2026, 6, 10), by=county_office
    )
    assert finding.status == FindingStatus.OPEN
    af.set_today(clock, D(2026, 6, 11))
    assert finding.is_overdue

    # Another township's cadre cannot even see it; the owning township reports it rectified.
    assert login(cadre_b).get(reverse("assessments:finding-detail", args=[finding.pk])).status_code == 404
    response = login(cadre_a).post(
        reverse("assessments:finding-rectify", args=[finding.pk]), {"what_was_done": "补齐记录", "on": "2026-06-11"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFIED and not finding.is_overdue

    services.reopen_finding(finding=finding, by=county_office, opinion="记录仍缺签字")
    with pytest.raises(ValidationError) as error:
        services.close_finding(finding=finding, by=county_office)
    assert error.value.code == "wrong_state"
    services.rectify_finding(finding=finding, what_was_done="补签", on=D(2026, 6, 11), by=cadre_a)
    services.close_finding(finding=finding, by=county_office, opinion="核查属实")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.closed_on == product_clock.today()
    steps = [(e.from_status, e.to_status, e.by.username) for e in finding.events.all()]
    assert steps == [
        ("", "open", "county_office"),
        ("open", "rectified", "cadre_a"),
        ("rectified", "open", "county_office"),
        ("open", "rectified", "cadre_a"),
        ("rectified", "closed", "county_office"),
    ]


def _circular(inspection, office, **kwargs):
    values = {
        "county": office.county,
        "inspection": inspection,
        "title": "关于2026年5月联建工作督查情况的通报",
        "body": "根据月度督查制度，县联村办对各联合党组织进行了督查。\n现将结果通报如下。",
        "main_recipients": "各乡镇党委、政府",
        "copy_to": "县委组织部",
        "issuing_organ": "清河县联村自治办公室",
        "year": 2026,
        "by": office,
    }
    values.update(kwargs)
    return services.draft_circular(**values)


def test_circulars_are_numbered_in_order_for_the_year(inspected, county_office):
    inspection = inspected[0]
    numbers = [_circular(inspection, county_office).number for _ in range(3)]
    assert numbers == ["联村办〔2026〕1号", "联村办〔2026〕2号", "联村办〔2026〕3号"]


def test_the_issued_circular_keeps_its_ranking_when_scores_move_later(inspected, county_office):
    inspection, visit, visit_b, _items = inspected
    circular = _circular(inspection, county_office)
    services.issue_circular(circular=circular, by=county_office)
    assert [(row["rank"], row["name"], row["score"]) for row in circular.ranking] == [
        (1, "马园圩联村", 93),
        (2, "农业局·都吉台联建", 85),
    ]
    # A visit recorded after issue does not change what was circulated.
    visit.score = 99
    visit.save()
    circular = Circular.objects.get(pk=circular.pk)
    assert circular.ranking[0]["name"] == "马园圩联村"
    with pytest.raises(ValidationError) as error:
        services.issue_circular(circular=circular, by=county_office)
    assert error.value.code == "wrong_state"


def test_the_circular_pdf_holds_the_number_the_ranking_and_the_recipients(inspected, county_office, cadre_a, login):
    inspection = inspected[0]
    for _ in range(11):
        _circular(inspection, county_office)  # numbers 1 … 11 go to earlier circulars
    circular = _circular(inspection, county_office)
    services.issue_circular(circular=circular, by=county_office)
    assert circular.number == "联村办〔2026〕12号"

    response = login(cadre_a).get(reverse("assessments:circular-pdf", args=[circular.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    text = pdfcheck.compact(pdfcheck.text_of(data))
    assert "联村办〔2026〕12号" in text
    assert "关于2026年5月联建工作督查情况的通报" in text
    assert "各乡镇党委、政府：" in text
    assert "县委组织部" in text
    assert text.index("马园圩联村") < text.index("农业局·都吉台联建")  # the ranking, first place first
    assert "93" in text and "85" in text
    assert "清河县联村自治办公室" in text
    pdfcheck.assert_only_vendored_fonts(data)
    assert not pdfcheck.missing_glyphs(pdfcheck.text_of(data))


def test_the_circular_workbook_agrees_with_the_page(inspected, county_office, cadre_a, login):
    circular = _circular(inspected[0], county_office)
    services.issue_circular(circular=circular, by=county_office)
    client = login(cadre_a)
    page = client.get(reverse("assessments:circular-detail", args=[circular.pk])).content.decode()
    response = client.get(reverse("assessments:circular-workbook", args=[circular.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row and isinstance(row[0], int)]
    assert [(r[0], r[1], r[3]) for r in rows] == [(row["rank"], row["name"], row["score"]) for row in circular.ranking]
    for row in circular.ranking:
        assert row["name"] in page
    assert circular.number in sheet["A1"].value


def test_a_draft_circular_stays_with_the_county(inspected, county_office, cadre_a, login):
    circular = _circular(inspected[0], county_office)
    assert login(cadre_a).get(reverse("assessments:circular-detail", args=[circular.pk])).status_code == 404
    assert login(county_office).get(reverse("assessments:circular-detail", args=[circular.pk])).status_code == 200


@pytest.mark.parametrize("checklist", [[("联席会议", 40), ("帮扶", 50)], [("联席会议", 60), ("帮扶", 50)]])
def test_a_checklist_is_out_of_a_hundred_so_months_compare(county_office, checklist):
    with pytest.raises(ValidationError) as refused:
        services.create_round(
            county=county_office.county, month=D(2026, 7, 1), title="7月督查", checklist=checklist, by=county_office
        )
    total = sum(points for _text, points in checklist)
    assert refused.value.message_dict == {
        "checklist": [f"督查清单各项分值合计须为100分，各月得分才能相互比较；现为{total}分。"]
    }
    assert not InspectionRound.objects.exists()
