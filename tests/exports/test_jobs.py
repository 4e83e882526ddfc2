"""Heavy downloads made in the background: queued → running → done or failed, the per-user cap, the
requester-only download, and the removal of expired files.

The jobs are run by django-tasks' real `db_worker` command in batch mode (it claims the queued task row,
runs it and records the outcome), against a real database; these tests commit, hence transaction=True.
"""

from __future__ import annotations

import datetime
import io
import signal
from contextlib import contextmanager

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from exports import registry
from exports.jobs import STARTED
from exports.models import ExportJob, JobStatus
from exports.xlsx import Column
from notifications.models import Kind, Notification
from tests.exports.factories import finished_job

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def _signals_kept():
    """db_worker installs its own SIGINT/SIGTERM handlers; give the test process its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def run_worker() -> None:
    """What `manage.py db_worker` does on a worker host, until the queue is empty."""
    with _signals_kept():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.fixture
def background(settings):
    """Every download counts as large, so it goes to the worker."""
    settings.EXPORT_BACKGROUND_ROWS = 0
    return settings


class ProbeExporter(registry.WorkbookExporter):
    """A workbook that notes, while it is being written, what its own job looks like from the database."""

    identifier = "test-probe"
    verbose_name = "探针工作簿"
    listed = False
    seen: list[tuple[str, int]] = []

    def sheets(self, writer, user, form_data):
        job = ExportJob.objects.get(exporter=self.identifier, requested_by=user)
        self.seen.append((job.status, job.progress))
        writer.add_sheet(
            name="探针", title="探针", unit="", as_of=datetime.date(2026, 1, 5), columns=[Column("甲")], rows=[["乙"]]
        )


class BrokenExporter(registry.WorkbookExporter):
    identifier = "test-broken"
    verbose_name = "出错的工作簿"
    listed = False

    def sheets(self, writer, user, form_data):
        raise RuntimeError("disk full")


@pytest.fixture
def extra_exporters():
    ProbeExporter.seen = []
    registry.register(ProbeExporter)
    registry.register(BrokenExporter)
    yield
    for exporter in (ProbeExporter, BrokenExporter):
        registry._exporters.pop(exporter.identifier, None)


def test_small_download_stays_immediate(login, county_office, township_a):
    response = login(county_office).get(reverse("exports:workbook", kwargs={"topic": "roster"}))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_large_download_goes_through_queued_running_done(background, login, county_office, village_a):
    client = login(county_office)
    url = reverse("exports:workbook", kwargs={"topic": "county"})
    offer = client.get(url, {"weeks": "ignored"})
    assert offer.status_code == 200 and "后台" in offer.content.decode()
    assert not ExportJob.objects.exists()  # looking at the offer queues nothing

    response = client.post(url, {"weeks": "ignored"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#job-{job.pk}")
    assert (job.status, job.progress, job.requested_by, job.exporter) == (JobStatus.QUEUED, 0, county_office, "county")
    assert job.scope == "清河县" and job.parameters == {"weeks": "ignored"}
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == "READY"

    page = client.get(reverse("exports:index")).content.decode()
    assert f'id="job-{job.pk}"' in page and "排队中" in page and "export-jobs.js" in page
    assert client.get(reverse("exports:job-status")).json()["jobs"] == [
        {"id": job.pk, "status": "queued", "label": "排队中", "progress": 0}
    ]
    assert client.get(reverse("exports:job-download", kwargs={"pk": job.pk})).status_code == 404

    run_worker()
    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.status, job.progress, task.status) == (JobStatus.DONE, 100, "SUCCESSFUL")
    assert job.expires_at == job.finished_at + datetime.timedelta(days=7)
    assert default_storage.exists(job.file.name)

    download = client.get(reverse("exports:job-download", kwargs={"pk": job.pk}))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert "attachment" in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert workbook.sheetnames[0] == "分乡镇汇总" and len(workbook.sheetnames) >= 8

    note = Notification.objects.get(recipient=county_office, kind=Kind.DOWNLOAD)
    assert "已生成" in note.title and note.url.endswith(f"#job-{job.pk}")
    page = client.get(reverse("exports:index")).content.decode()
    assert reverse("exports:job-download", kwargs={"pk": job.pk}) in page and "保留至" in page


def test_the_job_is_running_while_its_file_is_written(extra_exporters, cadre_a):
    job = finished_job(cadre_a, ProbeExporter.identifier)
    assert ProbeExporter.seen == [(JobStatus.RUNNING, STARTED)]
    assert job.status == JobStatus.DONE and job.filename.endswith(".xlsx")


def test_a_failing_exporter_leaves_a_chinese_reason_on_the_page(extra_exporters, login, cadre_a, township_a):
    client = login(cadre_a)
    client.post(reverse("exports:workbook", kwargs={"topic": BrokenExporter.identifier}))
    job = ExportJob.objects.get()
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None and not job.file
    assert "无法生成" in job.error and str(job.pk) in job.error and "disk full" not in job.error
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"

    page = client.get(reverse("exports:index")).content.decode()
    assert job.error in page and "失败" in page
    assert client.get(reverse("exports:job-download", kwargs={"pk": job.pk})).status_code == 404
    note = Notification.objects.get(recipient=cadre_a, kind=Kind.DOWNLOAD)
    assert "无法生成" in note.title and note.body == job.error


def test_one_user_cannot_queue_more_than_the_cap(background, settings, login, cadre_a, cadre_b, village_a, village_b):
    settings.EXPORT_JOBS_PER_USER = 2
    client = login(cadre_a)
    url = reverse("exports:workbook", kwargs={"topic": "roster"})
    client.post(url)
    client.post(url)
    refused = client.post(url, follow=True)
    assert ExportJob.objects.filter(requested_by=cadre_a).count() == 2
    assert "您已有 2 个文件正在生成" in refused.content.decode()

    # Another user's queue is their own.
    login(cadre_b).post(url)
    assert ExportJob.objects.filter(requested_by=cadre_b).count() == 1

    run_worker()
    assert set(ExportJob.objects.values_list("status", flat=True)) == {JobStatus.DONE}
    login(cadre_a).post(url)
    assert ExportJob.objects.filter(requested_by=cadre_a, status=JobStatus.QUEUED).count() == 1


@pytest.mark.parametrize("other", ["cadre_b", "county_office"])
def test_another_user_gets_404_for_the_job_and_its_file(request, login, cadre_a, other):
    job = finished_job(cadre_a)
    intruder = request.getfixturevalue(other)
    client = login(intruder)
    assert client.get(reverse("exports:job-download", kwargs={"pk": job.pk})).status_code == 404
    assert client.get(reverse("exports:job-status")).json() == {"jobs": []}
    assert f'id="job-{job.pk}"' not in client.get(reverse("exports:index")).content.decode()
    assert login(cadre_a).get(reverse("exports:job-download", kwargs={"pk": job.pk})).status_code == 200


def test_expired_files_are_removed_by_the_cleanup_command(clock, login, cadre_a):
    job = finished_job(cadre_a)
    name = job.file.name
    clock.travel(datetime.timedelta(days=7, minutes=1))

    call_command("purge_exports", stdout=io.StringIO())  # a dry run removes nothing
    assert default_storage.exists(name)

    out = io.StringIO()
    call_command("purge_exports", "--commit", stdout=out)
    assert "Removed 1 expired files" in out.getvalue()
    job.refresh_from_db()
    assert not default_storage.exists(name) and not job.file and job.status == JobStatus.DONE

    client = login(cadre_a)
    assert client.get(reverse("exports:job-download", kwargs={"pk": job.pk})).status_code == 404
    assert "已过期" in client.get(reverse("exports:index")).content.decode()


def test_a_file_within_its_days_is_kept(clock, cadre_a):
    job = finished_job(cadre_a)
    clock.travel(datetime.timedelta(days=6))
    call_command("purge_exports", "--commit", stdout=io.StringIO())
    assert default_storage.exists(job.file.name)


def test_jobs_a_stopped_worker_left_are_given_up(background, clock, login, cadre_a, village_a):
    login(cadre_a).post(reverse("exports:workbook", kwargs={"topic": "roster"}))
    clock.travel(datetime.timedelta(hours=7))
    call_command("purge_exports", "--commit", stdout=io.StringIO())
    job = ExportJob.objects.get()
    assert job.status == JobStatus.FAILED and "重新申请" in job.error
