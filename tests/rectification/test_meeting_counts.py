"""A plan is proposed only after a villager representatives' meeting that passed it (村民委员会组织法 art. 26):
two thirds of the representatives present, more than half of those present in favour. The counts are
asked, checked on their fields, kept with the review round and shown on the plan's page."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianchun import clock
from rectification import services
from rectification.models import PlanEvent, PlanStatus
from tests.rectification import factories as rf

pytestmark = pytest.mark.django_db


def refusal(error: ValidationError) -> tuple[str, str, str]:
    """(field, code, message) of a refusal on one field."""
    [(field, [first])] = error.error_dict.items()
    return field, first.code, str(first.message % first.params if first.params else first.message)


def assert_nothing_proposed(plan) -> None:
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.rounds == 0
    assert not plan.review_rounds.exists()
    assert not PlanEvent.objects.filter(plan=plan, to_status=PlanStatus.PROPOSED).exists()


# ---------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(("present", "passes"), [(28, True), (27, False)])
def test_two_thirds_of_the_representatives_must_be_present(draft, cadre_a, present, passes):
    if passes:
        review = rf.propose(draft, cadre_a, entitled=42, present=present, in_favour=present)
        assert (review.entitled, review.present, review.in_favour) == (42, 28, 28)
        return
    with pytest.raises(ValidationError) as error:
        rf.propose(draft, cadre_a, entitled=42, present=present, in_favour=present)
    field, code, message = refusal(error.value)
    assert (field, code) == ("present", "no_quorum")
    assert "应到42人，实到须不少于28人" in message
    assert_nothing_proposed(draft)


@pytest.mark.parametrize(("in_favour", "passes"), [(15, True), (14, False)])
def test_more_than_half_of_those_present_must_be_in_favour(draft, cadre_a, in_favour, passes):
    if passes:
        review = rf.propose(draft, cadre_a, entitled=42, present=28, in_favour=in_favour)
        assert (review.entitled, review.present, review.in_favour) == (42, 28, 15)
        draft.refresh_from_db()
        assert draft.status == PlanStatus.PROPOSED
        return
    with pytest.raises(ValidationError) as error:
        rf.propose(draft, cadre_a, entitled=42, present=28, in_favour=in_favour)
    field, code, message = refusal(error.value)
    assert (field, code) == ("in_favour", "no_majority")
    assert "实到28人，同意须不少于15人" in message
    assert_nothing_proposed(draft)


def test_a_meeting_with_ten_of_forty_two_present_does_not_pass(draft, cadre_a):
    with pytest.raises(ValidationError) as error:
        rf.propose(draft, cadre_a, entitled=42, present=10, in_favour=10)
    assert refusal(error.value)[:2] == ("present", "no_quorum")
    assert_nothing_proposed(draft)


@pytest.mark.parametrize(
    ("counts", "field", "code"),
    [
        ({"entitled": None}, "entitled", "counts_required"),
        ({"present": None}, "present", "counts_required"),
        ({"in_favour": None}, "in_favour", "counts_required"),
        ({"present": -1}, "present", "negative_count"),
        ({"entitled": 0, "present": 0, "in_favour": 0}, "entitled", "no_members"),
        ({"entitled": 42, "present": 43, "in_favour": 40}, "present", "present_over_members"),
        ({"entitled": 42, "present": 30, "in_favour": 31}, "in_favour", "votes_over_present"),
    ],
)
def test_missing_or_impossible_counts_are_refused_on_their_field(draft, cadre_a, counts, field, code):
    given = {"entitled": 42, "present": 40, "in_favour": 38, **counts}
    with pytest.raises(ValidationError) as error:
        rf.propose(draft, cadre_a, **given)
    assert refusal(error.value)[:2] == (field, code)
    assert_nothing_proposed(draft)


# ---------------------------------------------------------------------------- the pages


def test_the_plan_page_shows_the_meeting_counts(draft, cadre_a, login):
    rf.propose(draft, cadre_a, "同意整顿方案", entitled=42, present=39, in_favour=38)
    page = login(cadre_a).get(draft.get_absolute_url()).content.decode()
    assert "应到 42 人，实到 39 人，同意 38 人" in page
    assert "同意整顿方案" in page
    proposed = PlanEvent.objects.get(plan=draft, to_status=PlanStatus.PROPOSED)
    assert proposed.note == "应到 42 人，实到 39 人，同意 38 人；同意整顿方案", "the plan's history keeps the counts"


def test_a_round_recorded_before_the_counts_shows_its_result_alone(advised, cadre_a, org_department, login):
    first = advised.review_rounds.get()
    first.entitled = first.present = first.in_favour = None  # as rounds recorded before the counts were asked
    first.meeting_result = "应到45人，实到42人，全票通过"
    first.save()
    services.return_plan(
        plan=advised, by=org_department, checks={**rf.ALL_CHECKS, "measures_targeted": False}, note="细化"
    )
    rf.propose(advised, cadre_a, "同意整顿方案", entitled=45, present=43, in_favour=43)
    page = login(cadre_a).get(advised.get_absolute_url()).content.decode()
    assert "应到45人，实到42人，全票通过" in page
    assert "应到 45 人，实到 43 人，同意 43 人" in page
    assert page.count('class="meeting-counts"') == 1, "only the round that recorded counts shows them"


def test_the_propose_page_refuses_a_meeting_without_quorum_and_keeps_what_was_typed(draft, cadre_a, login):
    url = reverse("rectification:plan-propose", args=[draft.pk])
    client = login(cadre_a)
    page = client.get(url).content.decode()
    for label in ("应到村民代表人数", "实到村民代表人数", "同意的村民代表人数"):
        assert label in page
    response = client.post(
        url,
        {
            "meeting_date": (clock.today() - datetime.timedelta(days=1)).isoformat(),
            "entitled": "42",
            "present": "27",
            "in_favour": "27",
            "meeting_result": "同意整顿方案",
        },
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "应到42人，实到须不少于28人" in page
    assert 'name="entitled" value="42"' in page
    assert 'name="present" value="27"' in page
    assert 'value="同意整顿方案"' in page
    assert_nothing_proposed(draft)
