"""Workbench items and list pages of assessments: what waits for whom, in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.workbench import assessment_items
from clusters.models import Form
from tests import factories
from tests.assessments import factories as af

D = datetime.date


def _round_with_findings(office, township, count, clock):
    af.set_today(clock, D(2026, 5, 28))
    partner = factories.PartnerUnitFactory(county=township.county)
    joint = af.cluster(township, f"联建{count}", form=Form.URBAN_RURAL, partner=partner)
    inspection = services.create_round(
        county=township.county, month=D(2026, 5, 1), title="5月督查", checklist=[("联席会议", 100)], by=office
    )
    item = inspection.checklist.get()
    visit = services.record_visit(
        inspection=inspection,
        cluster=joint,
        visited_on=D(2026, 5, 20),
        inspectors="督查组",
        marks={item.pk: (70, "")},
        by=office,
    )
    return [
        services.add_finding(visit=visit, description=f"问题{n}", owner="李书记", deadline=D(2026, 6, 1), by=office)
        for n in range(count)
    ]


def test_the_township_is_told_of_findings_to_rectify_and_the_county_of_those_to_check(
    db, clock, county_office, cadre_a, cadre_b, township_a
):
    findings = _round_with_findings(county_office, township_a, 2, clock)
    af.set_today(clock, D(2026, 6, 5))
    [item] = assessment_items(cadre_a)
    assert item.count == 2 and "status=open" in item.url
    assert assessment_items(cadre_b) == []
    services.rectify_finding(finding=findings[0], what_was_done="已整改", on=D(2026, 6, 5), by=cadre_a)
    office_items = assessment_items(county_office)
    assert [item.count for item in office_items if "rectified" in item.url] == [1]


def test_the_finding_list_takes_the_same_queries_for_one_and_for_twenty(db, clock, county_office, township_a, login):
    client = login(county_office)
    _round_with_findings(county_office, township_a, 1, clock)
    url = reverse("assessments:finding-list")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    from assessments.models import Finding

    visit = Finding.objects.get().visit
    for n in range(19):
        services.add_finding(
            visit=visit, description=f"更多问题{n}", owner="王", deadline=D(2026, 6, 1), by=county_office
        )
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200
    assert len(twenty.captured_queries) == len(one.captured_queries)
