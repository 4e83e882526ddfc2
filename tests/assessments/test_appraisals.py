"""民主评议 derived by the county's rule with a named helper for the unqualified; star ratings flagged under 80%; partners' contributions totalled."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse

from assessments import appraisal, services
from assessments.models import Appraisal, Contribution, ContributionKind, StarRating
from assessments.views import contribution_totals
from clusters.models import Form, Kind
from tests import factories
from tests.assessments import factories as af

D = datetime.date


@pytest.fixture
def appraisal_a(db, clock, cadre_a, township_a, village_a):
    af.set_today(clock, D(2026, 6, 30))
    return services.record_appraisal(
        township=township_a, village=village_a, year=2026, half=1, held_on=D(2026, 6, 28), voters=30, by=cadre_a
    )


def test_the_result_is_derived_from_the_votes_never_chosen(appraisal_a, cadre_a):
    result = services.record_result(
        appraisal=appraisal_a, member="李党员", excellent=21, qualified=9, basic=0, unqualified=0, by=cadre_a
    )
    assert result.grade == appraisal.EXCELLENT


def test_the_county_can_change_its_rule(appraisal_a, cadre_a, county_office):
    services.update_rule(county=county_office.county, by=county_office, excellent_from_num=3, excellent_from_den=4)
    result = services.record_result(
        appraisal=appraisal_a, member="李党员", excellent=21, qualified=9, basic=0, unqualified=0, by=cadre_a
    )
    assert result.grade == appraisal.QUALIFIED  # 21/30 is below 3/4


def test_an_unqualified_member_needs_a_named_helper_and_is_followed_up(appraisal_a, cadre_a, login):
    with pytest.raises(ValidationError) as error:
        services.record_result(
            appraisal=appraisal_a, member="王党员", excellent=0, qualified=10, basic=5, unqualified=15, by=cadre_a
        )
    assert error.value.error_dict["helper"][0].code == "helper_required"
    assert not appraisal_a.results.exists()
    result = services.record_result(
        appraisal=appraisal_a,
        member="王党员",
        excellent=0,
        qualified=10,
        basic=5,
        unqualified=15,
        helper="赵书记",
        by=cadre_a,
    )
    assert result.grade == appraisal.UNQUALIFIED
    response = login(cadre_a).post(
        reverse("assessments:follow-up-create", args=[result.pk]),
        {"on_date": "2026-06-30", "note": "谈心谈话，制定帮促计划"},
    )
    assert response.status_code == 302
    assert list(result.follow_ups.values_list("note", flat=True)) == ["谈心谈话，制定帮促计划"]
    qualified = services.record_result(
        appraisal=appraisal_a, member="张党员", excellent=5, qualified=25, basic=0, unqualified=0, by=cadre_a
    )
    with pytest.raises(ValidationError) as error:
        services.add_follow_up(result=qualified, on_date=D(2026, 6, 30), note="不需要", by=cadre_a)
    assert error.value.code == "not_unqualified"


def test_the_appraisal_page_records_a_result_and_says_what_is_missing_on_its_field(
    appraisal_a, cadre_a, county_office, login
):
    page = appraisal_a.get_absolute_url()
    votes = {"member": "王党员", "excellent": 0, "qualified": 10, "basic": 5, "unqualified": 15}
    cadre = login(cadre_a)
    refused = cadre.post(page, votes)
    assert refused.status_code == 200
    assert refused.context["form"].errors["helper"]  # the service's refusal, on the field it names
    assert "王党员" in refused.content.decode()  # what was typed stays in the form
    assert not appraisal_a.results.exists()
    saved = cadre.post(page, {**votes, "helper": "赵书记"}, follow=True)
    assert saved.redirect_chain[-1][0] == page
    assert "王党员：不合格。" in saved.content.decode()
    assert list(appraisal_a.results.values_list("member", "helper")) == [("王党员", "赵书记")]
    # The county office reads the page; recording is the township's.
    assert login(county_office).post(page, {**votes, "member": "李党员", "helper": "赵书记"}).status_code == 403
    assert appraisal_a.results.count() == 1


def test_more_votes_than_voters_are_refused(appraisal_a, cadre_a):
    with pytest.raises(ValidationError) as error:
        services.record_result(
            appraisal=appraisal_a, member="陈党员", excellent=20, qualified=11, basic=0, unqualified=0, by=cadre_a
        )
    assert error.value.code == "too_many_votes"


def test_grid_workers_below_80_percent_are_flagged(db, clock, cadre_a, village_a, login):
    af.set_today(clock, D(2026, 6, 30))
    for person, satisfied in [("甲", 80), ("乙", 79), ("丙", 95)]:
        services.record_star_rating(
            village=village_a,
            person=person,
            post=StarRating.Post.GRID_WORKER,
            year=2026,
            stars=3,
            surveyed=100,
            satisfied=satisfied,
            by=cadre_a,
        )
    page = login(cadre_a).get(reverse("assessments:rating-list")).content.decode()
    flagged = page.split('id="flagged"')[1].split("</div>")[0]
    assert "乙" in flagged and "甲" not in flagged and "丙" not in flagged
    assert "79.0%" in flagged


def test_contribution_totals_by_kind_of_joint_organisation_equal_the_entries(
    db, clock, cadre_a, county_office, township_a, village_a
):
    af.set_today(clock, D(2026, 6, 30))
    enterprise = factories.PartnerUnitFactory(county=township_a.county, name="益欣食品有限公司")
    department = factories.PartnerUnitFactory(county=township_a.county, name="市农业局", kind="department")
    village_enterprise = af.cluster(
        township_a, "益欣村企联建", form=Form.URBAN_RURAL, villages=[village_a], partner=enterprise
    )
    department_village = af.cluster(township_a, "农业局部门联建", form=Form.URBAN_RURAL, partner=department)
    department_village.kind = Kind.DEPARTMENT_VILLAGE
    department_village.save()
    entries = [
        (village_enterprise, ContributionKind.FUNDS, "3000000"),
        (village_enterprise, ContributionKind.FUNDS, "1500000.50"),
        (village_enterprise, ContributionKind.JOBS, "120"),
        (department_village, ContributionKind.INFORMATION, "45"),
        (department_village, ContributionKind.INFRASTRUCTURE, "870000"),
    ]
    for cluster, kind, amount in entries:
        services.record_contribution(
            cluster=cluster, kind=kind, amount=Decimal(amount), on_date=D(2026, 6, 1), description="—", by=cadre_a
        )
    totals = contribution_totals(county_office)
    kinds = [kind.value for kind in totals["kinds"]]
    for row, cluster_kind in zip(
        totals["table"], [Kind.VILLAGE_COMMUNITY, Kind.VILLAGE_ENTERPRISE, Kind.DEPARTMENT_VILLAGE], strict=True
    ):
        for kind, value in zip(kinds, row["cells"], strict=True):
            direct = (
                Contribution.objects.filter(cluster__kind=cluster_kind, kind=kind).aggregate(s=Sum("amount"))["s"] or 0
            )
            assert value == direct
    assert totals["totals"][kinds.index("funds")] == Decimal("4500000.50")
    assert Contribution.objects.get(kind=ContributionKind.JOBS).partner_unit == enterprise  # attributed to the partner


def test_a_contribution_is_of_a_kind_of_contribution_in_its_list_and_its_form(
    db, clock, cadre_a, township_a, village_a, login
):
    af.set_today(clock, D(2026, 6, 30))
    partner = factories.PartnerUnitFactory(county=township_a.county, name="益欣食品有限公司")
    cluster = af.cluster(township_a, "益欣村企联建", form=Form.URBAN_RURAL, villages=[village_a], partner=partner)
    services.record_contribution(
        cluster=cluster,
        kind=ContributionKind.FUNDS,
        amount=Decimal(1000),
        on_date=D(2026, 6, 1),
        description="—",
        by=cadre_a,
    )
    client = login(cadre_a)
    listed = client.get(reverse("assessments:contribution-list")).content.decode()
    form = client.get(reverse("assessments:contribution-create")).content.decode()
    assert "<th>投入类型</th>" in listed and "会议类型" not in listed
    assert "投入类型" in form and "会议类型" not in form


def test_a_village_cluster_takes_no_contribution(db, clock, cadre_a, township_a):
    af.set_today(clock, D(2026, 6, 30))
    plain = af.cluster(township_a, "普通联村")
    with pytest.raises(ValidationError) as error:
        services.record_contribution(
            cluster=plain,
            kind=ContributionKind.FUNDS,
            amount=Decimal(1),
            on_date=D(2026, 6, 1),
            description="",
            by=cadre_a,
        )
    assert "cluster" in error.value.error_dict


def test_an_appraisal_is_dated_within_its_half_year_and_its_year_is_a_real_one(login, clock, cadre_a, village_a):
    """A meeting held before the half-year it appraises, or a year typed as 0, 20026 or next year, is refused on
    its field."""
    af.set_today(clock, D(2026, 12, 3))
    client = login(cadre_a)
    url = reverse("assessments:appraisal-create")
    post = {"village": village_a.pk, "year": 2026, "half": 2, "held_on": "2026-06-28", "voters": 30}
    response = client.post(url, post)
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [
        "评议会议日期须在 2026-07-01（该半年第一天）至今天（2026-12-03）之间。"
    ]
    for year in (0, 20026, 2027):
        response = client.post(url, {**post, "year": year, "held_on": "2026-11-28"})
        assert response.status_code == 200
        assert "评议年度须在2000年至今年（2026年）之间" in response.context["form"].errors["year"][0]
    assert not Appraisal.objects.exists()
    response = client.post(url, {**post, "held_on": "2026-07-01"})
    assert response.status_code == 302 and Appraisal.objects.get().held_on == D(2026, 7, 1)
