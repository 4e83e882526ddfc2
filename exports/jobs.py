"""Heavy downloads made by a worker: asking for one, making it, finding and removing the files.

A download whose rows in the user's scope exceed EXPORT_BACKGROUND_ROWS (or whose exporter is
`heavy`) is not made inside the web request: `request_export` records an ExportJob and enqueues
`exports.tasks.make_export` (django-tasks; `manage.py db_worker` runs it on any host that reaches
the database). `run_job` makes the file with the requester's own scope, stores it on the default
storage and tells the requester through an in-app notification. `purge_expired` removes files past
EXPORT_KEEP_DAYS and gives up on jobs a killed worker left behind.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianchun import clock

from . import registry, selectors
from .models import ACTIVE_STATUSES, ExportJob, JobStatus
from .xlsx import WorkbookWriter

logger = logging.getLogger(__name__)

# Progress (%) at each stage: the figures are collected between STARTED and RENDERED.
STARTED = 5
RENDERED = 90


class ExportFailed(Exception):
    """A failure whose Chinese message the requester should read as it is."""


def wants_background(exporter: registry.BaseExporter, user: Any, form_data: dict[str, Any]) -> bool:
    return exporter.heavy or exporter.estimated_rows(user, form_data) > settings.EXPORT_BACKGROUND_ROWS


def jobs_of(user: Any):
    """The user's own background downloads, the latest first."""
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-pk")


def request_export(*, exporter: registry.BaseExporter, parameters: Mapping[str, str], by: Any) -> ExportJob:
    """Queue the download for a worker; refused when `by` already has EXPORT_JOBS_PER_USER waiting or running."""
    from .tasks import make_export

    cap = settings.EXPORT_JOBS_PER_USER
    with transaction.atomic():
        # One user's requests queue up behind this row lock, so two clicks cannot both pass the cap.
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        if jobs_of(by).filter(status__in=ACTIVE_STATUSES).count() >= cap:
            raise ValidationError(
                _("You already have %(count)s files being made. Wait until one is ready, then ask for this one again."),
                code="too_many_jobs",
                params={"count": cap},
            )
        job = ExportJob.objects.create(
            requested_by=by,
            exporter=exporter.identifier,
            title=str(exporter.verbose_name),
            scope=selectors.scope_title(by),
            parameters={str(key): str(value) for key, value in parameters.items()},
            created_at=clock.now(),
        )
        result = make_export.enqueue(job.pk)
        # The immediate backend (TASKS_IMMEDIATE) has already run the job: keep what it wrote.
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
        job.refresh_from_db()
    return job


def _set(job: ExportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


def failure_message(job: ExportJob, error: BaseException) -> str:
    if isinstance(error, ExportFailed):
        return str(error)
    if isinstance(error, ValidationError):
        return "；".join(str(message) for message in error.messages)
    if isinstance(error, Http404):
        return _("The records this download covers are no longer within your reach.")
    return _(
        "The file could not be made. Ask for it again later; if it fails again, give the administrator number %(job)s."
    ) % {"job": job.pk}


def _render(job: ExportJob, exporter: registry.BaseExporter, user: Any) -> tuple[str, str, bytes]:
    form_data = exporter.form_data(user, job.parameters)
    if isinstance(exporter, registry.WorkbookExporter):
        expected = max(1, exporter.rows_per_village)

        def sheet_done(count: int) -> None:
            _set(job, progress=min(RENDERED - 5, STARTED + (RENDERED - STARTED) * count // expected))

        return exporter.render(user, form_data, writer=WorkbookWriter(on_sheet=sheet_done))
    return exporter.render(user, form_data)


def run_job(job_id: int) -> None:
    """Make the file of one queued job (the worker's task); a job already taken is left alone."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED:
            return
        _set(job, status=JobStatus.RUNNING, started_at=clock.now(), progress=STARTED)
    user = job.requested_by
    try:
        exporter = registry.get(job.exporter)
        if exporter is None:
            raise ExportFailed(_("This download is no longer offered."))
        if not user.is_active:
            raise ExportFailed(_("The account that asked for this download is disabled."))
        filename, content_type, content = _render(job, exporter, user)
        _set(job, progress=RENDERED)
        extension = filename.rsplit(".", 1)[-1] if "." in filename else exporter.kind
        stored = ContentFile(content, name=f"exports/{user.pk}/{job.pk}-{uuid.uuid4().hex}.{extension}")
        job.file.save(stored.name, stored, save=False)
        now = clock.now()
        _set(
            job,
            file=job.file.name,
            filename=filename[:200],
            content_type=content_type,
            size=len(content),
            status=JobStatus.DONE,
            progress=100,
            finished_at=now,
            expires_at=now + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS),
        )
    except Exception as error:
        logger.exception("Background download %s (%s) failed", job.pk, job.exporter)
        _set(job, status=JobStatus.FAILED, error=failure_message(job, error)[:300], finished_at=clock.now())
        _tell(job)
        raise  # the task itself fails too, so the worker's log and its result table show it
    _tell(job)


def _tell(job: ExportJob) -> None:
    from notifications.models import Kind
    from notifications.services import notify

    if job.status == JobStatus.DONE:
        title = _("Your download is ready: %(title)s") % {"title": job.title}
        body = _("Download it from the downloads page before %(day)s.") % {
            "day": f"{timezone.localtime(job.expires_at):%Y-%m-%d %H:%M}"
        }
    else:
        title = _("Your download could not be made: %(title)s") % {"title": job.title}
        body = job.error
    notify(
        recipients=[job.requested_by],
        kind=Kind.DOWNLOAD,
        title=title,
        body=body,
        url=reverse("exports:index") + f"#job-{job.pk}",
        key=f"export-job-{job.pk}-{job.status}",
        record=job,
    )


def purge_expired(*, commit: bool) -> dict[str, int]:
    """Remove the files of jobs past `expires_at` (the job stays, marked expired by its empty file), and
    fail jobs still waiting or running after EXPORT_STALE_HOURS (their worker was stopped)."""
    now = clock.now()
    expired = ExportJob.objects.filter(status=JobStatus.DONE, expires_at__lte=now).exclude(file="")
    stale = ExportJob.objects.filter(
        status__in=ACTIVE_STATUSES, created_at__lte=now - datetime.timedelta(hours=settings.EXPORT_STALE_HOURS)
    )
    counts = {"expired files": expired.count(), "abandoned jobs": stale.count()}
    if commit:
        for job in expired:
            job.file.delete(save=False)
            _set(job, file="")
        for job in stale:
            _set(
                job,
                status=JobStatus.FAILED,
                finished_at=now,
                error=_("No worker finished this download in time. Ask for it again."),
            )
    return counts
