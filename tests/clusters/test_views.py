from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from clusters import services
from clusters.models import Cluster, ConsentBatch, Status
from lianchun import clock
from lianchun.workbench import workbench
from tests import factories
from tests.clusters import factories as cf
from tests.factories import session_runs_out
from villages.models import Standing


def _make_clusters(cadre, office, count):
    for index in range(count):
        villages = cf.villages_of(cadre.township, 2)
        cluster = cf.submitted_cluster(cadre, villages, name=f"联村{index}")
        if index % 2:
            services.approve_cluster(cluster=cluster, by=office)


def _count_queries(client, url):
    """After an uncounted request: the first page a role opens compiles its scoped reads (lianchun.compiled)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        ("clusters:cluster-list", "county_office"),
        ("clusters:review-queue", "county_office"),
        ("clusters:coverage", "county_office"),
        ("clusters:coverage", "cadre_a"),
        ("clusters:cluster-list", "cadre_a"),
    ],
)
def test_list_pages_run_the_same_queries_for_one_and_many_clusters(
    login, cadre_a, county_office, url_name, persona, request
):
    user = request.getfixturevalue(persona)
    client = login(user)
    _make_clusters(cadre_a, county_office, 2)
    url = reverse(url_name)
    few = _count_queries(client, url)
    _make_clusters(cadre_a, county_office, 18)
    many = _count_queries(client, url)
    assert few == many


def test_cluster_page_runs_the_same_queries_for_two_and_four_villages(login, cadre_a):
    client = login(cadre_a)
    small = cf.consulting_cluster(cadre_a, cf.villages_of(cadre_a.township, 2), name="小")
    big = cf.consulting_cluster(cadre_a, cf.villages_of(cadre_a.township, 4), name="大")
    for cluster in (small, big):
        cf.give_consent(cadre_a, cluster, {s.village: (10, 8, 1, 1) for s in cluster.surveys.select_related("village")})
    first = _count_queries(client, small.get_absolute_url())
    second = _count_queries(client, big.get_absolute_url())
    assert first == second


def test_submit_page_names_the_failing_village_and_forms_needed(login, cadre_a):
    villages = cf.villages_of(cadre_a.township, 3)
    cluster = cf.consulting_cluster(cadre_a, villages)
    cf.give_consent(
        cadre_a, cluster, {villages[0]: (100, 90, 5, 5), villages[1]: (1000, 799, 100, 1), villages[2]: (10, 8, 2, 0)}
    )
    client = login(cadre_a)
    response = client.post(reverse("clusters:cluster-submit", args=[cluster.pk]), {"opinion": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert villages[1].name in text and "79.9%" in text
    assert "1 more agreeing form" in text or "还需 1 份" in text
    cluster.refresh_from_db()
    assert cluster.status == Status.CONSULTING


def test_return_opinion_shows_at_the_top_of_the_cluster_page(login, cadre_a, county_office):
    cluster = cf.submitted_cluster(cadre_a)
    response = login(county_office).post(
        reverse("clusters:cluster-return", args=[cluster.pk]), {"opinion": "请补充联村章程"}
    )
    assert response.status_code == 302
    page = login(cadre_a).get(cluster.get_absolute_url()).content.decode()
    assert "请补充联村章程" in page
    assert page.index("return-opinion") < page.index("<h1")


def test_batch_form_shows_the_refusal_and_writes_nothing(login, cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    response = login(cadre_a).post(
        reverse("clusters:survey-batch-add", args=[survey.pk]),
        {"batch_date": clock.today().isoformat(), "returned": 5, "agree": 3, "disagree": 1, "invalid": 0},
    )
    assert response.status_code == 200
    assert "5" in response.content.decode()
    assert not ConsentBatch.objects.exists()


def test_survey_page_warns_when_fewer_forms_than_households(login, cadre_a):
    cluster = cf.consulting_cluster(cadre_a, cf.villages_of(cadre_a.township, 2, households=300))
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=250, by=cadre_a)
    page = login(cadre_a).get(reverse("clusters:survey-detail", args=[survey.pk])).content.decode()
    assert "250" in page and "300" in page and "alert-warning" in page


def test_a_proposal_typed_as_the_session_ran_out_comes_back_with_its_choices(client, cadre_a):
    villages = cf.villages_of(cadre_a.township, 3)
    url = reverse("clusters:cluster-propose")
    typed = {
        "name": "马园联村",
        "form": "village",
        "kind": "strong_weak",
        "villages": [v.pk for v in villages[:2]],
        "lead_village": villages[0].pk,
    }
    session_runs_out(client, cadre_a)
    response = client.post(url, typed)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    client.force_login(cadre_a)
    page = client.get(url).content.decode()
    assert 'value="马园联村"' in page and "尚未保存" in page
    ticked = {pk for pk, _id in re.findall(r'name="villages" value="(\d+)" id="(\w+)" checked', page)}
    assert ticked == {str(v.pk) for v in villages[:2]}
    assert not Cluster.objects.exists()


def test_propose_page_creates_a_cluster(login, cadre_a):
    villages = cf.villages_of(cadre_a.township, 3)
    response = login(cadre_a).post(
        reverse("clusters:cluster-propose"),
        {
            "name": "马园联村",
            "form": "village",
            "kind": "strong_weak",
            "villages": [v.pk for v in villages],
            "lead_village": villages[0].pk,
            "is_pilot": "on",
            "reason_ties": "on",
        },
    )
    cluster = Cluster.objects.get(name="马园联村")
    assert response.status_code == 302 and response["Location"] == cluster.get_absolute_url()
    assert cluster.is_pilot and cluster.reason_ties and cluster.memberships.count() == 3


def test_coverage_counts_established_clusters_villages_and_lagging(login, cadre_a, county_office, township_b):
    villages = cf.villages_of(cadre_a.township, 3)
    villages[0].standing = Standing.LAGGING
    villages[0].save()
    cf.villages_of(township_b, 5)
    cf.established_cluster(cadre_a, county_office, villages)
    cf.submitted_cluster(cadre_a, cf.villages_of(cadre_a.township, 2), name="待审")
    page = login(county_office).get(reverse("clusters:coverage"))
    data = page.context["coverage"]
    assert data.totals.established == 1
    assert data.totals.covered == 3
    assert data.totals.villages == 10
    assert data.totals.share == "30.0%"
    assert data.totals.by_status[Status.SUBMITTED] == 1
    assert [m.village for m in data.lagging] == [villages[0]]
    assert "<svg" in page.content.decode()


def test_workbench_shows_returned_proposals_to_the_township_and_submitted_to_the_office(
    cadre_a, county_office, org_department
):
    cluster = cf.submitted_cluster(cadre_a)
    office_items = [i for i in workbench.items_for(county_office) if i.url == reverse("clusters:review-queue")]
    assert office_items and office_items[0].count == 1
    assert not [i for i in workbench.items_for(org_department) if "clusters" in i.url]
    services.return_cluster(cluster=cluster, by=county_office, opinion="补充")
    cadre_items = [i for i in workbench.items_for(cadre_a) if "status=returned" in i.url]
    assert cadre_items and cadre_items[0].count == 1


def test_officer_phone_is_masked_on_the_cluster_page(login, cadre_a, county_office):
    cluster = cf.consulting_cluster(cadre_a)
    services.add_officer(
        cluster=cluster, body="party_branch", name="李书记", post="书记", phone="13812345678", by=cadre_a
    )
    page = login(county_office).get(cluster.get_absolute_url()).content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_model_charter_page_saves_the_text(login, county_office):
    response = login(county_office).post(reverse("clusters:model-charter"), {"text": "第一条 新范本"})
    assert response.status_code == 302
    assert services.model_charter_text(county_office.county_id) == "第一条 新范本"


def test_approve_page_establishes_the_cluster(login, cadre_a, county_office, clock):
    cluster = cf.submitted_cluster(cadre_a)
    clock.travel(datetime.timedelta(days=3))  # the county reviews a few days after submission
    day = clock.today() - datetime.timedelta(days=2)
    response = login(county_office).post(
        reverse("clusters:cluster-approve", args=[cluster.pk]), {"established_on": day.isoformat(), "opinion": "同意"}
    )
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.status == Status.ESTABLISHED and cluster.established_on == day


def test_partner_units_of_another_county_are_not_offered(login, cadre_a):
    other = factories.PartnerUnitFactory(name="外县企业")
    mine = factories.PartnerUnitFactory(county=cadre_a.county, name="本县企业")
    page = login(cadre_a).get(reverse("clusters:cluster-propose")).content.decode()
    assert mine.name in page and other.name not in page


@pytest.mark.parametrize("model", ["clusters.cluster", "clusters.consentbatch", "clusters.consentsurvey"])
def test_change_history_pages_are_scoped(login, cadre_a, cadre_b, model):
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    batch = services.record_consent_batch(
        survey=survey, returned=2, agree=2, disagree=0, invalid=0, batch_date=clock.today(), by=cadre_a
    )
    services.correct_consent_batch(batch=batch, returned=2, agree=1, disagree=1, invalid=0, by=cadre_a, reason="点错")
    record = {"clusters.cluster": cluster, "clusters.consentbatch": batch, "clusters.consentsurvey": survey}[model]
    url = reverse("record-history", args=[model, record.pk])
    assert login(cadre_a).get(url).status_code == 200
    assert login(cadre_b).get(url).status_code == 404


def test_submitted_cluster_page_says_why_the_township_cannot_change_it(login, cadre_a):
    cluster = cf.submitted_cluster(cadre_a)
    page = login(cadre_a).get(cluster.get_absolute_url()).content.decode()
    assert "readonly-reason" in page
    assert reverse("clusters:cluster-edit", args=[cluster.pk]) not in page
    assert reverse("clusters:cluster-submit", args=[cluster.pk]) not in page


def test_the_member_villages_error_stands_above_the_scroll_box(login, cadre_a):
    """With 48 villages in the box, an error under its last row is never seen: it comes before the first."""
    cf.villages_of(cadre_a.township, 48)
    response = login(cadre_a).post(reverse("clusters:cluster-propose"), {"name": "新联村", "kind": "", "form": ""})
    html = response.content.decode()
    error = html.index("请选择「成员村」。")
    assert html.count("请选择「成员村」。") == 1
    assert error < html.index("village-choices") < html.index('name="villages"')
    assert 'aria-describedby="id_villages_error"' in html and 'id="id_villages_error" role="alert"' in html
