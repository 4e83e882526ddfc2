"""Two people saving the same draft at once, on PostgreSQL: the race without the version check, then the fix."""

from __future__ import annotations

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from lianchun.audit import save_audited
from reports import services
from reports.models import WeeklyReport
from reports.weeks import Week
from tests import factories
from tests.reports.factories import draft, established_cluster, set_now

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the whole file)"
    ),
]
W47 = Week(2026, 47)


@pytest.fixture
def shared_draft(township_a, cadre_a, clock):
    set_now(clock, datetime.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    colleague = factories.cadre_of(township_a, username="colleague", full_name="李同事")
    cluster = established_cluster(township_a, established_on=datetime.date(2026, 3, 2))
    report = draft(cluster, W47, cadre_a, progress="原稿")
    return report, cadre_a, colleague


def run_together(*jobs):
    """Start every job at the same moment, each on its own connection; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def runner(index, job):
        try:
            results[index] = job(barrier)
        except Exception as error:  # noqa: BLE001 — the test inspects what each writer met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_without_the_version_check_the_second_save_silently_wins(shared_draft):
    report, cadre, colleague = shared_draft

    def naive_save(user, text):
        def job(barrier):
            mine = WeeklyReport.objects.get(pk=report.pk)  # both read version 1
            barrier.wait()
            mine.progress = text
            save_audited(mine, by=user, update_fields=["progress"])
            return "saved"

        return job

    results = run_together(naive_save(cadre, "张干部的进展"), naive_save(colleague, "李同事的进展"))
    assert results == ["saved", "saved"]
    final = WeeklyReport.objects.get(pk=report.pk).progress
    # Both were told "saved", yet one person's text is gone: the lost update.
    assert final in {"张干部的进展", "李同事的进展"}
    assert {"张干部的进展", "李同事的进展"} - {final}


def test_with_the_version_check_the_second_save_is_refused(shared_draft):
    report, cadre, colleague = shared_draft

    def checked_save(user, text):
        def job(barrier):
            barrier.wait()
            services.save_weekly_report(cluster=report.cluster, week=W47, by=user, expected_version=1, progress=text)
            return text

        return job

    results = run_together(checked_save(cadre, "张干部的进展"), checked_save(colleague, "李同事的进展"))
    saved = [result for result in results if isinstance(result, str)]
    refused = [result for result in results if isinstance(result, services.EditConflict)]
    assert len(saved) == 1 and len(refused) == 1, results
    assert refused[0].code == "edited_elsewhere"
    assert refused[0].current.progress == saved[0]  # the refused writer is shown what the other saved
    stored = WeeklyReport.objects.get(pk=report.pk)
    assert stored.progress == saved[0]
    assert stored.version == 2
