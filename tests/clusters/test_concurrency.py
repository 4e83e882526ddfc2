"""Two cadres adding batches to one village at the same moment (PostgreSQL only: SQLite has no row locks).

The race first shown without the lock: both read the same total and both batches pass the
"no more returned than handed out" check. With the survey row locked, the second waits for the
first, sees its batch, and is refused.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from clusters import services
from clusters.models import ConsentSurvey
from clusters.services import surveys
from lianchun import clock
from tests.clusters import factories as cf

pytestmark = pytest.mark.django_db(transaction=True)


def _race(cadre, survey, monkeypatch):
    barrier = threading.Barrier(2, timeout=3)
    original = surveys._returned_so_far

    def returned_after_both_read(locked, **kwargs):
        total = original(locked, **kwargs)
        try:
            barrier.wait()  # hold the first reader until the second has read too (if it can)
        except threading.BrokenBarrierError:
            pass
        return total

    monkeypatch.setattr(surveys, "_returned_so_far", returned_after_both_read)
    outcomes: list[object] = []

    def add_batch():
        try:
            services.record_consent_batch(
                survey=survey, returned=6, agree=6, disagree=0, invalid=0, batch_date=clock.today(), by=cadre
            )
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add_batch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def survey(cadre_a):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    cluster = cf.consulting_cluster(cadre_a)
    survey = cluster.surveys.first()
    services.set_forms_handed_out(survey=survey, handed_out=10, by=cadre_a)
    return survey


def test_without_the_lock_two_batches_overshoot_the_forms_handed_out(cadre_a, survey, monkeypatch):
    monkeypatch.setattr(surveys, "_locked_survey", lambda s: ConsentSurvey.objects.get(pk=s.pk))
    assert _race(cadre_a, survey, monkeypatch) == ["saved", "saved"]
    assert survey.tally().returned == 12  # more than the 10 handed out: the race is real


def test_with_the_lock_the_second_batch_is_refused(cadre_a, survey, monkeypatch):
    assert _race(cadre_a, survey, monkeypatch) == ["returned_exceeds_handed_out", "saved"]
    assert survey.tally().returned == 6
