"""Demo rectification: a dozen 一村一策 plans in every state and round, and a few hundred ledger entries.

Everything goes through the services, as the townships and the organisation department would.
Township 0 (城关镇, account cadre1) gets seed 003's figures for its livelihood ledger: 39 collected, 34 solved.
"""

from __future__ import annotations

import datetime

from accounts.models import Role, User
from lianchun import clock
from lianchun.demodata import DemoContext
from villages.models import Standing, Village

from . import services
from .models import ContactClass, Governance, HandlingMethod, LedgerEntry, LedgerKind

ALL_CHECKS = {"problems_accurate": True, "measures_targeted": True, "responsibility_clear": True}
EXTRA_LEADERS = [("rect_leader1", "孙建华"), ("rect_leader2", "周文斌"), ("rect_leader3", "吴海燕")]
PROBLEMS = [
    (
        Governance.WEAKNESS,
        "村党支部书记长期缺职，班子软弱，组织生活不正常",
        "选派乡机关干部任第一书记，三个月内配齐书记",
        "乡党委组织委员",
    ),
    (
        Governance.LAXITY,
        "三会一课不落实，村级制度不健全",
        "建立三会一课台账，每月督查一次，完善村规民约",
        "村党支部书记",
    ),
    (
        Governance.POVERTY,
        "村集体经济空白，无稳定收入来源",
        "盘活闲置厂房发展来料加工，年底集体收入达到5万元",
        "包村干部",
    ),
    (Governance.DISORDER, "宅基地纠纷引发群体上访，矛盾复杂交织", "成立调解小组逐户化解，一月一研判", "乡综治办主任"),
    (Governance.CORRUPTION, "村级财务不公开，群众反映强烈", "开展村级财务审计，按月公开收支", "乡经管站站长"),
    (Governance.FALSEHOOD, "工作台账造假应付检查", "建立明察暗访制度，发现一起通报一起", "乡纪委书记"),
    (Governance.IDLENESS, "村干部坐班不到位，群众办事难", "推行轮流坐班和值班日志", "村委会主任"),
    (Governance.MEDIOCRITY, "班子成员年龄偏大，带富能力弱", "培养两名后备干部，组织外出学习", "乡党委副书记"),
]
MATTERS = {
    LedgerKind.Standard.LIVELIHOOD: [
        "村组道路破损需硬化",
        "饮水管道老化漏水",
        "灌溉渠道淤堵",
        "路灯损坏",
        "断头路影响出行",
        "塘堰除淤",
        "水葫芦阻塞河道",
        "垃圾清运不及时",
    ],
    LedgerKind.Standard.STABILITY: ["宅基地边界纠纷", "土地承包合同争议", "征地补偿款分配争议", "邻里用水矛盾"],
    LedgerKind.Standard.HARDSHIP: [
        "独居老人生活困难",
        "因病致贫申请救助",
        "残疾人申请低保",
        "留守儿童上学困难",
        "危房改造申请",
        "五保户住房漏雨",
    ],
}
HANDLING = {
    LedgerKind.Standard.LIVELIHOOD: ["一事一议", "挂包帮", "部门协调"],
    LedgerKind.Standard.STABILITY: ["部门协调", "上报上级"],
    LedgerKind.Standard.HARDSHIP: ["低保", "五保", "临时救助", "医疗救助", "挂包帮"],
}
OWNERS = ["李书记", "王主任", "张委员", "刘会计", "陈包村干部", "赵网格员"]

# (status to reach, review rounds, contact class): twelve plans across every state
PLAN_SCRIPT = [
    ("draft", 0, ContactClass.COUNTY_C),
    ("returned", 1, ContactClass.COUNTY_C),
    ("proposed", 2, ContactClass.CITY_B),
    ("advised", 1, ContactClass.COUNTY_C),
    ("rectifying", 1, ContactClass.CITY_B),
    ("rectifying", 2, ContactClass.COUNTY_C),
    ("rectifying_overdue", 1, ContactClass.COUNTY_C),
    ("consolidating", 1, ContactClass.COUNTY_C),
    ("consolidating", 2, ContactClass.CITY_B),
    ("closed_raised", 1, ContactClass.COUNTY_C),
    ("closed", 2, ContactClass.COUNTY_C),
    ("reopened", 1, ContactClass.CITY_B),
]


