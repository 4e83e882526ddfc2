from tests.walk import CADRE, COUNTY, EVERYONE, OFFICE, Route


def build(world):
    from meetings import services
    from meetings.models import Outcome
    from tests.meetings.factories import township_meeting

    cadre = world.personas["cadre_a"]
    world.meeting_a = township_meeting(cadre)
    services.record_minutes(meeting=world.meeting_a, by=cadre, minutes="各村汇报本月工作。")
    world.issue_a = services.raise_issue(
        meeting=world.meeting_a,
        by=cadre,
        description="道路破损",
        raised_by="李书记",
        owner="王镇长",
        village=world.village_a,
    )
    world.closed_issue_a = services.raise_issue(
        meeting=world.meeting_a,
        by=cadre,
        description="路灯不亮",
        raised_by="李书记",
        owner="王镇长",
        village=world.village_a,
    )
    services.record_outcome(
        issue=world.closed_issue_a, by=cadre, outcome=Outcome.ON_THE_SPOT, outcome_on=world.meeting_a.date
    )
    world.decision_a = services.start_decision(village=world.village_a, by=cadre, title="修建村文化广场")


KEEPER = frozenset({CADRE})
ROUTES = [
    Route("meetings:meeting-list"),
    Route("meetings:meeting-create", allowed=frozenset({CADRE, OFFICE})),
    Route("meetings:meeting-calendar"),
    Route("meetings:meeting-rhythm"),
    Route("meetings:meeting-detail", lambda w: {"pk": w.meeting_a.pk}, scoped=True),
    Route("meetings:meeting-notice", lambda w: {"pk": w.meeting_a.pk}, scoped=True),
    Route("meetings:attendance-add", lambda w: {"pk": w.meeting_a.pk}, allowed=KEEPER, scoped=True),
    Route("meetings:meeting-minutes", lambda w: {"pk": w.meeting_a.pk}, allowed=KEEPER, scoped=True, edit=True),
    Route("meetings:meeting-void", lambda w: {"pk": w.meeting_a.pk}, allowed=KEEPER, scoped=True),
    Route("meetings:issue-create", lambda w: {"pk": w.meeting_a.pk}, allowed=KEEPER, scoped=True),
    Route("meetings:issue-list"),
    Route("meetings:issue-detail", lambda w: {"pk": w.issue_a.pk}, scoped=True),
    Route("meetings:issue-edit", lambda w: {"pk": w.issue_a.pk}, allowed=KEEPER, scoped=True, edit=True),
    Route("meetings:issue-outcome", lambda w: {"pk": w.issue_a.pk}, allowed=KEEPER, scoped=True),
    Route("meetings:issue-publish", lambda w: {"pk": w.closed_issue_a.pk}, allowed=KEEPER, scoped=True),
    Route("meetings:decision-list"),
    Route("meetings:decision-create", allowed=KEEPER),
    Route("meetings:decision-detail", lambda w: {"pk": w.decision_a.pk}, scoped=True),
    Route("meetings:decision-step", lambda w: {"pk": w.decision_a.pk}, allowed=KEEPER, scoped=True),
]
assert EVERYONE and COUNTY
