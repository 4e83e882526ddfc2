"""四议两公开: six steps in one order, none skipped; a failed step ends the decision (seeds 001, 002)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from meetings import services
from meetings.models import Decision, DecisionRecord, DecisionStep

DAY = datetime.timedelta(days=1)
S = DecisionStep


@pytest.fixture
def decision(cadre_a, village_a):
    return services.start_decision(village=village_a, by=cadre_a, title="修建村文化广场")


def take(decision, cadre, step, on, **kwargs):
    return services.record_decision_step(decision=decision, by=cadre, step=step, held_on=on, **kwargs)


def take_all(decision, cadre, today):
    start = today - 10 * DAY
    take(decision, cadre, S.PROPOSAL, start, passed=True)
    take(decision, cadre, S.CONSULTATION, start + DAY, passed=True)
    take(decision, cadre, S.REVIEW, start + 2 * DAY, members=30, present=25, in_favour=20, against=3)
    take(decision, cadre, S.RESOLUTION, start + 3 * DAY, members=45, present=30, in_favour=28)
    take(decision, cadre, S.RESOLUTION_PUBLIC, start + 4 * DAY)
    take(decision, cadre, S.RESULT_PUBLIC, start + 9 * DAY)


def test_six_steps_in_order_complete_the_decision(decision, cadre_a, clock):
    take_all(decision, cadre_a, clock.today())
    decision.refresh_from_db()
    assert decision.status == Decision.Status.COMPLETED
    assert decision.steps_done == 6 and decision.next_step is None
    assert [r.step for r in decision.records.all()] == [s.value for s in S]


def test_skipping_a_step_is_refused_and_nothing_is_written(decision, cadre_a, clock, refused):
    take(decision, cadre_a, S.PROPOSAL, clock.today(), passed=True)
    with refused("step_out_of_order") as info:
        take(decision, cadre_a, S.REVIEW, clock.today(), members=30, present=25, in_favour=20)
    assert "两委" in str(info.value) or "consultation" in str(info.value).lower()
    decision.refresh_from_db()
    assert decision.steps_done == 1
    assert DecisionRecord.objects.count() == 1


def test_publication_before_the_resolution_is_refused(decision, cadre_a, clock, refused):
    with refused("step_out_of_order"):
        take(decision, cadre_a, S.RESOLUTION_PUBLIC, clock.today())
    assert not DecisionRecord.objects.exists()


def test_a_step_cannot_be_taken_twice(decision, cadre_a, clock, refused):
    take(decision, cadre_a, S.PROPOSAL, clock.today(), passed=True)
    with refused("step_repeated"):
        take(decision, cadre_a, S.PROPOSAL, clock.today(), passed=True)


def test_a_failed_vote_ends_the_decision(decision, cadre_a, clock, refused):
    today = clock.today()
    take(decision, cadre_a, S.PROPOSAL, today, passed=True)
    take(decision, cadre_a, S.CONSULTATION, today, passed=True)
    record = take(decision, cadre_a, S.REVIEW, today, members=30, present=25, in_favour=12, against=13)
    assert not record.passed
    decision.refresh_from_db()
    assert decision.status == Decision.Status.FAILED and decision.next_step is None
    with refused("decision_ended"):
        take(decision, cadre_a, S.RESOLUTION, today, members=45, present=40, in_favour=40)


def test_a_rejected_proposal_ends_the_decision(decision, cadre_a, clock):
    take(decision, cadre_a, S.PROPOSAL, clock.today(), passed=False)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.FAILED


def test_vote_needs_two_thirds_present_and_more_than_half_in_favour(decision, cadre_a, clock):
    assert services._vote_passes(members=30, present=20, in_favour=11)
    assert not services._vote_passes(members=30, present=19, in_favour=19)  # below two thirds
    assert not services._vote_passes(members=30, present=20, in_favour=10)  # exactly half is not a majority


def test_vote_counts_must_add_up(decision, cadre_a, clock, refused):
    today = clock.today()
    take(decision, cadre_a, S.PROPOSAL, today, passed=True)
    take(decision, cadre_a, S.CONSULTATION, today, passed=True)
    with refused("counts_required"):
        take(decision, cadre_a, S.REVIEW, today)
    with refused("present_over_members"):
        take(decision, cadre_a, S.REVIEW, today, members=30, present=31, in_favour=20)
    with refused("votes_over_present"):
        take(decision, cadre_a, S.REVIEW, today, members=30, present=25, in_favour=20, against=6)


def test_a_step_cannot_be_dated_before_the_previous_one_or_in_the_future(decision, cadre_a, clock, refused):
    today = clock.today()
    take(decision, cadre_a, S.PROPOSAL, today, passed=True)
    with refused("date_before_previous"):
        take(decision, cadre_a, S.CONSULTATION, today - DAY, passed=True)
    with refused("date_in_future"):
        take(decision, cadre_a, S.CONSULTATION, today + DAY, passed=True)


def test_only_the_villages_township_records_steps(decision, cadre_b, county_office, clock):
    for user in (cadre_b, county_office):
        with pytest.raises(PermissionDenied):
            take(decision, user, S.PROPOSAL, clock.today(), passed=True)


def test_a_stale_copy_cannot_record_the_same_step_again(decision, cadre_a, clock, refused):
    """Two clerks on the same page: the second is told to reload, and no step is written twice."""
    first, second = Decision.objects.get(pk=decision.pk), Decision.objects.get(pk=decision.pk)
    take(first, cadre_a, S.PROPOSAL, clock.today(), passed=True)
    with refused("stale_decision"):
        take(second, cadre_a, S.PROPOSAL, clock.today(), passed=True)
    assert DecisionRecord.objects.count() == 1