def _cadre_for(ctx: DemoContext, township) -> User:
    return ctx.township_cadre(ctx.townships.index(township))


def _leaders(ctx: DemoContext) -> list[User]:
    leaders = [ctx.users["leader"]]
    for username, name in EXTRA_LEADERS:
        user = User(username=username, full_name=name, role=Role.COUNTY_LEADER, county=ctx.county)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        leaders.append(user)
    return leaders


def _weak_villages(ctx: DemoContext) -> list[Village]:
    """Weak villages, those of the two demo cadres' townships first, so their logins show plans."""
    villages = list(
        Village.objects.filter(township__county=ctx.county, is_weak=True, voided_at__isnull=True)
        .select_related("township__county")
        .order_by("code")
    )
    demo_townships = {ctx.townships[0].pk, ctx.townships[1].pk}
    first = [v for v in villages if v.township_id in demo_townships][:6]
    rest = [v for v in villages if v.township_id not in demo_townships]
    return first + rest


def _draft(ctx, village, cadre, leader, contact_class, *, items: int, overdue: bool = False):
    """Draft a plan; one whose measures are to be overdue was drafted months ago (a deadline never precedes it)."""
    with clock.on(clock.today() - datetime.timedelta(days=120 if overdue else 0)):
        return _draft_now(ctx, village, cadre, leader, contact_class, items=items, overdue=overdue)


def _draft_now(ctx, village, cadre, leader, contact_class, *, items: int, overdue: bool):
    rng = ctx.rng
    plan = services.create_plan(
        village=village,
        by=cadre,
        county_leader=leader,
        contact_class=contact_class,
        work_team=rng.choice(["县农业农村局工作组", "县民政局驻村工作组", "县供电公司帮扶组", ""]),
        first_secretary=rng.choice(["赵立军", "钱晓峰", "孙丽", ""]),
    )
    for number, (governance, problem, measure, responsible) in enumerate(rng.sample(PROBLEMS, items)):
        days = (-20 - 15 * number) if overdue and number < 2 else 30 + 30 * number
        services.add_item(
            plan=plan,
            by=cadre,
            governance=governance,
            problem=problem,
            measure=measure,
            responsible=responsible,
            deadline=ctx.today + datetime.timedelta(days=days),
        )
    return plan


def _review(ctx, plan, cadre, org, *, rounds: int, finish: str) -> None:
    """Take the plan through `rounds` rounds; the last ends as `finish` (proposed, advised, returned, approved)."""
    for number in range(1, rounds + 1):
        services.propose_plan(
            plan=plan,
            by=cadre,
            meeting_date=ctx.today - datetime.timedelta(days=40 - number * 10),
            entitled=41 + number,
            present=38 + number,
            in_favour=37 + number,
            meeting_result="同意整顿方案",
        )
        last = number == rounds
        if last and finish == "proposed":
            return
        services.advise_plan(
            plan=plan, by=org, advice="整改措施总体可行。建议围绕“八治”细化措施，明确每项措施的完成时限和责任人。"
        )
        if last and finish == "advised":
            return
        if not last or finish == "returned":
            services.return_plan(
                plan=plan,
                by=org,
                checks={"problems_accurate": True, "measures_targeted": False, "responsibility_clear": number > 1},
                note="整改措施针对性不强，请结合村情细化，明确责任人和时限后重新上报。",
            )
            if last:
                return
            item = plan.items.filter(voided_at__isnull=True).first()
            services.update_item(item=item, by=cadre, measure=item.measure + "；每周向乡党委报告进展")
            continue
        services.approve_plan(plan=plan, by=org, checks=ALL_CHECKS, note="同意按方案实施整顿。")


