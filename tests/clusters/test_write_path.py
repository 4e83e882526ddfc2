"""The cluster on the shared write path: histories that open, stale saves refused, figures that cannot be
gamed, and dates checked against the cluster's life."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters import services
from clusters.models import ClusterOfficer, Status
from lianchun import clock as product_clock
from lianchun.editing import version_token
from tests import walk
from tests.clusters import factories as cf


def _history(client, label, pk) -> str:
    response = client.get(reverse("record-history", args=[label, pk]))
    assert response.status_code == 200, f"{label} #{pk}: {response.status_code}"
    return response.content.decode()


def test_every_cluster_service_leaves_a_history_page_that_opens(login, cadre_a, county_office, clock):
    villages = cf.villages_of(cadre_a.township, 4, households=100)
    villages[1].name = "新中心村"
    villages[1].save()
    cluster = cf.consulting_cluster(cadre_a, villages[:3])
    services.update_cluster_details(cluster=cluster, by=cadre_a, name="改名联村", is_pilot=True)
    services.update_cluster_documents(cluster=cluster, by=cadre_a, work_plan="三年规划", reason="补充规划")
    services.add_member(cluster=cluster, village=villages[3], by=cadre_a)
    services.set_lead_village(cluster=cluster, village=villages[1], by=cadre_a)
    services.remove_member(cluster=cluster, village=villages[3], by=cadre_a)
    officer = services.add_officer(cluster=cluster, body="party_branch", name="王书记", post="书记", by=cadre_a)
    services.update_officer(officer=officer, by=cadre_a, name="王建华", home_village=villages[1])
    second = services.add_officer(cluster=cluster, body="committee", name="李主任", post="主任", by=cadre_a)
    services.void_officer(officer=second, by=cadre_a, reason="调离本乡")
    opinion = services.record_opinion(
        cluster=cluster, source="forum", content="希望修路", received_on=product_clock.today(), by=cadre_a
    )
    services.answer_opinion(opinion=opinion, answer="列入规划", by=cadre_a)
    cf.give_consent(cadre_a, cluster, {v: (100, 85, 5, 5) for v in villages[:3]})
    survey = cluster.surveys.get(village=villages[0])
    batch = services.record_consent_batch(
        survey=survey, returned=1, agree=1, disagree=0, invalid=0, batch_date=product_clock.today(), by=cadre_a
    )
    services.correct_consent_batch(batch=batch, returned=1, agree=0, disagree=1, invalid=0, by=cadre_a, reason="录错")
    services.void_consent_batch(batch=batch, by=cadre_a, reason="重复录入")
    services.set_forms_handed_out(survey=survey, handed_out=99, by=cadre_a, reason="一户空置")
    services.submit_cluster(cluster=cluster, by=cadre_a)
    services.return_cluster(cluster=cluster, by=county_office, opinion="请补充")
    services.submit_cluster(cluster=cluster, by=cadre_a)
    clock.travel(datetime.timedelta(days=1))
    services.approve_cluster(cluster=cluster, by=county_office, established_on=product_clock.today())
    services.update_model_charter(county=cadre_a.county, text="第一条 范本", by=county_office)
    services.update_model_charter(county=cadre_a.county, text="第一条 新范本", by=county_office)
    services.dissolve_cluster(cluster=cluster, by=county_office, opinion="区划调整")

    client = login(county_office)
    page = _history(client, "clusters.cluster", cluster.pk)
    assert "新中心村" in page and "改名联村" in page and "三年规划" in page and "区划调整" in page
    assert "重复录入" in _history(client, "clusters.consentbatch", batch.pk)
    survey_page = _history(client, "clusters.consentsurvey", survey.pk)
    assert "一户空置" in survey_page and "99" in survey_page
    assert "王建华" in _history(client, "clusters.clusterofficer", officer.pk)
    assert "调离本乡" in _history(client, "clusters.clusterofficer", second.pk)
    assert "列入规划" in _history(client, "clusters.consentopinion", opinion.pk)
    charter = cadre_a.county.model_charter
    assert "新范本" in _history(client, "clusters.modelcharter", charter.pk)
    for membership in cluster.memberships.all():
        _history(client, "clusters.clustermembership", membership.pk)


def test_the_second_of_two_editing_the_documents_is_refused_and_keeps_their_text(login, cadre_a, township_a):
    from tests import factories

    other = factories.UserFactory(role="township_cadre", county=cadre_a.county, township=township_a)
    cluster = cf.consulting_cluster(cadre_a)
    url = reverse("clusters:cluster-documents", args=[cluster.pk])
    first, second = login(cadre_a), walk.client_for(other)
    first_form = walk.form_data(first.get(url).content.decode())
    second_form = walk.form_data(second.get(url).content.decode())
    saved = first.post(url, {**first_form, "work_plan": "甲的规划"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_form, "work_plan": "乙的规划"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "保存了此记录" in page and "甲的规划" in page and "乙的规划" in page
    cluster.refresh_from_db()
    assert cluster.work_plan == "甲的规划"
    # Merged and saved again against what the first person saved, it goes through.
    merged = walk.form_data(page)
    assert second.post(url, {**merged, "work_plan": "甲乙合并的规划"}).status_code == 302
    cluster.refresh_from_db()
    assert cluster.work_plan == "甲乙合并的规划"


def _consulting_with_returns(cadre, households=100):
    cluster = cf.consulting_cluster(cadre, cf.villages_of(cadre.township, 2, households=households))
    cf.give_consent(cadre, cluster, {s.village: (100, 60, 10, 5) for s in cluster.surveys.select_related("village")})
    return cluster, cluster.surveys.select_related("village").order_by("village__code").first()


def test_lowering_forms_handed_out_after_returns_needs_a_reason_and_shows_to_the_county(login, cadre_a, county_office):
    cluster, survey = _consulting_with_returns(cadre_a)
    with pytest.raises(ValidationError) as caught:
        services.set_forms_handed_out(survey=survey, handed_out=75, by=cadre_a)
    assert caught.value.code == "reason_required"
    survey.refresh_from_db()
    assert survey.handed_out == 100
    # Through the page: the refusal lands on the reason field, and nothing is saved.
    response = login(cadre_a).post(
        reverse("clusters:survey-handed-out", args=[survey.pk]),
        {"handed_out": 75, "record_version": version_token(survey)},
    )
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    services.set_forms_handed_out(survey=survey, handed_out=75, by=cadre_a, reason="25户外出务工未发放")
    for other in cluster.surveys.exclude(pk=survey.pk):
        services.set_forms_handed_out(survey=other, handed_out=75, by=cadre_a, reason="同上")
    services.submit_cluster(cluster=cluster, by=cadre_a)

    review = login(county_office).get(reverse("clusters:review-queue")).content.decode()
    assert "100 → 75" in review and "25户外出务工未发放" in review
    timeline = login(county_office).get(cluster.get_absolute_url()).content.decode()
    assert "timeline-handed-out" in timeline and "100 → 75" in timeline and "25户外出务工未发放" in timeline


def test_more_forms_than_households_is_flagged_on_the_survey_and_review_pages(login, cadre_a, county_office):
    cluster = cf.consulting_cluster(cadre_a, cf.villages_of(cadre_a.township, 2, households=202))
    cf.give_consent(cadre_a, cluster, {s.village: (202, 200, 2, 0) for s in cluster.surveys.select_related("village")})
    survey = cluster.surveys.select_related("village").first()
    services.set_forms_handed_out(survey=survey, handed_out=10000, by=cadre_a)
    page = login(cadre_a).get(reverse("clusters:survey-detail", args=[survey.pk])).content.decode()
    assert "over-households" in page and "10000" in page and "202" in page
    with pytest.raises(ValidationError):  # 202 of 10,000 agree: the village fails, nothing to submit
        services.submit_cluster(cluster=cluster, by=cadre_a)
    services.set_forms_handed_out(
        survey=survey, handed_out=250, by=cadre_a, reason="核实户数"
    )  # 200/250 = 80.0%, still too many
    services.submit_cluster(cluster=cluster, by=cadre_a)
    review = login(county_office).get(reverse("clusters:review-queue")).content.decode()
    assert "over-households" in review and "10000 → 250" in review.replace(",", "")


def test_a_batch_dated_before_consultation_or_in_the_future_is_refused_on_its_field(login, cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    client = login(cadre_a)
    url = reverse("clusters:survey-batch-add", args=[survey.pk])
    began = product_clock.today() - datetime.timedelta(days=cf.CONSULTATION_DAYS)
    for day in (
        datetime.date(1900, 1, 1),
        began - datetime.timedelta(days=1),
        product_clock.today() + datetime.timedelta(days=1),
    ):
        response = client.post(
            url, {"batch_date": day.isoformat(), "returned": 2, "agree": 2, "disagree": 0, "invalid": 0}
        )
        assert response.status_code == 200
        errors = response.context["form"].errors["batch_date"]
        assert f"{began.isoformat()}" in errors[0] and product_clock.today().isoformat() in errors[0]
        assert "开始征求意见之日" in errors[0]
    assert not survey.batches.exists()
    assert (
        client.post(
            url, {"batch_date": began.isoformat(), "returned": 2, "agree": 2, "disagree": 0, "invalid": 0}
        ).status_code
        == 302
    )


def test_an_opinion_dated_before_the_proposal_or_in_the_future_is_refused_on_its_field(login, cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    client = login(cadre_a)
    url = reverse("clusters:opinion-add", args=[cluster.pk])
    today = product_clock.today()
    for day in (
        datetime.date(1900, 1, 1),
        cluster.proposed_on - datetime.timedelta(days=1),
        today + datetime.timedelta(days=1),
    ):
        response = client.post(url, {"source": "forum", "content": "希望修路", "received_on": day.isoformat()})
        assert response.status_code == 200
        error = response.context["form"].errors["received_on"][0]
        assert cluster.proposed_on.isoformat() in error and today.isoformat() in error and "拟组建之日" in error
    assert not cluster.opinions.exists()
    response = client.post(
        url, {"source": "forum", "content": "希望修路", "received_on": cluster.proposed_on.isoformat()}
    )
    assert response.status_code == 302 and cluster.opinions.count() == 1


def test_an_establishment_date_before_submission_or_in_the_future_is_refused_on_its_field(
    login, cadre_a, county_office, clock
):
    cluster = cf.submitted_cluster(cadre_a)
    submitted = product_clock.today()
    clock.travel(datetime.timedelta(days=5))
    client = login(county_office)
    url = reverse("clusters:cluster-approve", args=[cluster.pk])
    for day in (submitted - datetime.timedelta(days=400), product_clock.today() + datetime.timedelta(days=1)):
        response = client.post(url, {"established_on": day.isoformat(), "opinion": ""})
        assert response.status_code == 200
        error = response.context["form"].errors["established_on"][0]
        assert submitted.isoformat() in error and product_clock.today().isoformat() in error and "报县审核之日" in error
    cluster.refresh_from_db()
    assert cluster.status == Status.SUBMITTED and cluster.established_on is None
    assert client.post(url, {"established_on": submitted.isoformat()}).status_code == 302
    cluster.refresh_from_db()
    assert cluster.status == Status.ESTABLISHED and cluster.established_on == submitted


def test_the_cluster_page_offers_each_step_the_user_may_take(login, cadre_a, county_office):
    cluster = cf.submitted_cluster(cadre_a)
    cadre_page = login(cadre_a).get(cluster.get_absolute_url()).content.decode()
    office_page = login(county_office).get(cluster.get_absolute_url()).content.decode()
    approve, dissolve = (reverse(f"clusters:cluster-{n}", args=[cluster.pk]) for n in ("approve", "dissolve"))
    assert approve not in cadre_page and dissolve not in cadre_page
    assert approve in office_page and dissolve in office_page


def test_officers_are_corrected_through_their_own_form(login, cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    officer = services.add_officer(cluster=cluster, body="party_branch", name="王书记", post="书记", by=cadre_a)
    client = login(cadre_a)
    url = reverse("clusters:officer-edit", args=[officer.pk])
    data = walk.form_data(client.get(url).content.decode())
    for phone in ("13x", "1381234"):
        response = client.post(url, {**data, "phone": phone})
        assert response.status_code == 200
        assert response.context["form"].errors["phone"] == [
            "请填写以1开头的11位手机号码，或带区号的固定电话（如0551-1234567）。"
        ]
    assert client.post(url, {**data, "post": "第一书记"}).status_code == 302
    assert ClusterOfficer.objects.get(pk=officer.pk).post == "第一书记"


def test_each_declared_step_has_its_page_at_its_own_path_with_todays_date_offered(login, cadre_a, county_office, clock):
    """The steps' pages come from the declared table: same paths and names as before, dates offered as today."""
    cluster = cf.submitted_cluster(cadre_a)
    clock.travel(datetime.timedelta(days=3))
    for name in ("start-consultation", "submit", "approve", "return", "dissolve"):
        assert reverse(f"clusters:cluster-{name}", args=[cluster.pk]) == f"/clusters/{cluster.pk}/{name}/"
    client = login(county_office)
    for name, field in (("approve", "established_on"), ("dissolve", "dissolved_on")):
        page = client.get(reverse(f"clusters:cluster-{name}", args=[cluster.pk]))
        assert page.status_code == 200
        assert page.context["form"][field].value() == product_clock.today()


