"""The 报表下载 page: every download linked, clusters listed for their profiles, queries pinned."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exports import registry
from tests.exports.factories import county_with_clusters


def test_page_links_every_workbook_and_pdf(login, county_office, rare_cluster):
    page = login(county_office).get(reverse("exports:index")).content.decode()
    for topic in [e.identifier for e in registry.exporters(registry.XLSX, listed_only=True)]:
        assert reverse("exports:workbook", args=[topic]) in page
    assert reverse("exports:county-summary-pdf") in page
    assert reverse("exports:weekly-compilation-pdf") in page
    assert reverse("exports:cluster-profile-pdf", args=[rare_cluster.pk]) in page
    assert reverse("clusters:consent-import") not in page  # the county does not record consent


def test_cadre_is_offered_the_consent_import(login, cadre_a):
    page = login(cadre_a).get(reverse("exports:index")).content.decode()
    assert reverse("clusters:consent-import") in page and reverse("clusters:consent-template") in page


def test_page_queries_do_not_grow_with_clusters(login, county_office, cadre_a, django_assert_num_queries):
    county_with_clusters(cadre_a, county_office)
    client = login(county_office)
    client.get(reverse("exports:index"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("exports:index"))
    county_with_clusters(cadre_a, county_office, clusters=20, name_prefix="又一联村")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("exports:index"))
    assert response.content.decode().count("又一联村") == 20


def test_page_offers_the_circulars_and_scorecards_each_may_see(login, county_office, cadre_a, clock):
    from assessments import services
    from tests.assessments import factories as af

    period = af.may_period(county_office)
    af.set_today(clock, af.MAY[1] + __import__("datetime").timedelta(days=30))
    services.close_period(period=period, by=county_office)
    draft = services.draft_circular(
        county=county_office.county,
        inspection=None,
        period=period,
        by=county_office,
        issuing_organ="清河县联村自治办公室",
        title="五月考核结果通报",
        main_recipients="各乡镇党委、政府",
        copy_to="",
        body="现将结果通报如下。",
    )
    office_page = login(county_office).get(reverse("exports:index")).content.decode()
    assert reverse("assessments:circular-pdf", args=[draft.pk]) in office_page
    assert reverse("assessments:scorecard-pdf", args=[period.pk]) in office_page
    assert reverse("exports:workbook", args=["circulars"]) in office_page
    cadre_page = login(cadre_a).get(reverse("exports:index")).content.decode()
    assert reverse("assessments:circular-pdf", args=[draft.pk]) not in cadre_page  # a draft stays with the county
    assert reverse("assessments:scorecard-pdf", args=[period.pk]) not in cadre_page  # not yet published
