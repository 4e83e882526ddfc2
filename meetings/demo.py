"""Demo meetings: a quarter of every kind, with open, overdue and closed issues and decisions at every step.

Built through the services, as the county office and the township cadres would, with the clock as it is:
every date lies in the past thirteen weeks, and a few meetings are still to come.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from clusters.models import Cluster
from clusters.models import Status as ClusterStatus
from lianchun.demodata import DemoContext
from villages.models import Village

from . import services
from .models import DecisionStep, MeetingKind, Outcome

DAY = datetime.timedelta(days=1)
AREAS = ["东片", "西片", "南片", "北片"]
TOPICS = [
    "秋收秋种与防火工作部署",
    "人居环境整治推进",
    "联村产业项目协调",
    "“三本台账”运行情况交流",
    "年度目标完成情况汇报",
]
ISSUES = [
    (
        "通往集市的村道破损，雨天无法通行",
        "王副镇长",
        Outcome.SPECIAL_MEETING,
        "镇政府召开专题会议，列入今冬修路计划并已开工。",
    ),
    ("灌溉水渠被水葫芦堵塞", "水利站刘站长", Outcome.ESCALATED, "已报县水务局，由县水务局统一清理。"),
    ("村卫生室缺少常用药品", "卫生院张院长", Outcome.ON_THE_SPOT, ""),
    ("低保评定结果部分群众有疑问", "民政办陈主任", Outcome.EXPLAINED, "逐户上门解释评定标准和程序，群众表示理解。"),
    ("路灯损坏多处", "城建办周主任", Outcome.SPECIAL_MEETING, "专题会议研究后统一更换。"),
    ("塘堰淤积需要清淤", "农业办赵主任", Outcome.EXPLAINED, "按“一事一议”筹资，群众讨论后分步实施。"),
    ("留守老人就餐困难", "民政办陈主任", Outcome.ESCALATED, "已报县民政局争取居家养老服务点项目。"),
    ("村集体仓库漏雨", "包村干部吴某", Outcome.ON_THE_SPOT, ""),
]
DECISIONS = [
    "修建村文化广场",
    "村集体土地流转给合作社",
    "村道硬化工程招标",
    "光伏发电项目入股",
    "村办公用房维修",
    "自来水管网改造",
    "村集体鱼塘承包",
    "设立村级互助养老点",
]


# The hour each kind of meeting starts at: the county's in the afternoon, 例会 in the morning, 院坝议事 after supper.
HOURS = {
    MeetingKind.DISPATCH: 15,
    MeetingKind.EXCHANGE: 14,
    MeetingKind.ONSITE: 9,
    MeetingKind.TOWNSHIP: 9,
    MeetingKind.JOINT: 15,
    MeetingKind.VILLAGE: 19,
}
COUNTY_KEEPER = "县联村办李秘书"


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _convene(ctx, by, kind, on, *, notice_days: int, held_with=None, issues: int = 0, **details):
    """A meeting of `kind` on `on` at its usual hour, notified in writing `notice_days` before; `details` are the
    rest of what `schedule_meeting` takes (topic, place, minutes keeper, who attends). Held (roll, minutes,
    `issues` raised) with the `held_with` villages; still to come when `held_with` is not given."""
    meeting = services.schedule_meeting(
        by=by, kind=kind, starts_at=_at(on, HOURS[kind]), notice_sent_on=on - notice_days * DAY, **details
    )
    if held_with is not None:
        _hold(ctx, by, meeting, held_with, issues=issues)
    return meeting


def _hold(ctx, by, meeting, villages, *, issues: int) -> None:
    """The roll taken, minutes and raised issues of a meeting already held; older issues get outcomes.

    Whom the records name is on the roll already; where they name no one (villages outside a cluster),
    the village secretaries are listed by hand, as a township does when it calls its 例会.
    """
    rng, today = ctx.rng, ctx.today
    if not meeting.roll.exists():
        names: set[str] = set()
        lines = []
        for village in villages[:5]:
            name = ctx.person_name()
            while name in names:
                name = ctx.person_name()
            names.add(name)
            lines.append(f"{name}，{village.name}党支部书记")
        services.add_to_roll(meeting=meeting, by=by, people="\n".join(lines))
    for invitee in meeting.roll.all():
        roll = rng.random()
        status = "present" if roll < 0.74 else "late" if roll < 0.8 else "leave" if roll < 0.93 else "absent"
        services.mark_attendance(
            meeting=meeting,
            by=by,
            name=invitee.name,
            status=status,
            leave_approved_by="乡镇党委书记" if status == "leave" else "",
        )
    if rng.random() < 0.2:  # someone who came without being on the roll
        services.add_attendance(meeting=meeting, by=by, name="何振华", unit="镇农业综合服务中心", status="present")
    services.record_minutes(
        meeting=meeting,
        by=by,
        minutes=f"会议由{meeting.convener_name}主持。各村汇报近期工作，围绕“{meeting.topic}”进行讨论，对反映的问题逐一明确责任人和办理时限。",
    )
    for _ in range(issues):
        text, owner, outcome, note = rng.choice(ISSUES)
        village = rng.choice(villages) if villages else None
        issue = services.raise_issue(
            meeting=meeting,
            by=by,
            description=text,
            raised_by=f"{village.name}书记" if village else "与会代表",
            owner=owner,
            village=village,
        )
        age = (today - meeting.date).days
        # Older issues are mostly closed; some are left open past their month to show the overdue list.
        if outcome == Outcome.ON_THE_SPOT:
            services.record_outcome(issue=issue, by=by, outcome=outcome, outcome_on=meeting.date)
        elif age > 20 and rng.random() < 0.85:
            done = min(today, meeting.date + rng.randint(3, 25) * DAY)
            services.record_outcome(issue=issue, by=by, outcome=outcome, outcome_on=done, note=note)
        if issue.outcome and rng.random() < 0.7:
            services.publish_outcome(issue=issue, by=by, published_on=min(today, issue.outcome_on + 2 * DAY))


def _villages_of(township) -> list[Village]:
    return list(Village.objects.filter(township=township, voided_at__isnull=True).order_by("code")[:8])


def build(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    office = ctx.users["office"]
    townships = ctx.townships
    villages = {t.pk: _villages_of(t) for t in townships}
    quarter_start = today - 13 * 7 * DAY

    # 两周一调度: county dispatch meetings every fortnight; the last one 16 days ago, so one is due now.
    day = quarter_start + 3 * DAY
    while day <= today - 16 * DAY:
        _convene(
            ctx,
            office,
            MeetingKind.DISPATCH,
            day,
            topic=f"联村工作第{(day - quarter_start).days // 14 + 1}次调度会",
            place="县委大楼第一会议室",
            minutes_keeper=COUNTY_KEEPER,
            notice_days=3,
            townships=townships,
            held_with=[v for t in townships[:4] for v in villages[t.pk][:1]],
            issues=1,
        )
        day += 14 * DAY

    # 一月一交流 by area: four areas of the townships; 北片 missed last month.
    areas = {name: townships[index::4] for index, name in enumerate(AREAS)}
    for months_back in (2, 1, 0):
        anchor = (today.replace(day=1) - datetime.timedelta(days=28 * months_back)).replace(day=12)
        for position, (name, members) in enumerate(areas.items()):
            if name == "北片" and months_back == 1:
                continue
            on = anchor + position * DAY
            if on > today:
                on = today - DAY
            _convene(
                ctx,
                office,
                MeetingKind.EXCHANGE,
                on,
                topic=f"{name}联村工作交流会",
                place=f"{members[0].name}政府会议室",
                minutes_keeper=COUNTY_KEEPER,
                notice_days=5,
                area=name,
                townships=members,
                held_with=villages[members[0].pk],
                issues=1,
            )

    # A county on-site meeting (现场会) in the first township, and the next dispatch meeting not yet scheduled.
    onsite_day = today - 30 * DAY
    _convene(
        ctx,
        office,
        MeetingKind.ONSITE,
        onsite_day,
        topic="联村自治现场观摩会",
        place=f"{townships[1].name}马园联村",
        minutes_keeper=COUNTY_KEEPER,
        notice_days=7,
        townships=townships,
        held_with=villages[townships[1].pk],
    )

    # 乡镇例会: every township monthly; the two demo townships twice a month with more issues.
    for index, township in enumerate(townships):
        cadre = ctx.township_cadre(index)
        own = villages[township.pk]
        busy = index < 2
        dates = (
            [quarter_start + (7 + 14 * k) * DAY for k in range(7)]
            if busy
            else [quarter_start + (10 + 30 * k) * DAY for k in range(3)]
        )
        for number, on in enumerate(dates, start=1):
            short = busy and number == 3
            _convene(
                ctx,
                cadre,
                MeetingKind.TOWNSHIP,
                on,
                topic=f"村两委主要干部例会：{rng.choice(TOPICS)}",
                place=f"{township.name}政府三楼会议室",
                minutes_keeper=ctx.person_name(),
                notice_days=2 if short else rng.choice([5, 6, 7]),
                urgent_reason="防汛紧急部署，须提前召开" if short else "",
                held_with=own,
                issues=rng.randint(2, 3) if busy else 1,
            )
        if busy:
            # The next 例会 is scheduled, notified today for a week ahead.
            _convene(
                ctx,
                cadre,
                MeetingKind.TOWNSHIP,
                today + 7 * DAY,
                topic="村两委主要干部例会：年终工作安排",
                place=f"{township.name}政府三楼会议室",
                minutes_keeper=ctx.person_name(),
                notice_days=7,
            )

    # 联席会议 of established clusters, 院坝议事会 and a township on-site meeting in the two demo townships.
    for index in (0, 1):
        cadre, township = ctx.township_cadre(index), townships[index]
        own = villages[township.pk]
        clusters = list(Cluster.objects.filter(township=township, status=ClusterStatus.ESTABLISHED).order_by("pk")[:2])
        for months_back in (2, 1, 0):
            on = today - (months_back * 30 + 5) * DAY
            cluster = clusters[months_back % len(clusters)] if clusters else None
            _convene(
                ctx,
                cadre,
                MeetingKind.JOINT,
                on,
                topic="联村月度联席会议",
                place="联村党群服务中心",
                minutes_keeper=ctx.person_name(),
                notice_days=4,
                cluster=cluster,
                organisation="" if cluster else "城关街道光明社区城乡联合党委",
                held_with=own,
                issues=1,
            )
        for number, village in enumerate(own[:2]):
            on = today - (20 + 25 * number) * DAY
            _convene(
                ctx,
                cadre,
                MeetingKind.VILLAGE,
                on,
                topic=f"{village.name}院坝议事：村道硬化方案",
                place=f"{village.name}文化广场",
                minutes_keeper="村文书",
                notice_days=3,
                village=village,
                held_with=[village],
                issues=1,
            )
        _convene(
            ctx,
            cadre,
            MeetingKind.ONSITE,
            today - 45 * DAY,
            topic="人居环境整治观摩会",
            place=f"{own[0].name}",
            minutes_keeper=ctx.person_name(),
            notice_days=5,
            held_with=own,
        )

        # 四议两公开: one decision stopped at every step, one completed, one that failed its vote.
        start = today - 60 * DAY
        for steps, title in enumerate(DECISIONS[:7]):
            decision = services.start_decision(village=own[steps % len(own)], by=cadre, title=title)
            _take_steps(decision, cadre, steps, start + steps * DAY)
        failed = services.start_decision(village=own[-1], by=cadre, title=DECISIONS[7])
        _take_steps(failed, cadre, 2, start)
        services.record_decision_step(
            decision=failed,
            by=cadre,
            step=DecisionStep.REVIEW,
            held_on=start + 10 * DAY,
            members=32,
            present=26,
            in_favour=11,
            against=14,
            note="多数党员认为选址不当，建议重新论证。",
        )


def _take_steps(decision, cadre, count: int, first: datetime.date) -> None:
    for position, step in enumerate(list(DecisionStep)[:count]):
        on = first + position * 6 * DAY
        extra = {}
        if step == DecisionStep.REVIEW:
            extra = {"members": 30, "present": 26, "in_favour": 24, "against": 1}
        elif step == DecisionStep.RESOLUTION:
            extra = {"members": 45, "present": 38, "in_favour": 35, "against": 2}
        elif step in (DecisionStep.PROPOSAL, DecisionStep.CONSULTATION):
            extra = {"passed": True}
        services.record_decision_step(decision=decision, by=cadre, step=step, held_on=on, **extra)
