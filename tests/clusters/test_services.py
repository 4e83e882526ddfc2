from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from clusters import services
from clusters.models import Cluster, ClusterMembership, ConsentBatch, Form, Status
from lianchun import clock
from tests import factories
from tests.clusters import factories as cf

YESTERDAY = datetime.timedelta(days=1)


def test_a_village_cannot_join_a_second_active_cluster_of_the_same_form(cadre_a):
    villages = cf.villages_of(cadre_a.township, 3)
    cf.proposed_cluster(cadre_a, villages[:2], name="东联村")
    with pytest.raises(ValidationError) as caught:
        cf.proposed_cluster(cadre_a, villages[1:], name="西联村")
    assert caught.value.code == "village_in_other_cluster"
    assert "东联村" in caught.value.messages[0] and villages[1].name in caught.value.messages[0]
    assert not Cluster.objects.filter(name="西联村").exists()


def test_the_database_refuses_a_second_active_membership_of_the_same_form(cadre_a):
    villages = cf.villages_of(cadre_a.township, 2)
    first = cf.proposed_cluster(cadre_a, villages, name="东联村")
    other = Cluster.objects.create(township=cadre_a.township, name="西联村", lead_village=villages[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterMembership.objects.create(
            cluster=other, village=villages[0], form=Form.VILLAGE_CLUSTER, joined_on=clock.today()
        )
    assert first.memberships.count() == 2


def test_a_village_may_be_in_one_cluster_of_each_form(cadre_a):
    villages = cf.villages_of(cadre_a.township, 2)
    unit = factories.PartnerUnitFactory(county=cadre_a.county)
    cf.proposed_cluster(cadre_a, villages, name="东联村")
    urban = cf.proposed_cluster(cadre_a, villages, name="城乡联建", form=Form.URBAN_RURAL, partner_unit=unit)
    assert urban.memberships.filter(is_active=True).count() == 2


@pytest.mark.parametrize("count", [1, 5])
def test_urban_rural_cluster_needs_two_to_four_villages(cadre_a, count):
    unit = factories.PartnerUnitFactory(county=cadre_a.county)
    villages = cf.villages_of(cadre_a.township, count)
    with pytest.raises(ValidationError) as caught:
        cf.proposed_cluster(cadre_a, villages, form=Form.URBAN_RURAL, partner_unit=unit)
    assert caught.value.code == "urban_rural_village_count"
    assert str(count) in caught.value.messages[0]
    assert not Cluster.objects.exists()


def test_urban_rural_cluster_needs_a_partner_unit(cadre_a):
    with pytest.raises(ValidationError) as caught:
        cf.proposed_cluster(cadre_a, form=Form.URBAN_RURAL)
    assert caught.value.code == "partner_unit_required"


def test_villages_of_another_township_are_refused(cadre_a, village_b):
    villages = cf.villages_of(cadre_a.township, 2)
    with pytest.raises(ValidationError) as caught:
        cf.proposed_cluster(cadre_a, [*villages, village_b])
    assert caught.value.code == "village_outside_township"


def test_cadre_of_another_township_cannot_propose_or_change(cadre_a, cadre_b):
    cluster = cf.consulting_cluster(cadre_a)
    with pytest.raises(PermissionDenied):
        services.propose_cluster(township=cadre_a.township, name="x", villages=[], lead_village=None, by=cadre_b)
    survey = cluster.surveys.first()
    with pytest.raises(PermissionDenied):
        services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_b)
    with pytest.raises(PermissionDenied):
        services.submit_cluster(cluster=cluster, by=cadre_b)


def test_new_cluster_charter_starts_from_the_county_model_text(cadre_a, county_office):
    services.update_model_charter(county=cadre_a.county, text="第一条 本县范本。", by=county_office)
    cluster = cf.proposed_cluster(cadre_a)
    assert cluster.charter == "第一条 本县范本。"


def test_only_the_county_office_edits_the_model_charter(cadre_a, org_department):
    for user in (cadre_a, org_department):
        with pytest.raises(PermissionDenied):
            services.update_model_charter(county=cadre_a.county, text="x", by=user)


def test_consent_batches_are_refused_before_consultation(cadre_a):
    cluster = cf.proposed_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    with pytest.raises(ValidationError) as caught:
        services.record_consent_batch(
            survey=survey, returned=1, agree=1, disagree=0, invalid=0, batch_date=clock.today(), by=cadre_a
        )
    assert caught.value.code == "consent_closed"


@pytest.mark.parametrize(
    ("numbers", "code"),
    [
        ((5, 6, 0, 0), "counts_do_not_add_up"),
        ((-1, -1, 0, 0), "negative_count"),
        ((11, 11, 0, 0), "returned_exceeds_handed_out"),
    ],
)
def test_impossible_batches_are_refused_and_nothing_is_written(cadre_a, numbers, code):
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    returned, agree, disagree, invalid = numbers
    with pytest.raises(ValidationError) as caught:
        services.record_consent_batch(
            survey=survey,
            returned=returned,
            agree=agree,
            disagree=disagree,
            invalid=invalid,
            batch_date=clock.today(),
            by=cadre_a,
        )
    assert caught.value.code == code
    assert not ConsentBatch.objects.exists()


def test_batches_add_up_across_dates_and_cannot_exceed_handed_out(cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    services.record_consent_batch(
        survey=survey, returned=6, agree=5, disagree=1, invalid=0, batch_date=clock.today() - YESTERDAY, by=cadre_a
    )
    services.record_consent_batch(
        survey=survey, returned=4, agree=3, disagree=0, invalid=1, batch_date=clock.today(), by=cadre_a
    )
    tally = survey.tally()
    assert (tally.returned, tally.agree, tally.disagree, tally.invalid) == (10, 8, 1, 1)
    assert tally.passes and tally.agree_rate == "80.0%"
    with pytest.raises(ValidationError) as caught:
        services.record_consent_batch(
            survey=survey, returned=1, agree=1, disagree=0, invalid=0, batch_date=clock.today(), by=cadre_a
        )
    assert caught.value.code == "returned_exceeds_handed_out"
    with pytest.raises(ValidationError) as caught:
        services.set_forms_handed_out(survey=survey, handed_out=9, by=cadre_a)
    assert caught.value.code == "handed_out_below_returned"


def test_a_corrected_batch_keeps_its_old_numbers_in_the_history(cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    batch = services.record_consent_batch(
        survey=survey, returned=6, agree=6, disagree=0, invalid=0, batch_date=clock.today(), by=cadre_a
    )
    with pytest.raises(ValidationError) as caught:
        services.correct_consent_batch(batch=batch, returned=6, agree=5, disagree=1, invalid=0, by=cadre_a, reason="")
    assert caught.value.code == "reason_required"
    services.correct_consent_batch(
        batch=batch, returned=6, agree=5, disagree=1, invalid=0, by=cadre_a, reason="录入错误"
    )
    assert survey.tally().agree == 5
    history = list(batch.history.order_by("history_date").values_list("agree", "history_change_reason", "history_user"))
    assert history == [(6, "", cadre_a.pk), (5, "录入错误", cadre_a.pk)]


def test_a_voided_batch_no_longer_counts(cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    batch = services.record_consent_batch(
        survey=survey, returned=6, agree=6, disagree=0, invalid=0, batch_date=clock.today(), by=cadre_a
    )
    services.void_consent_batch(batch=batch, by=cadre_a, reason="重复录入")
    assert survey.tally().returned == 0


def test_submission_refused_while_a_village_has_no_forms_handed_out(cadre_a):
    villages = cf.villages_of(cadre_a.township, 2)
    cluster = cf.consulting_cluster(cadre_a, villages)
    cf.give_consent(cadre_a, cluster, {villages[0]: (10, 10, 0, 0), villages[1]: (0, 0, 0, 0)})
    with pytest.raises(ValidationError) as caught:
        services.submit_cluster(cluster=cluster, by=cadre_a)
    assert caught.value.code == "consent_not_reached"
    assert villages[1].name in caught.value.messages[0]


def test_submission_waits_until_every_opinion_gathered_is_answered(cadre_a, client):
    """DOMAIN.md: opinions gathered in consultation are answered in the plan the county reviews."""
    villages = cf.villages_of(cadre_a.township, 2)
    cluster = cf.consulting_cluster(cadre_a, villages)
    cf.give_consent(cadre_a, cluster, {v: (100, 90, 5, 5) for v in villages})
    today = clock.today()
    answered = services.record_opinion(
        cluster=cluster, source="forum", content="希望先修通两村之间的道路", received_on=today, by=cadre_a
    )
    services.answer_opinion(opinion=answered, answer="已列入联村工作规划第一年", by=cadre_a)
    services.record_opinion(
        cluster=cluster,
        source="house_visit",
        content="担心集体资产合并后分配不公",
        received_on=today,
        village=villages[1],
        by=cadre_a,
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_cluster(cluster=cluster, by=cadre_a)
    assert caught.value.code == "opinions_unanswered"
    message = caught.value.messages[0]
    assert "1条未答复" in message and villages[1].name in message and "担心集体资产合并后分配不公" in message
    assert "希望先修通" not in message
    cluster.refresh_from_db()
    assert cluster.status == Status.CONSULTING

    client.force_login(cadre_a)
    step_page = client.get(f"/clusters/{cluster.pk}/submit/").content.decode()
    assert "有1条尚未答复" in step_page and "担心集体资产合并后分配不公" in step_page
    response = client.post(f"/clusters/{cluster.pk}/submit/", {"opinion": ""})
    assert response.status_code == 200
    assert "1条未答复" in response.content.decode()

    services.answer_opinion(opinion=cluster.opinions.get(answer=""), answer="资产清产核资后按章程公示", by=cadre_a)
    services.submit_cluster(cluster=cluster, by=cadre_a)
    cluster.refresh_from_db()
    assert cluster.status == Status.SUBMITTED


def test_the_review_queue_shows_who_the_township_sends_and_the_opinions(login, cadre_a, county_office):
    """The demo's county office returns a proposal for '工作组成员未明确': the queue says it before the click."""
    bare = cf.submitted_cluster(cadre_a, cf.villages_of(cadre_a.township, 2), name="东片联村")
    villages = cf.villages_of(cadre_a.township, 2)
    staffed = cf.consulting_cluster(cadre_a, villages, name="西片联村")
    cf.give_consent(cadre_a, staffed, {v: (100, 90, 5, 5) for v in villages})
    services.add_officer(cluster=staffed, body="work_group", name="王建国", post="组长", by=cadre_a)
    opinion = services.record_opinion(
        cluster=staffed, source="forum", content="希望修路", received_on=clock.today(), by=cadre_a
    )
    services.answer_opinion(opinion=opinion, answer="已列入规划", by=cadre_a)
    services.submit_cluster(cluster=staffed, by=cadre_a)
    services.record_opinion(  # heard while the county reviews
        cluster=staffed, source="house_visit", content="担心分配不公", received_on=clock.today(), by=cadre_a
    )

    page = login(county_office).get("/clusters/review/").content.decode()
    bare_card = page[page.index(bare.name) : page.index(staffed.name)]
    staffed_card = page[page.index(staffed.name) :]
    assert "尚未明确乡镇工作组" in bare_card and "尚无意见建议" in bare_card
    assert "乡镇工作组：王建国（组长）" in staffed_card
    assert "收集意见建议2条" in staffed_card and "1条未答复" in staffed_card


def test_return_needs_an_opinion_and_resubmission_works(cadre_a, county_office):
    cluster = cf.submitted_cluster(cadre_a)
    with pytest.raises(ValidationError) as caught:
        services.return_cluster(cluster=cluster, by=county_office, opinion="  ")
    assert caught.value.code == "opinion_required"
    services.return_cluster(cluster=cluster, by=county_office, opinion="请补充工作规划")
    cluster.refresh_from_db()
    assert cluster.status == Status.RETURNED
    assert services.latest_return_opinion(cluster).opinion == "请补充工作规划"
    services.submit_cluster(cluster=cluster, by=cadre_a)
    cluster.refresh_from_db()
    assert cluster.status == Status.SUBMITTED
    assert services.latest_return_opinion(cluster) is None


def test_only_the_township_submits_and_only_the_office_returns(cadre_a, county_office):
    cluster = cf.consulting_cluster(cadre_a)
    with pytest.raises(PermissionDenied):
        services.submit_cluster(cluster=cluster, by=county_office)
    with pytest.raises(PermissionDenied):
        services.return_cluster(cluster=cluster, by=cadre_a, opinion="x")


def test_approve_only_from_submitted(cadre_a, county_office):
    cluster = cf.consulting_cluster(cadre_a)
    with pytest.raises(ValidationError) as caught:
        services.approve_cluster(cluster=cluster, by=county_office)
    assert caught.value.code == "wrong_state"


def test_submitted_proposal_cannot_be_changed_by_the_township(cadre_a):
    cluster = cf.submitted_cluster(cadre_a)
    survey = cluster.surveys.first()
    with pytest.raises(ValidationError) as caught:
        services.record_consent_batch(
            survey=survey, returned=1, agree=1, disagree=0, invalid=0, batch_date=clock.today(), by=cadre_a
        )
    assert caught.value.code == "consent_closed"
    with pytest.raises(ValidationError) as caught:
        services.update_cluster_details(cluster=cluster, by=cadre_a, name="新名")
    assert caught.value.code == "not_editable"


def test_dissolving_ends_memberships_and_frees_the_villages(cadre_a, county_office, clock):
    villages = cf.villages_of(cadre_a.township, 2)
    cluster = cf.established_cluster(cadre_a, county_office, villages)
    clock.travel(datetime.timedelta(days=30))
    with pytest.raises(ValidationError) as caught:
        services.dissolve_cluster(cluster=cluster, by=county_office, opinion="")
    assert caught.value.code == "opinion_required"
    services.dissolve_cluster(cluster=cluster, by=county_office, opinion="两村合并")
    cluster.refresh_from_db()
    assert cluster.status == Status.DISSOLVED and cluster.dissolved_on == clock.today()
    memberships = list(cluster.memberships.all())
    assert all(not m.is_active and m.left_on == clock.today() for m in memberships)
    again = cf.proposed_cluster(cadre_a, villages, name="新联村")
    assert again.memberships.filter(is_active=True).count() == 2


def test_members_can_be_added_and_removed_while_editable(cadre_a):
    villages = cf.villages_of(cadre_a.township, 4)
    cluster = cf.proposed_cluster(cadre_a, villages[:3])
    services.add_member(cluster=cluster, village=villages[3], by=cadre_a)
    services.remove_member(cluster=cluster, village=villages[1], by=cadre_a)
    active = set(cluster.memberships.filter(is_active=True).values_list("village_id", flat=True))
    assert active == {villages[0].pk, villages[2].pk, villages[3].pk}
    assert {s.village_id for s, _t in services.member_tallies(cluster)} == active
    with pytest.raises(ValidationError) as caught:
        services.remove_member(cluster=cluster, village=villages[0], by=cadre_a)
    assert caught.value.code == "remove_lead"


PHONES_KEPT = ["13900001111", "19912345678", "0551-1234567", "05511234567", "010-12345678", " 13900001111 ", ""]
PHONES_REFUSED = ["1381234", "138123456", "1381234567", "138123456789", "23900001111", "0551-123", "551-1234567", "13x"]


@pytest.mark.parametrize("phone", PHONES_KEPT)
def test_an_officer_phone_is_a_mobile_a_landline_with_its_area_code_or_none(cadre_a, phone):
    cluster = cf.consulting_cluster(cadre_a)
    officer = services.add_officer(
        cluster=cluster, body="work_group", name="王组长", post="组长", phone=phone, by=cadre_a
    )
    assert officer.phone == phone.strip()


@pytest.mark.parametrize("phone", PHONES_REFUSED)
def test_an_officer_phone_that_is_no_number_one_could_call_is_refused_on_its_field(cadre_a, phone):
    cluster = cf.consulting_cluster(cadre_a)
    with pytest.raises(
        ValidationError, match="请填写以1开头的11位手机号码，或带区号的固定电话（如0551-1234567）。"
    ) as caught:
        services.add_officer(cluster=cluster, body="work_group", name="王组长", post="组长", phone=phone, by=cadre_a)
    assert (caught.value.code, caught.value.params["field"]) == ("bad_phone", "phone")
    assert not cluster.officers.exists()
    kept = services.add_officer(cluster=cluster, body="work_group", name="王组长", post="组长", by=cadre_a)
    with pytest.raises(ValidationError, match="请填写以1开头的11位手机号码"):
        services.update_officer(officer=kept, by=cadre_a, phone=phone)
    kept.refresh_from_db()
    assert kept.phone == ""


@pytest.mark.parametrize("stored", ["1381234", "13812345", "138123456", "1381234567", "0551-1234567", "12"])
def test_a_masked_phone_never_shows_more_characters_than_it_hides(cadre_a, stored):
    """Numbers kept before the rule (or imported) that are not mobiles are masked too: at most half of them
    shows, none is invented or made to look like a mobile (a mobile shows as 139****1111, the national way)."""
    cluster = cf.consulting_cluster(cadre_a)
    officer = services.add_officer(cluster=cluster, body="work_group", name="王组长", post="组长", by=cadre_a)
    type(officer)._base_manager.filter(pk=officer.pk).update(phone=stored)  # as older data left it
    officer.refresh_from_db()
    masked = officer.masked_phone
    shown = [c for c in masked if c != "*"]
    assert len(masked) == len(stored) and len(shown) <= masked.count("*")
    assert all(mark in ("*", digit) for mark, digit in zip(masked, stored, strict=True))  # shown where they stand


def test_officers_and_opinions_are_recorded(cadre_a):
    cluster = cf.consulting_cluster(cadre_a)
    officer = services.add_officer(
        cluster=cluster, body="work_group", name="王组长", post="组长", unit="镇党委", phone="13900001111", by=cadre_a
    )
    assert officer.masked_phone == "139****1111"
    opinion = services.record_opinion(
        cluster=cluster, source="house_visit", content="担心土地被合并", received_on=clock.today(), by=cadre_a
    )
    services.answer_opinion(opinion=opinion, answer="各村土地权属不变", by=cadre_a)
    opinion.refresh_from_db()
    assert opinion.is_answered


def test_a_consent_batch_is_titled_with_its_date_as_the_product_writes_dates(cadre_a):
    """The title shown on its history and void pages reads 新姜店村 2025年10月28日, not 2025-10-28."""
    import datetime

    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    day = clock.today() - datetime.timedelta(days=1)
    batch = services.record_consent_batch(
        survey=survey, returned=1, agree=1, disagree=0, invalid=0, batch_date=day, by=cadre_a
    )
    assert str(batch) == f"{survey} {day.year}年{day.month}月{day.day}日"
