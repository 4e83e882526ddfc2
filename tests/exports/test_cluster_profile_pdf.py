"""The one-cluster profile: members, officers, consent per village and the timeline, scoped like its page."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exports import selectors
from exports.pdf import render_pdf
from tests.exports import pdfcheck
from tests.exports.factories import RARE_VILLAGE_NAMES, consulting_cluster, give_consent, rare_villages


def _pdf(response) -> bytes:
    return b"".join(response.streaming_content)


def test_cadre_prints_its_cluster_profile_in_chinese(login, cadre_a, rare_cluster, artifacts):
    response = login(cadre_a).get(reverse("exports:cluster-profile-pdf", args=[rare_cluster.pk]))
    assert response.status_code == 200
    data = _pdf(response)
    text = pdfcheck.compact(pdfcheck.text_of(data))
    for expected in [*RARE_VILLAGE_NAMES[:3], "杨圩畈联村1概况", "赵书记", "同意组建", "90.0%", "达标"]:
        assert expected in text, expected
    assert pdfcheck.missing_glyphs(text) == set()
    pdfcheck.assert_only_vendored_fonts(data)
    pdfcheck.render_page_one(data, artifacts / "cluster-profile")


def test_profile_names_the_forms_a_village_still_needs(cadre_a, county_office):
    villages = rare_villages(cadre_a.township, ["东圩村", "西畈村"])
    cluster = consulting_cluster(cadre_a, villages, name="坳口联村")
    give_consent(cadre_a, cluster, {villages[0]: (1000, 799, 100, 1), villages[1]: (100, 80, 10, 0)})
    profile = selectors.cluster_profile(county_office, cluster)
    rates = {row.survey.village.name: (row.tally.agree_rate, row.tally.forms_needed) for row in profile.consent}
    assert rates == {"东圩村": ("79.9%", 1), "西畈村": ("80.0%", 0)}
    text = pdfcheck.compact(
        pdfcheck.text_of(render_pdf("exports/cluster_profile_pdf.html", {"profile": profile, "weekly_reports": None}))
    )
    assert "尚差1份" in text and "79.9%" in text


def test_other_township_gets_404_for_the_profile(login, cadre_b, rare_cluster):
    assert login(cadre_b).get(reverse("exports:cluster-profile-pdf", args=[rare_cluster.pk])).status_code == 404


def test_profile_queries_do_not_grow_with_members(cadre_a, county_office, django_assert_num_queries):
    small = consulting_cluster(cadre_a, rare_villages(cadre_a.township, ["甲村", "乙村"]), name="小联村")
    big = consulting_cluster(cadre_a, rare_villages(cadre_a.township, [f"大{i}村" for i in range(20)]), name="大联村")
    with CaptureQueriesContext(connection) as one:
        selectors.cluster_profile(county_office, small)
    with django_assert_num_queries(len(one.captured_queries)):
        selectors.cluster_profile(county_office, big)
