from tests.walk import CADRE, COUNTY, EVERYONE, OFFICE, Route


def build(world):
    import datetime
    from decimal import Decimal

    from assessments import services
    from assessments.models import ContributionKind, Metric, StarRating
    from clusters.models import Form
    from lianchun import clock
    from tests import factories
    from tests.assessments import factories as af

    office, cadre = world.personas["county_office"], world.personas["cadre_a"]
    today = clock.today()
    partner = factories.PartnerUnitFactory(county=world.county, name="城区居委会")
    joint = af.cluster(
        world.township_a, "城乡联建总支", form=Form.URBAN_RURAL, villages=[world.village_a], partner=partner
    )
    scheme = af.scheme(office, metrics=[Metric.WEEKLY_ON_TIME, Metric.ENTERED])
    world.scheme = scheme
    world.indicator = scheme.indicators.get(metric=Metric.WEEKLY_ON_TIME)
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    world.published_period = services.open_period(
        scheme=scheme, label="上月", starts_on=last_month_end.replace(day=1), ends_on=last_month_end, by=office
    )
    services.close_period(period=world.published_period, by=office)
    services.publish_period(period=world.published_period, by=office)
    world.open_period = services.open_period(
        scheme=scheme, label="本月", starts_on=today.replace(day=1), ends_on=today, by=office
    )
    world.round = services.create_round(
        county=world.county, month=today, title="本月督查", checklist=[("联席会议", 100)], by=office
    )
    item = world.round.checklist.get()
    world.visit = services.record_visit(
        inspection=world.round,
        cluster=joint,
        visited_on=today.replace(day=1),
        inspectors="督查组",
        marks={item.pk: (80, "")},
        by=office,
    )
    world.finding = services.add_finding(
        visit=world.visit,
        description="联席会议记录不全",
        owner="李书记",
        deadline=today + datetime.timedelta(days=10),
        by=office,
    )
    world.circular = services.draft_circular(
        county=world.county,
        inspection=world.round,
        title="督查通报",
        body="现将结果通报如下。",
        main_recipients="各乡镇党委、政府",
        issuing_organ="清河县联村自治办公室",
        by=office,
    )
    services.issue_circular(circular=world.circular, by=office)
    world.appraisal = services.record_appraisal(
        township=world.township_a, cluster=joint, year=today.year, half=1, held_on=today, voters=20, by=cadre
    )
    world.result = services.record_result(
        appraisal=world.appraisal,
        member="王某",
        excellent=0,
        qualified=5,
        basic=5,
        unqualified=10,
        helper="李书记",
        by=cadre,
    )
    services.record_star_rating(
        village=world.village_a,
        person="张网格",
        post=StarRating.Post.GRID_WORKER,
        year=today.year,
        stars=2,
        surveyed=50,
        satisfied=35,
        by=cadre,
    )
    services.record_contribution(
        cluster=joint,
        kind=ContributionKind.FUNDS,
        amount=Decimal("500000"),
        on_date=today,
        description="产业项目投资",
        by=cadre,
    )


CADRE_ONLY = frozenset({CADRE})
OFFICE_ONLY = frozenset({OFFICE})

ROUTES = [
    Route("assessments:scheme-list"),
    Route("assessments:scheme-create", allowed=OFFICE_ONLY),
    Route("assessments:scheme-detail", lambda w: {"pk": w.scheme.pk}),
    Route("assessments:indicator-create", lambda w: {"pk": w.scheme.pk}, allowed=OFFICE_ONLY),
    Route("assessments:period-create", lambda w: {"pk": w.scheme.pk}, allowed=OFFICE_ONLY),
    Route("assessments:indicator-edit", lambda w: {"pk": w.indicator.pk}, allowed=OFFICE_ONLY, edit=True),
    Route("assessments:scorecard", lambda w: {"pk": w.published_period.pk}),
    Route(
        "assessments:scorecard-cell",
        lambda w: {"pk": w.published_period.pk, "subject": w.township_a.pk, "indicator": w.indicator.pk},
    ),
    Route("assessments:score-entry", lambda w: {"pk": w.published_period.pk}, allowed=OFFICE_ONLY),
    Route("assessments:period-close", lambda w: {"pk": w.published_period.pk}, allowed=OFFICE_ONLY),
    Route("assessments:period-publish", lambda w: {"pk": w.published_period.pk}, allowed=OFFICE_ONLY),
    Route("assessments:period-recompute", lambda w: {"pk": w.published_period.pk}, allowed=COUNTY),
    Route("assessments:scorecard-workbook", lambda w: {"pk": w.published_period.pk}),
    Route("assessments:scorecard-pdf", lambda w: {"pk": w.published_period.pk}),
    Route("assessments:round-list"),
    Route("assessments:round-create", allowed=OFFICE_ONLY),
    Route("assessments:round-detail", lambda w: {"pk": w.round.pk}),
    Route("assessments:visit-create", lambda w: {"pk": w.round.pk}, allowed=OFFICE_ONLY),
    Route("assessments:round-complete", lambda w: {"pk": w.round.pk}, allowed=OFFICE_ONLY, method="post"),
    Route("assessments:visit-detail", lambda w: {"pk": w.visit.pk}, scoped=True),
    Route("assessments:finding-create", lambda w: {"pk": w.visit.pk}, allowed=OFFICE_ONLY, scoped=True),
    Route("assessments:finding-list"),
    Route("assessments:finding-detail", lambda w: {"pk": w.finding.pk}, scoped=True),
    Route("assessments:finding-rectify", lambda w: {"pk": w.finding.pk}, allowed=CADRE_ONLY, scoped=True),
    Route("assessments:finding-close", lambda w: {"pk": w.finding.pk}, allowed=OFFICE_ONLY, scoped=True),
    Route("assessments:finding-reopen", lambda w: {"pk": w.finding.pk}, allowed=OFFICE_ONLY, scoped=True),
    Route("assessments:circular-list"),
    Route("assessments:circular-create", allowed=OFFICE_ONLY),
    Route("assessments:circular-detail", lambda w: {"pk": w.circular.pk}),
    Route("assessments:circular-issue", lambda w: {"pk": w.circular.pk}, allowed=OFFICE_ONLY),
    Route("assessments:circular-pdf", lambda w: {"pk": w.circular.pk}),
    Route("assessments:circular-workbook", lambda w: {"pk": w.circular.pk}),
    Route("assessments:appraisal-list"),
    Route("assessments:appraisal-create", allowed=CADRE_ONLY),
    Route("assessments:appraisal-rule", allowed=OFFICE_ONLY, edit=True),
    Route("assessments:appraisal-detail", lambda w: {"pk": w.appraisal.pk}, scoped=True),
    Route(
        "assessments:follow-up-create",
        lambda w: {"pk": w.result.pk},
        allowed=CADRE_ONLY,
        scoped=True,
        method="post",
        data=lambda w: {"on_date": "2026-01-01", "note": "谈心谈话"},
    ),
    Route("assessments:rating-list"),
    Route("assessments:rating-create", allowed=CADRE_ONLY),
    Route("assessments:contribution-list"),
    Route("assessments:contribution-create", allowed=CADRE_ONLY),
]
assert EVERYONE
