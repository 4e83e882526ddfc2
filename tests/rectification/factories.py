"""Rectification test data, built through the services as a user would."""

from __future__ import annotations

import datetime

from lianchun import clock
from rectification import services
from rectification.models import ContactClass, Governance, LedgerKind, RectificationPlan
from tests import factories
from villages.models import Village

ALL_CHECKS = {"problems_accurate": True, "measures_targeted": True, "responsibility_clear": True}


def weak_village(township, **kwargs):
    if "code" not in kwargs:
        # Take the village factory's next code, skipping any a fixture already used explicitly (e.g. …201).
        while True:
            code = factories.VillageFactory.build(township=township).code
            if not Village.objects.filter(code=code).exists():
                break
        kwargs["code"] = code
    return factories.VillageFactory(township=township, is_weak=True, standing="lagging", **kwargs)


def draft_plan(village, *, cadre, leader, items=2, **fields) -> RectificationPlan:
    plan = services.create_plan(
        village=village,
        by=cadre,
        county_leader=leader,
        contact_class=fields.pop("contact_class", ContactClass.COUNTY_C),
        work_team=fields.pop("work_team", "县农业农村局工作组"),
        first_secretary=fields.pop("first_secretary", "赵第一书记"),
    )
    governance = [Governance.WEAKNESS, Governance.POVERTY, Governance.LAXITY, Governance.DISORDER]
    for number in range(items):
        services.add_item(
            plan=plan,
            by=cadre,
            governance=governance[number % len(governance)],
            problem=f"问题{number + 1}：班子软弱，组织生活不正常",
            measure=f"措施{number + 1}：选配书记，每月开展组织生活",
            responsible="李书记",
            deadline=clock.today() + datetime.timedelta(days=30 * (number + 1)),
        )
    return plan


def propose(plan, cadre, result="应到45人，实到42人，全票通过", *, entitled=45, present=42, in_favour=42):
    return services.propose_plan(
        plan=plan,
        by=cadre,
        meeting_date=clock.today() - datetime.timedelta(days=1),
        entitled=entitled,
        present=present,
        in_favour=in_favour,
        meeting_result=result,
    )


def advised_plan(village, *, cadre, leader, org, **fields) -> RectificationPlan:
    plan = draft_plan(village, cadre=cadre, leader=leader, **fields)
    propose(plan, cadre)
    services.advise_plan(plan=plan, by=org, advice="措施可行，建议细化时限。")
    return plan


def approved_plan(village, *, cadre, leader, org, **fields) -> RectificationPlan:
    plan = advised_plan(village, cadre=cadre, leader=leader, org=org, **fields)
    services.approve_plan(plan=plan, by=org, checks=ALL_CHECKS, note="同意")
    return plan


def livelihood(county) -> LedgerKind:
    return LedgerKind.objects.get(county=county, standard=LedgerKind.Standard.LIVELIHOOD)
