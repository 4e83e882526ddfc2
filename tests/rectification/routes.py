from tests.walk import CADRE, EVERYONE, OFFICE, ORGDEPT, Route


def build(world):
    import datetime

    from lianchun import clock
    from rectification import services
    from rectification.models import LedgerEntry
    from tests.rectification import factories as rf

    cadre, org, leader = world.personas["cadre_a"], world.personas["org_department"], world.personas["leader"]
    village = world.village_a
    village.is_weak = True
    village.save()
    world.draft_plan = rf.draft_plan(village, cadre=cadre, leader=leader)
    world.draft_item = world.draft_plan.items.first()
    world.proposed_plan = rf.draft_plan(rf.weak_village(world.township_a), cadre=cadre, leader=leader)
    rf.propose(world.proposed_plan, cadre)
    world.advised_plan = rf.advised_plan(rf.weak_village(world.township_a), cadre=cadre, leader=leader, org=org)
    world.rectifying_plan = rf.approved_plan(rf.weak_village(world.township_a), cadre=cadre, leader=leader, org=org)
    world.rectifying_item = world.rectifying_plan.items.first()
    kind = rf.livelihood(world.county)
    world.ledger_entry = services.create_ledger_entry(
        village=village,
        by=cadre,
        kind=kind,
        source=LedgerEntry.Source.HOUSE_VISIT,
        collected_on=clock.today() - datetime.timedelta(days=3),
        summary="村道破损",
        owner="李书记",
        handling=None,
        status=LedgerEntry.Status.IN_PROGRESS,
        solved_on=None,
    )


CADRE_ONLY = frozenset({CADRE})
ORG_ONLY = frozenset({ORGDEPT})

ROUTES = [
    Route("rectification:plan-list"),
    Route("rectification:overview"),
    Route("rectification:plan-create", allowed=CADRE_ONLY),
    Route("rectification:plan-detail", lambda w: {"pk": w.draft_plan.pk}, scoped=True),
    Route("rectification:plan-edit", lambda w: {"pk": w.draft_plan.pk}, allowed=CADRE_ONLY, scoped=True, edit=True),
    Route("rectification:plan-void", lambda w: {"pk": w.draft_plan.pk}, allowed=CADRE_ONLY, scoped=True),
    Route("rectification:item-create", lambda w: {"pk": w.draft_plan.pk}, allowed=CADRE_ONLY, scoped=True),
    Route("rectification:plan-propose", lambda w: {"pk": w.draft_plan.pk}, allowed=CADRE_ONLY, scoped=True),
    Route("rectification:plan-advise", lambda w: {"pk": w.proposed_plan.pk}, allowed=ORG_ONLY, scoped=True),
    Route("rectification:plan-review", lambda w: {"pk": w.advised_plan.pk}, allowed=ORG_ONLY, scoped=True),
    Route("rectification:plan-stage", lambda w: {"pk": w.rectifying_plan.pk}, allowed=ORG_ONLY, scoped=True),
    Route("rectification:item-edit", lambda w: {"pk": w.draft_item.pk}, allowed=CADRE_ONLY, scoped=True, edit=True),
    Route(
        "rectification:item-remove", lambda w: {"pk": w.draft_item.pk}, allowed=CADRE_ONLY, scoped=True, method="post"
    ),
    Route("rectification:item-progress", lambda w: {"pk": w.rectifying_item.pk}, scoped=True),
    Route("rectification:ledger-overview"),
    Route("rectification:ledger-settings", allowed=frozenset({OFFICE})),
    Route("rectification:ledger-village", lambda w: {"pk": w.village_a.pk}, scoped=True),
    Route("rectification:entry-create", lambda w: {"pk": w.village_a.pk}, allowed=CADRE_ONLY, scoped=True),
    Route("rectification:entry-edit", lambda w: {"pk": w.ledger_entry.pk}, allowed=CADRE_ONLY, scoped=True, edit=True),
    Route("rectification:entry-void", lambda w: {"pk": w.ledger_entry.pk}, allowed=CADRE_ONLY, scoped=True),
]
assert EVERYONE
