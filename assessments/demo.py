"""A year of assessment and inspection in the demo county, built through the services with the clock moved.

- Two half-year assessments of the townships: the first half closed, frozen and published in July; the
  second half open, computed live from the record.
- A monthly inspection round for each of the twelve months before the demo's today, visiting the clusters
  established by then (the urban–rural joint organisations first), with findings followed up and a
  circular issued at the start of the next month (the first clusters were established over a year ago, so
  all twelve rounds have a circular).
- The village cadres' year: a scheme of village cadres (例会 attendance from the meetings' rolls and the
  self-government projects they lead, seed 002: 书记领办), with most village secretaries leading a project
  this year and a few not yet, so the scorecard shows who still owes one.
- Two democratic appraisals a year of the joint organisations and a few clusters, with one unqualified
  member given a named helper; star ratings of 党员中心户 and 网格员, three 网格员 below 80%.
- What the urban partners brought: seed 004's city totals (5 亿元 from 49 partners, 77 projects,
  9,000 jobs, 780 information items, 980 万元 of infrastructure) scaled to this county's joint organisations.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from accounts.models import Role, User
from clusters.models import Cluster, Form
from clusters.models import Status as ClusterStatus
from lianchun import clock
from lianchun.demodata import DemoContext
from villages.models import Village

from . import services
from .models import ContributionKind, Metric, PeriodKind, StarRating, SubjectKind

CHECKLIST = [
    ("联席会议每月召开、记录完整", 20),
    ("联合各方党员一体化教育管理", 20),
    ("帮助群众解决热点难点问题", 25),
    ("互派干部挂职、党员结对帮扶", 15),
    ("台账资料规范、工作动态按时上报", 20),
]
FINDINGS = [
    "联席会议记录缺少参会人员签字",
    "党员结对帮扶台账未及时更新",
    "群众反映的村道维修问题未按期办结",
    "工作动态连续两周未按时报送",
    "互派干部挂职安排未落实",
]
# The two schemes the demo county assesses by, and their indicators as `_add_indicators` reads them.
TOWNSHIP_SCHEME = {
    "name": "乡镇联村工作半年考核",
    "subject_kind": SubjectKind.TOWNSHIP,
    "period_kind": PeriodKind.HALF_YEAR,
    "description": "依据县联村办考核办法，每半年考核一次；可计算的指标全部由台账记录计算得出。",
}
TOWNSHIP_INDICATORS = [
    (Metric.WEEKLY_ON_TIME, "工作动态按时报送率", 20, 100, 90, 70),
    (Metric.ATTENDANCE, "例会村干部按时出勤率", 15, 100, 95, 85),
    (Metric.ISSUES_IN_MONTH, "例会问题一月内解决率", 15, 100, 90, 70),
    (Metric.LEDGER_SOLVED, "三本台账解决率", 15, 100, 85, 60),
    (Metric.OVERDUE_MEASURES, "整改措施逾期数", 10, 0, 0, 2),
    (Metric.DECISIONS_COMPLETED, "四议两公开完成事项", 10, 3, 3, 1),
    (Metric.INSPECTION_SCORE, "月度督查平均得分", 10, 95, 90, 80),
    (Metric.ENTERED, "群众评议满意度", 5, 95, 90, 80),
]
CADRE_SCHEME = {
    "name": "村干部年度考核",
    "subject_kind": SubjectKind.VILLAGE_CADRE,
    "period_kind": PeriodKind.YEAR,
    "description": "村两委主要干部是否按时参加例会，村书记每年至少领办1个自治类项目，纳入年度考核。",
}
CADRE_INDICATORS = [
    (Metric.ATTENDANCE, "例会按时出勤率", 50, 100, 90, 80),
    (Metric.PROJECTS_LED, "领办自治项目", 50, 1, 1, 1),
]
MEMBERS = "李王张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀兰", "志强", "桂英", "海涛", "春燕", "德明", "玉梅", "国平", "晓东"]


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


def _cadre(township) -> User | None:
    return User.objects.filter(role=Role.TOWNSHIP_CADRE, township=township, is_active=True).order_by("pk").first()


def _name(rng) -> str:
    return rng.choice(MEMBERS) + rng.choice(GIVEN)


def build(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    today = ctx.today
    clusters = list(
        Cluster.objects.filter(township__county=ctx.county, status=ClusterStatus.ESTABLISHED)
        .select_related("township")
        .order_by("-form", "established_on", "pk")
    )
    _inspections(ctx, office, clusters, today)
    _assessments(ctx, office, today)
    _village_cadres(ctx, office, clusters, today)
    _appraisals(ctx, clusters, today)
    _ratings(ctx, today)
    _contributions(ctx, clusters, today)
    ctx.log(f"    assessments: {len(clusters)} clusters inspected monthly")


def _inspections(ctx: DemoContext, office, clusters, today) -> None:
    rng = ctx.rng
    for month in _months_back(today, 12):
        with clock.on(month):
            inspection = services.create_round(
                county=ctx.county,
                month=month,
                title=f"{month.year}年{month.month}月联建工作督查",
                checklist=CHECKLIST,
                by=office,
            )
        items = list(inspection.checklist.all())
        visit_day = month.replace(day=18)
        candidates = [
            c for c in clusters if c.established_on and c.established_on <= visit_day - datetime.timedelta(days=7)
        ]
        joint = [c for c in candidates if c.form == Form.URBAN_RURAL]
        others = [c for c in candidates if c.form != Form.URBAN_RURAL]
        chosen = joint + rng.sample(others, min(len(others), 7))
        for offset, cluster in enumerate(chosen):
            day = month.replace(day=15 + offset % 10)
            marks = {item.pk: (max(0, item.max_points - rng.choice([0, 0, 1, 2, 3, 5, 8])), "") for item in items}
            with clock.on(day):
                visit = services.record_visit(
                    inspection=inspection,
                    cluster=cluster,
                    visited_on=day,
                    inspectors="县联村办督查组",
                    marks=marks,
                    by=office,
                )
                findings = []
                if visit.score < 88:
                    findings.append(
                        services.add_finding(
                            visit=visit,
                            description=rng.choice(FINDINGS),
                            owner=f"{cluster.township.name}包村干部",
                            deadline=day + datetime.timedelta(days=20),
                            by=office,
                        )
                    )
            cadre = _cadre(cluster.township)
            for finding in findings:
                fixed_on = day + datetime.timedelta(days=rng.randint(8, 30))
                if fixed_on >= today or cadre is None:
                    continue  # still open, some past their deadline
                with clock.on(fixed_on):
                    services.rectify_finding(
                        finding=finding, what_was_done="已按要求整改，补齐相关资料。", on=fixed_on, by=cadre
                    )
                checked_on = fixed_on + datetime.timedelta(days=3)
                if checked_on < today:
                    with clock.on(checked_on):
                        services.close_finding(finding=finding, by=office, opinion="经核查，整改到位。")
        if not chosen:
            continue
        next_month = (month + datetime.timedelta(days=32)).replace(day=3)
        with clock.on(min(next_month, today)):
            services.complete_round(inspection=inspection, by=office)
            circular = services.draft_circular(
                county=ctx.county,
                inspection=inspection,
                title=f"关于{month.year}年{month.month}月联建工作督查情况的通报",
                body=(
                    f"根据联建工作月度督查制度，县联村办于{month.month}月对{len(chosen)}个联合党组织进行了督查。"
                    "现将督查结果和排名通报如下。\n各乡镇要对照督查发现的问题，在规定时限内整改到位，并将整改情况报县联村办。"
                ),
                main_recipients="各乡镇党委、政府",
                copy_to="县委组织部，县委、县政府分管领导",
                issuing_organ=f"{ctx.county.name}联村自治办公室",
                year=min(next_month, today).year,
                by=office,
            )
            services.issue_circular(circular=circular, by=office)


def _add_indicators(scheme, spec, office) -> dict:
    """(metric, label, weight, target, green from, amber from) rows as the scheme's indicators, by metric."""
    return {
        metric: services.add_indicator(
            scheme=scheme,
            metric=metric,
            label=label,
            weight=weight,
            target=Decimal(target),
            green_from=Decimal(green),
            amber_from=Decimal(amber),
            by=office,
        )
        for metric, label, weight, target, green, amber in spec
    }