def _progress(ctx, plan, cadre, *, complete: bool) -> None:
    for item in plan.items.filter(voided_at__isnull=True):
        services.record_progress(
            item=item,
            by=cadre,
            on_date=ctx.today - datetime.timedelta(days=5),
            evidence="已召开支委会研究落实，见会议记录和照片。",
        )
        if complete:
            services.record_progress(
                item=item, by=cadre, on_date=ctx.today, evidence="措施已落实到位，经乡党委验收。", marks_complete=True
            )


def build_plans(ctx: DemoContext) -> None:
    org = ctx.users["orgdept"]
    leaders = _leaders(ctx)
    villages = _weak_villages(ctx)
    for index, (goal, rounds, contact_class) in enumerate(PLAN_SCRIPT):
        if index >= len(villages):
            break
        village = villages[index]
        cadre = _cadre_for(ctx, village.township)
        plan = _draft(
            ctx,
            village,
            cadre,
            leaders[index % len(leaders)],
            contact_class,
            items=2 + index % 3,
            overdue=goal == "rectifying_overdue",
        )
        if goal == "draft":
            continue
        finish = {"returned": "returned", "proposed": "proposed", "advised": "advised"}.get(goal, "approved")
        _review(ctx, plan, cadre, org, rounds=rounds, finish=finish)
        if finish != "approved":
            continue
        if goal.startswith("rectifying"):
            if goal == "rectifying":
                _progress(ctx, plan, cadre, complete=False)
            continue
        _progress(ctx, plan, cadre, complete=True)
        services.start_consolidation(plan=plan, by=org, note="集中整顿任务完成，转入巩固提升阶段。")
        if goal == "consolidating":
            continue
        raise_to = Standing.AVERAGE if goal == "closed_raised" else ""
        services.close_out_plan(
            plan=plan, by=org, note="经县委组织部验收，整顿达到预期目标，予以销号。", raise_standing_to=raise_to
        )
        if goal == "reopened":
            services.reopen_plan(plan=plan, by=org, note="村班子出现反复回潮，群众反映强烈，重新纳入整顿。")


def build_ledgers(ctx: DemoContext) -> None:
    rng = ctx.rng
    county = ctx.county
    kinds = {kind.standard: kind for kind in LedgerKind.objects.filter(county=county).exclude(standard="")}
    methods = {method.name: method for method in HandlingMethod.objects.filter(county=county)}
    services.add_ledger_kind(county=county, by=ctx.users["office"], name="计生台账")

    def add(village, cadre, standard, solved: bool) -> None:
        collected = ctx.today - datetime.timedelta(days=rng.randint(10, 200))
        services.create_ledger_entry(
            village=village,
            by=cadre,
            kind=kinds[standard],
            source=rng.choice(LedgerEntry.Source.values),
            collected_on=collected,
            summary=rng.choice(MATTERS[standard]),
            owner=rng.choice(OWNERS),
            handling=methods[rng.choice(HANDLING[standard])],
            status=LedgerEntry.Status.SOLVED if solved else LedgerEntry.Status.IN_PROGRESS,
            solved_on=min(collected + datetime.timedelta(days=rng.randint(3, 60)), ctx.today) if solved else None,
        )

    # Township 0 carries seed 003's figures: 39 livelihood (34 solved), 10 stability (9), 60 hardship (58).
    first = ctx.townships[0]
    cadre = _cadre_for(ctx, first)
    villages = list(Village.objects.filter(township=first, voided_at__isnull=True).order_by("code")[:16])
    for standard, total, solved in (("livelihood", 39, 34), ("stability", 10, 9), ("hardship", 60, 58)):
        for number in range(total):
            add(villages[number % len(villages)], cadre, standard, number < solved)
    # A lighter spread over a few villages of six other townships.
    for township in ctx.townships[1:7]:
        cadre = _cadre_for(ctx, township)
        for village in Village.objects.filter(township=township, voided_at__isnull=True).order_by("code")[:5]:
            for _number in range(rng.randint(4, 8)):
                standard = rng.choice(["livelihood", "livelihood", "stability", "hardship", "hardship"])
                add(village, cadre, standard, rng.random() < 0.8)


def build(ctx: DemoContext) -> None:
    build_plans(ctx)
    build_ledgers(ctx)
    ctx.log("  rectification: 12 plans, ledgers with a few hundred matters")
