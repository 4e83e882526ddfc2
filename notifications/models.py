"""In-app notifications, the office's 催报 and the township's 已阅 of a county answer.

A Notification is personal: it belongs to one user and only that user sees or reads it. It is
created when something happens to a township's record (the county answers or returns a weekly
report, approves or returns a cluster or a plan: `receivers.py` listens to the workflow's
`transitioned` signal), when a reminder falls due (`manage.py send_reminders`) and when the
office chases the townships that have not reported (催报). Delivery beyond the app — email, an
SMS or WeChat Work webhook — is done by the same command through the channels in settings.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun.choices import ChoiceLabels
from lianchun.models import AuditedModel, actor_field, link_field
from reports.models import InWeek


class Kind(models.TextChoices):
    ANSWER = "answer", _("County answer")
    RETURN = "return", _("Returned for revision")
    APPROVAL = "approval", _("Approved")
    DUE = "due", _("Report due soon")
    MISSED = "missed", _("Report missed")
    CHASE = "chase", _("Chased by the county office")
    DOWNLOAD = "download", _("Background download")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(ChoiceLabels, models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(pgettext_lazy("notification", "kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The channels that have taken it, so a run after one channel failed sends through that channel only.
    delivered_via = models.JSONField(_("delivered through"), default=list, blank=True)
    # One notification per recipient and event: a reminder run twice, or an event seen both by the
    # signal and by a backfill, does not notify twice.
    key = models.CharField(_("event key"), max_length=120, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record number"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="one_notification_per_recipient_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReportChase(InWeek, AuditedModel):
    """The county office's 催报: one action that reminds every township still missing a week."""

    county = link_field("villages.County", _("county"), related_name="+")
    iso_year = models.PositiveSmallIntegerField(_("ISO year"))
    iso_week = models.PositiveSmallIntegerField(_("ISO week"))
    townships = models.ManyToManyField("villages.Township", verbose_name=_("townships chased"), related_name="+")
    message = models.CharField(_("message"), max_length=200, blank=True)
    created_by = actor_field(_("chased by"))
    created_at = models.DateTimeField(_("chased at"))

    scope_township_path = "townships"
    scope_county_path = "county_id"

    class Meta:
        verbose_name = _("report chase")
        verbose_name_plural = _("report chases")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.week.short_label


class AnswerReceipt(AuditedModel):
    """已阅: the township has read the county's answer to one submitted version of a weekly report."""

    submission = models.OneToOneField(
        "reports.ReportSubmission", verbose_name=_("answered version"), on_delete=models.PROTECT, related_name="receipt"
    )
    read_by = actor_field(_("read by"))
    read_at = models.DateTimeField(_("read at"))

    scope_through = "submission"

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")

    def __str__(self) -> str:
        return f"{self.submission} · {self.read_by}"
