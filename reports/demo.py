"""Demo weekly reports: twelve weeks for every established cluster, some late, missing or returned.

Reports are written through the services at the moment a cadre would have
written them: the product clock is moved to each moment and put back after.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Role, User
from clusters.models import Cluster
from lianchun import clock
from lianchun.demodata import DemoContext

from . import services
from .models import WeeklyReport
from .weeks import Week, current_week

WEEKS = 12
PROGRESS = [
    "召开联村党总支会议，研究联村产业项目推进；入户走访农户，收集群众意见建议。",
    "组织联村委员会例会，协调村道硬化施工；开展政策宣讲，调解邻里纠纷两起。",
    "推进联村合作社建设，完成土地流转登记；走访困难群众，落实临时救助。",
    "联村党员活动日集中学习；排查安全隐患，督促整改；开展环境整治。",
    "对接县农业农村局技术指导；召开院坝议事会，商议灌溉水渠维修方案。",
]
PROBLEMS = [
    "部分群众对联村发展共同利益认识不足。",
    "联村产业项目资金缺口较大。",
    "村道维修涉及两村土地，协调难度大。",
    "",
]
PLANS = [
    "召开联村委员会例会，部署下阶段重点工作。",
    "继续入户走访，完成全部农户意见征集。",
    "推进合作社注册，落实产业项目用地。",
    "组织党员志愿服务，开展人居环境整治。",
]
COORDINATION = ["", "", "请县交通局支持联村道路建设项目。", "请县农业农村局安排技术人员指导。"]
ANSWERS = ["已阅，工作扎实，继续推进。", "收到。请将产业项目进展纳入下周调度会汇报。", "已转县直相关部门协调。"]
RETURN_REASONS = ["走访数据与台账不一致，请核实后重新报送。", "存在问题过于笼统，请写明具体村和事项。"]


def _at(moment: datetime.datetime) -> None:
    clock.reset()
    clock.travel(moment - timezone.now())


def _moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _cadres(ctx: DemoContext) -> dict[int, User]:
    cadres = {}
    for user in User.objects.filter(role=Role.TOWNSHIP_CADRE, is_active=True).order_by("-pk"):
        cadres[user.township_id] = user
    for user in ctx.users.values():
        if user.role == Role.TOWNSHIP_CADRE:
            cadres[user.township_id] = user
    return cadres


def _content(rng, plan: str) -> dict:
    progress = plan + "\n" + rng.choice(PROGRESS) if plan else rng.choice(PROGRESS)
    return {
        "progress": progress,
        "problems": rng.choice(PROBLEMS),
        "next_week_plan": rng.choice(PLANS),
        "coordination": rng.choice(COORDINATION),
        "meetings_held": rng.randint(1, 4),
        "households_visited": rng.randint(10, 80),
        "opinions_collected": rng.randint(0, 12),
        "issues_solved": rng.randint(0, 6),
    }


def build(ctx: DemoContext) -> None:
    rng = ctx.rng
    office = ctx.users["office"]
    cadres = _cadres(ctx)
    this_week = current_week()
    weeks = [this_week]
    for _number in range(WEEKS):
        weeks.insert(0, weeks[0].previous())
    clusters = list(
        Cluster.objects.filter(township__county=ctx.county, established_on__isnull=False).order_by(
            "township__code", "pk"
        )
    )
    returned_townships = {user.township_id for user in (ctx.users.get("cadre1"), ctx.users.get("cadre2")) if user}
    counts = {"on_time": 0, "late": 0, "missing": 0, "returned": 0, "draft": 0}
    try:
        for cluster in clusters:
            cadre = cadres.get(cluster.township_id)
            if cadre is None:
                continue
            plan = ""
            # The first cluster of the two demo cadres' townships has a report back for revision.
            returned_week = weeks[-3] if cluster.township_id in returned_townships else None
            returned_townships.discard(cluster.township_id)
            for week in weeks:
                if not services.expects_report(cluster, week):
                    continue
                _write_week(
                    ctx, rng, cluster, cadre, office, week, this_week, plan, counts, force_return=week == returned_week
                )
                report = WeeklyReport.objects.filter(cluster=cluster, iso_year=week.year, iso_week=week.number).first()
                plan = report.next_week_plan if report else ""
    finally:
        clock.reset()
    ctx.log(
        "    weekly reports: {on_time} on time, {late} late, {missing} missing, {returned} returned, {draft} drafts".format(
            **counts
        )
    )


def _write_week(
    ctx,
    rng,
    cluster,
    cadre,
    office,
    week: Week,
    this_week: Week,
    plan: str,
    counts: dict,
    *,
    force_return: bool = False,
) -> None:
    now = timezone.now()
    friday = week.monday + datetime.timedelta(days=4)
    if week == this_week:
        # This week: about half the clusters have started a draft.
        if rng.random() < 0.5 and _moment(week.monday, 9) < now:
            _at(min(now, _moment(week.monday, 16)))
            services.save_weekly_report(
                cluster=cluster, week=week, by=cadre, expected_version=None, **_content(rng, plan)
            )
            counts["draft"] += 1
        return
    roll = 0.5 if force_return else rng.random()
    if roll < 0.06:
        counts["missing"] += 1
        return
    if roll < 0.10 and now > week.deadline:
        _at(_moment(friday, 17))
        services.save_weekly_report(cluster=cluster, week=week, by=cadre, expected_version=None, **_content(rng, plan))
        counts["draft"] += 1
        return
    late = roll < 0.22
    written = _moment(friday, rng.randint(9, 16), rng.randint(0, 59))
    if late:
        submitted_at = _moment(
            week.deadline.date() + datetime.timedelta(days=rng.randint(0, 2)), rng.randint(14, 17), rng.randint(0, 59)
        )
    else:
        # Friday afternoon, Saturday morning or Monday morning before noon.
        day, hour = rng.choice(
            [
                (friday, 16),
                (friday, 17),
                (friday + datetime.timedelta(days=1), 10),
                (week.deadline.date(), 9),
                (week.deadline.date(), 10),
            ]
        )
        submitted_at = _moment(day, hour, rng.randint(0, 59))
    if submitted_at > now:
        # Last week's report not sent yet: still a draft, due later or now missing.
        _at(min(written, now))
        services.save_weekly_report(cluster=cluster, week=week, by=cadre, expected_version=None, **_content(rng, plan))
        counts["draft"] += 1
        return
    _at(written)
    report = services.save_weekly_report(
        cluster=cluster, week=week, by=cadre, expected_version=None, **_content(rng, plan)
    )
    _at(submitted_at)
    services.submit_weekly_report(report=report, by=cadre)
    counts["late" if late else "on_time"] += 1
    responded_at = submitted_at + datetime.timedelta(hours=rng.randint(20, 70))
    if responded_at > now:
        return  # waits in the county office's inbox
    _at(responded_at)
    if force_return or rng.random() < 0.08:
        services.return_weekly_report(report=report, reason=rng.choice(RETURN_REASONS), by=office)
        counts["returned"] += 1
        fixed_at = responded_at + datetime.timedelta(hours=rng.randint(3, 30))
        if force_return or fixed_at > now or rng.random() < 0.3:
            return  # still with the township for revision
        _at(fixed_at)
        report.refresh_from_db()
        services.save_weekly_report(
            cluster=cluster,
            week=week,
            by=cadre,
            expected_version=report.version,
            progress=report.progress + "\n（已按县联村办意见核实补充）",
        )
        report.refresh_from_db()
        services.submit_weekly_report(report=report, by=cadre)
        responded_at = fixed_at + datetime.timedelta(hours=rng.randint(5, 40))
        if responded_at > now:
            return
        _at(responded_at)
    # The county office answers everything but the most recent weeks, where some still wait in its inbox.
    if now - responded_at > datetime.timedelta(days=14) or rng.random() < 0.6:
        services.answer_weekly_report(report=report, answer=rng.choice(ANSWERS), by=office)