def _scheme(ctx: DemoContext, office, fields: dict, spec, first_period: tuple):
    """A scheme of `fields` with the indicators of `spec`, made the day after its first period
    `(label, starts on, ends on)` starts, that period open; returns the scheme, its indicators and the period."""
    with clock.on(first_period[1] + datetime.timedelta(days=1)):
        scheme = services.create_scheme(county=ctx.county, by=office, **fields)
        indicators = _add_indicators(scheme, spec, office)
        return scheme, indicators, _open_period(scheme, office, *first_period)


def _open_period(scheme, office, label: str, starts_on: datetime.date, ends_on: datetime.date):
    return services.open_period(scheme=scheme, label=label, starts_on=starts_on, ends_on=ends_on, by=office)


def _rate_townships(ctx: DemoContext, office, period, indicator, tenths: tuple[int, int]) -> None:
    """Each township's entered score, as the villagers' representatives rated it: tenths drawn from the range."""
    for township in ctx.townships:
        value = Decimal(ctx.rng.randint(*tenths)) / 10
        services.enter_score(
            period=period, indicator=indicator, subject_id=township.pk, value=value, note="村民代表测评", by=office
        )


def _assessments(ctx: DemoContext, office, today) -> None:
    year = today.year if today.month > 6 else today.year - 1
    first_half = (f"{year}年上半年", datetime.date(year, 1, 1), datetime.date(year, 6, 30))
    scheme, indicators, first = _scheme(ctx, office, TOWNSHIP_SCHEME, TOWNSHIP_INDICATORS, first_half)
    with clock.on(datetime.date(year, 7, 3)):
        _rate_townships(ctx, office, first, indicators[Metric.ENTERED], (850, 990))
        second = _open_period(scheme, office, f"{year}年下半年", datetime.date(year, 7, 1), datetime.date(year, 12, 31))
    with clock.on(datetime.date(year, 7, 6)):
        services.close_period(period=first, by=office)
    with clock.on(datetime.date(year, 7, 8)):
        services.publish_period(period=first, by=office)
    with clock.on(min(today, datetime.date(year, 11, 28))):
        _rate_townships(ctx, office, second, indicators[Metric.ENTERED], (860, 995))


