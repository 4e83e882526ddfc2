"""Downloads made in the background: one ExportJob per file a user asked a worker to make.

A job remembers who asked, which exporter and with which choices (the scope is the requester's own
and is applied again when the worker runs), and moves queued → running → done or failed. A finished
file lives on the default storage (a shared volume or an S3-compatible bucket, never a public URL)
until `expires_at`; only the requester can download it. Consent uploads moved to clusters.ConsentUpload.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun import clock
from lianchun.choices import ChoiceLabels
from lianchun.states import InState


class JobStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export job", "Queued")
    RUNNING = "running", pgettext_lazy("export job", "Being made")
    DONE = "done", pgettext_lazy("export job", "Ready")
    FAILED = "failed", pgettext_lazy("export job", "Failed")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class ExportJob(ChoiceLabels, models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    exporter = models.CharField(_("download"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    scope = models.CharField(_("scope"), max_length=100)
    # The choices as the download form sent them (e.g. {"first": "2026-W01"}); read again by the exporter.
    parameters = models.JSONField(_("choices"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.CharField(_("reason for failure"), max_length=300, blank=True)
    file = models.FileField(_("file"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        verbose_name = _("background download")
        verbose_name_plural = _("background downloads")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_by_user"),
            models.Index(fields=["expires_at"], condition=Q(status="done"), name="exportjob_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    is_active = InState(*ACTIVE_STATUSES)

    @property
    def is_expired(self) -> bool:
        """Made, but its file is gone or past its days: the user asks again."""
        return self.status == JobStatus.DONE and (
            not self.file or (self.expires_at is not None and self.expires_at <= clock.now())
        )

    @property
    def is_ready(self) -> bool:
        return self.status == JobStatus.DONE and not self.is_expired
