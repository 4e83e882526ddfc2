"""Raised issues: an owner, a due date one month after the meeting, four outcomes, publication (seed 003)."""

from __future__ import annotations

import calendar
import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied

from lianchun.audit import void_record
from meetings import services
from meetings.models import MeetingIssue, Outcome
from tests.meetings.factories import county_meeting, township_meeting

DAY = datetime.timedelta(days=1)


def raise_one(meeting, cadre, village=None, **kwargs):
    values = {"description": "村道破损需维修", "raised_by": "李书记", "owner": "王副镇长", "village": village}
    values.update(kwargs)
    return services.raise_issue(meeting=meeting, by=cadre, **values)


@pytest.mark.parametrize("leap", [False, True], ids=["28-february", "29-february"])
def test_due_date_is_one_month_after_the_meeting_clamped_to_month_end(cadre_a, village_a, clock, leap):
    # Move the clock to 31 January of a coming year: the month after ends on 28 February, or 29 in a leap year.
    today = clock.today()
    year = next(year for year in itertools.count(today.year + 1) if calendar.isleap(year) == leap)
    clock.travel(datetime.date(year, 1, 31) - today)
    meeting = township_meeting(cadre_a)
    issue = raise_one(meeting, cadre_a, village_a)
    assert issue.deadline == datetime.date(year, 2, 29 if leap else 28)
    assert issue.township == village_a.township


def test_issue_turns_overdue_the_day_after_its_month(cadre_a, village_a, clock):
    meeting = township_meeting(cadre_a)
    issue = raise_one(meeting, cadre_a, village_a)
    clock.travel(issue.deadline - clock.today())
    assert not issue.is_overdue
    assert not MeetingIssue.objects.overdue().exists()
    clock.travel(DAY)
    assert issue.is_overdue and issue.days_overdue == 1
    assert list(MeetingIssue.objects.overdue()) == [issue]


def test_the_overdue_figure_counts_what_each_issue_shows(cadre_a, village_a, clock):
    meeting = township_meeting(cadre_a)
    late, answered, voided = (raise_one(meeting, cadre_a, village_a, description=text) for text in ("甲", "乙", "丙"))
    clock.travel(late.deadline - clock.today() + 2 * DAY)
    services.record_outcome(
        issue=answered, by=cadre_a, outcome=Outcome.ESCALATED, note="已报县交通局", outcome_on=clock.today()
    )
    void_record(voided, by=cadre_a, reason="重复登记")
    issues = MeetingIssue.objects.filter(meeting=meeting)
    assert {issue.pk for issue in issues if issue.is_overdue and not issue.is_voided} == {late.pk}
    assert list(issues.overdue()) == [late]
    assert issues.counts()["overdue"] == 1
    answered.refresh_from_db()
    assert answered.days_overdue == 0


def test_issue_needs_an_owner(cadre_a, clock, refused):
    meeting = township_meeting(cadre_a)
    with refused("owner_required"):
        raise_one(meeting, cadre_a, owner=" ")
    assert not MeetingIssue.objects.exists()


def test_issues_are_not_recorded_before_the_meeting_day(cadre_a, clock, refused):
    meeting = township_meeting(cadre_a, on=clock.today() + 6 * DAY)
    with refused("meeting_not_held"):
        raise_one(meeting, cadre_a)


def test_issue_from_another_townships_village_is_refused(cadre_a, village_b, clock, refused):
    meeting = township_meeting(cadre_a)
    with refused("village_outside"):
        raise_one(meeting, cadre_a, village_b)


def test_solved_on_the_spot_only_on_the_meeting_day(cadre_a, clock, refused):
    meeting = township_meeting(cadre_a)
    issue = raise_one(meeting, cadre_a)
    clock.travel(2 * DAY)
    with refused("not_on_the_spot"):
        services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ON_THE_SPOT, outcome_on=clock.today())
    services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ON_THE_SPOT, outcome_on=meeting.date)
    issue.refresh_from_db()
    assert issue.outcome == Outcome.ON_THE_SPOT and not issue.is_open


def test_outcome_other_than_on_the_spot_says_how(cadre_a, clock, refused):
    issue = raise_one(township_meeting(cadre_a), cadre_a)
    with refused("note_required"):
        services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ESCALATED, outcome_on=clock.today())


def test_outcome_cannot_be_dated_in_the_future_or_recorded_twice(cadre_a, clock, refused):
    issue = raise_one(township_meeting(cadre_a), cadre_a)
    with refused("outcome_in_future"):
        services.record_outcome(
            issue=issue, by=cadre_a, outcome=Outcome.EXPLAINED, outcome_on=clock.today() + DAY, note="已解释"
        )
    services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.EXPLAINED, outcome_on=clock.today(), note="已解释")
    with refused("already_closed"):
        services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ESCALATED, outcome_on=clock.today(), note="x")


def test_publication_needs_an_outcome_and_happens_once(cadre_a, clock, refused):
    issue = raise_one(township_meeting(cadre_a), cadre_a)
    with refused("no_outcome"):
        services.publish_outcome(issue=issue, by=cadre_a)
    services.record_outcome(issue=issue, by=cadre_a, outcome=Outcome.ON_THE_SPOT, outcome_on=clock.today())
    assert list(MeetingIssue.objects.unpublished()) == [issue]
    services.publish_outcome(issue=issue, by=cadre_a)
    assert issue.published_on == clock.today()
    assert not MeetingIssue.objects.unpublished().exists()
    with refused("already_published"):
        services.publish_outcome(issue=issue, by=cadre_a)


def test_other_township_cannot_close_an_issue(cadre_a, cadre_b, clock):
    issue = raise_one(township_meeting(cadre_a), cadre_a)
    with pytest.raises(PermissionDenied):
        services.record_outcome(issue=issue, by=cadre_b, outcome=Outcome.ON_THE_SPOT, outcome_on=clock.today())


def test_issue_of_a_county_meeting_belongs_to_its_villages_township(
    county_office, cadre_a, cadre_b, township_a, township_b, village_a, clock
):
    meeting = county_meeting(county_office, [township_a, township_b])
    issue = services.raise_issue(
        meeting=meeting,
        by=county_office,
        description="项目资金拨付慢",
        raised_by="城关镇书记",
        owner="县财政局",
        village=village_a,
    )
    assert issue.township == township_a
    assert list(MeetingIssue.objects.visible_to(cadre_a)) == [issue]
    assert not MeetingIssue.objects.visible_to(cadre_b).exists()
    # The issue's own township may close it, though the county convened the meeting.
    services.record_outcome(
        issue=issue, by=cadre_a, outcome=Outcome.ESCALATED, outcome_on=clock.today(), note="已报县财政局"
    )


def test_a_stale_copy_cannot_overwrite_an_outcome_recorded_meanwhile(cadre_a, clock, refused):
    """Two cadres open the same issue; the second to save is refused instead of replacing the first's outcome."""
    issue = raise_one(township_meeting(cadre_a), cadre_a)
    first, second = MeetingIssue.objects.get(pk=issue.pk), MeetingIssue.objects.get(pk=issue.pk)
    services.record_outcome(issue=first, by=cadre_a, outcome=Outcome.ON_THE_SPOT, outcome_on=clock.today())
    with refused("already_closed"):
        services.record_outcome(issue=second, by=cadre_a, outcome=Outcome.EXPLAINED, outcome_on=clock.today(), note="x")
    issue.refresh_from_db()
    assert issue.outcome == Outcome.ON_THE_SPOT