PROJECTS = [
    "邻里互助站",
    "红色物业",
    "村级议事长廊",
    "老年食堂",
    "积分超市",
    "河道认领保洁",
    "田埂议事会",
    "乡贤调解队",
]


def _village_cadres(ctx: DemoContext, office, clusters, today) -> None:
    """Village secretaries lead self-government projects (seed 002); a scheme of village cadres assesses them."""
    from clusters.models import ClusterOfficer
    from meetings import services as meeting_services
    from meetings.models import DecisionStep

    rng, year = ctx.rng, today.year
    secretaries = (
        ClusterOfficer.objects.filter(
            voided_at__isnull=True,
            cluster__in=clusters,
            home_village__isnull=False,
            home_village__voided_at__isnull=True,
            post__contains="书记",
        )
        .select_related("cluster__township", "home_village")
        .order_by("pk")
    )
    led = 0
    for index, secretary in enumerate(secretaries):
        cadre = _cadre(secretary.cluster.township)
        if cadre is None or index % 6 == 5:
            continue  # a few secretaries have not led one yet this year
        opened = max(datetime.date(year, 1, 10), secretary.cluster.established_on or today)
        if opened >= today - datetime.timedelta(days=14):
            continue
        proposed = opened + datetime.timedelta(days=rng.randint(0, max((today - opened).days - 14, 0)))
        with clock.on(proposed):
            project = meeting_services.start_decision(
                village=secretary.home_village, by=cadre, title=rng.choice(PROJECTS), lead=secretary
            )
            meeting_services.record_decision_step(
                decision=project, by=cadre, step=DecisionStep.PROPOSAL, held_on=proposed, passed=True
            )
        consulted = proposed + datetime.timedelta(days=7)
        with clock.on(consulted):
            meeting_services.record_decision_step(
                decision=project, by=cadre, step=DecisionStep.CONSULTATION, held_on=consulted, passed=True
            )
        led += 1
    whole_year = (f"{year}年", datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    _scheme(ctx, office, CADRE_SCHEME, CADRE_INDICATORS, whole_year)
    ctx.log(f"    assessments: {led} self-government projects led by village secretaries")


def _appraisals(ctx: DemoContext, clusters, today) -> None:
    rng = ctx.rng
    year = today.year if today.month > 6 else today.year - 1
    organisations = [c for c in clusters if c.form == Form.URBAN_RURAL] + clusters[2:6]
    unqualified_given = False
    for half, held in [
        (1, datetime.date(year, 6, 26)),
        (2, min(today - datetime.timedelta(days=3), datetime.date(year, 11, 26))),
    ]:
        for cluster in organisations:
            cadre = _cadre(cluster.township)
            if cadre is None or cluster.established_on is None or cluster.established_on > held:
                continue
            voters = rng.randint(28, 45)
            with clock.on(held):
                appraisal = services.record_appraisal(
                    township=cluster.township,
                    cluster=cluster,
                    year=year,
                    half=half,
                    held_on=held,
                    voters=voters,
                    by=cadre,
                )
                used = set()
                for _index in range(rng.randint(6, 9)):
                    member = _name(rng)
                    if member in used:
                        continue
                    used.add(member)
                    cast = voters - rng.randint(0, 3)
                    if not unqualified_given and half == 1:
                        votes = {"excellent": 1, "qualified": cast // 3, "basic": cast // 6}
                        votes["unqualified"] = cast - sum(votes.values())
                        helper = "联村党总支书记" + _name(rng)
                        unqualified_given = True
                    else:
                        excellent = rng.randint(cast // 3, max(cast // 3, cast - 3))
                        basic = rng.randint(0, 2)
                        unqualified = rng.randint(0, 1)
                        # Every count stays within the votes cast (a vote count is never negative).
                        basic = min(basic, cast - excellent)
                        unqualified = min(unqualified, cast - excellent - basic)
                        votes = {
                            "excellent": excellent,
                            "qualified": cast - excellent - basic - unqualified,
                            "basic": basic,
                            "unqualified": unqualified,
                        }
                        helper = ""
                    result = services.record_result(
                        appraisal=appraisal, member=member, unit=cluster.name, helper=helper, by=cadre, **votes
                    )
            if result.helper:
                for days in (10, 40, 75):
                    follow_day = held + datetime.timedelta(days=days)
                    if follow_day < today:
                        with clock.on(follow_day):
                            services.add_follow_up(
                                result=result,
                                on_date=follow_day,
                                note="帮促人谈心谈话，督促其参加组织生活并认领服务岗位。",
                                by=cadre,
                            )


def _ratings(ctx: DemoContext, today) -> None:
    rng = ctx.rng
    year = today.year
    villages = list(
        Village.objects.filter(township__county=ctx.county, voided_at__isnull=True)
        .select_related("township")
        .order_by("code")
    )
    low_left = 3  # seed 002: three 网格员 under 80% were moved
    with clock.on(today):
        for village in rng.sample(villages, min(40, len(villages))):
            cadre = _cadre(village.township)
            if cadre is None:
                continue
            for post in (StarRating.Post.CENTRAL_HOUSEHOLD, StarRating.Post.GRID_WORKER):
                surveyed = rng.randint(40, 120)
                if post == StarRating.Post.GRID_WORKER and low_left:
                    satisfied = surveyed * rng.randint(60, 78) // 100
                    stars = 1
                    low_left -= 1
                else:
                    satisfied = surveyed * rng.randint(82, 99) // 100
                    stars = rng.choice([3, 4, 4, 5])
                services.record_star_rating(
                    village=village,
                    person=_name(rng),
                    post=post,
                    year=year,
                    stars=stars,
                    surveyed=surveyed,
                    satisfied=satisfied,
                    by=cadre,
                )


# Seed 004's city totals, per urban partner (21 communities and 28 enterprises gave the funds).
PER_PARTNER = {
    ContributionKind.FUNDS: (Decimal(500_000_000) / 49, "产业项目投资"),
    ContributionKind.PROJECTS: (Decimal(77) / 49, "新上合作项目"),
    ContributionKind.JOBS: (Decimal(9000) / 49, "吸纳本村劳动力就业"),
    ContributionKind.INFORMATION: (Decimal(780) / 49, "提供致富信息"),
    ContributionKind.INFRASTRUCTURE: (Decimal(9_800_000) / 49, "修路、通自来水、安装路灯"),
    ContributionKind.HOT_ISSUES: (Decimal(4), "帮助解决群众热点难点问题"),
}


def _contributions(ctx: DemoContext, clusters, today) -> None:
    rng = ctx.rng
    for cluster in [c for c in clusters if c.form == Form.URBAN_RURAL and c.partner_unit_id]:
        cadre = _cadre(cluster.township)
        if cadre is None:
            continue
        start = max(cluster.established_on, today - datetime.timedelta(days=365))
        for kind, (total, description) in PER_PARTNER.items():
            parts = 4 if kind in {ContributionKind.FUNDS, ContributionKind.JOBS, ContributionKind.INFORMATION} else 2
            remaining = total.quantize(Decimal("1"))
            for number in range(parts):
                amount = (
                    remaining
                    if number == parts - 1
                    else (total / parts * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal("1"))
                )
                remaining -= amount
                if amount <= 0:
                    continue
                span = max((today - start).days - 1, 1)
                day = start + datetime.timedelta(days=span * (number + 1) // (parts + 1))
                with clock.on(today):
                    services.record_contribution(
                        cluster=cluster, kind=kind, amount=amount, on_date=day, description=description, by=cadre
                    )