def test_consultation_is_started_with_the_day_the_forms_went_out_and_batches_count_from_that_day(login, cadre_a):
    """Forms go out house by house; the cadre records the step back at the office a few days later. The step asks
    for the day they went out, so the batches collected since can carry their real dates."""
    product_clock.travel(-datetime.timedelta(days=10))  # proposed ten days ago
    try:
        cluster = cf.proposed_cluster(cadre_a, cf.villages_of(cadre_a.township, 2))
    finally:
        product_clock.travel(datetime.timedelta(days=10))
    client = login(cadre_a)
    step = reverse("clusters:cluster-start-consultation", args=[cluster.pk])
    page = client.get(step).content.decode()
    assert "征求意见表发放日期" in page
    today = product_clock.today()
    refused = client.post(step, {"began_on": (cluster.proposed_on - datetime.timedelta(days=1)).isoformat()})
    assert refused.status_code == 200 and refused.context["form"].errors["began_on"]
    went_out = today - datetime.timedelta(days=3)
    assert client.post(step, {"began_on": went_out.isoformat()}).status_code == 302
    cluster.refresh_from_db()
    assert cluster.status == "consulting" and cluster.consultation_began_on == went_out
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    batch = reverse("clusters:survey-batch-add", args=[survey.pk])
    answer = client.post(
        batch, {"batch_date": went_out.isoformat(), "returned": 2, "agree": 2, "disagree": 0, "invalid": 0}
    )
    assert answer.status_code == 302 and survey.batches.get().batch_date == went_out
