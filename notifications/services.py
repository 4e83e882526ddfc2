"""Writes of notifications, 催报 and 已阅. Each names its actor; official records go through save_audited."""

from __future__ import annotations

import datetime
import logging
import math
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.audit import save_audited
from lianchun.scoping import require
from reports.models import ReportSubmission
from reports.selectors import completeness_for
from reports.weeks import Week, current_week, last_closed_week, reporting_week

from . import channels as channel_module
from . import selectors
from .models import AnswerReceipt, Kind, Notification, ReportChase

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    record: models.Model | None = None,
) -> list[Notification]:
    """One notification per recipient; with a `key`, a recipient is never notified twice of the same event."""
    now = clock.now()
    content_type = ContentType.objects.get_for_model(record) if record is not None else None
    created = []
    for user in recipients:
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        created.append(
            Notification.objects.create(
                recipient=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:300],
                key=key[:120],
                created_at=now,
                content_type=content_type,
                object_id=record.pk if record is not None else None,
            )
        )
    return created


def open_notification(*, user: Any, pk: Any) -> Notification | None:
    """Mark the user's notification read (only their own); opening a county answer records 已阅."""
    notification = selectors.for_user(user).filter(pk=pk).select_related("content_type").first()
    if notification is None:
        return None
    with transaction.atomic():
        if notification.read_at is None:
            notification.read_at = clock.now()
            notification.save(update_fields=["read_at"])
        if notification.kind == Kind.ANSWER and notification.content_type is not None:
            if notification.content_type.model_class() is ReportSubmission and user.is_township_cadre:
                submission = ReportSubmission.objects.visible_to(user).filter(pk=notification.object_id).first()
                if submission is not None:
                    mark_answer_read(submission=submission, by=user)
    return notification


def read_all(*, user: Any) -> int:
    return selectors.for_user(user).unread().update(read_at=clock.now())


def mark_answer_read(*, submission: ReportSubmission, by: Any) -> AnswerReceipt:
    """已阅: the township says it has read the county's answer; the office sees who and when."""
    require(bool(by.is_township_cadre and submission.report.cluster.township_id == by.township_id))
    if submission.outcome != ReportSubmission.Outcome.ANSWERED:
        raise ValidationError(_("This version has no answer from the county yet."), code="not_answered")
    with transaction.atomic():
        receipt = AnswerReceipt.objects.filter(submission=submission).first()
        if receipt is None:
            receipt = AnswerReceipt(submission=submission, read_by=by, read_at=clock.now())
            save_audited(receipt, by=by, reason=_("Read the county's answer"))
        # The township's own notifications of this answer are read as well.
        ct = ContentType.objects.get_for_model(ReportSubmission)
        Notification.objects.filter(
            recipient__township_id=by.township_id, content_type=ct, object_id=submission.pk, read_at__isnull=True
        ).update(read_at=receipt.read_at)
    return receipt


def chase_missing_reports(*, week: Week, by: Any, message: str = "") -> ReportChase:
    """催报: remind, in one action, every township of the office's county whose reports for `week` have not
    all arrived (DOMAIN.md "Reporting rhythm"); the chase is kept with the townships it reached."""
    require(bool(by.is_county_office))
    if week > current_week():
        raise ValidationError(_("A week that has not begun cannot be chased."), code="future_week")
    data = completeness_for(by, week, week)
    outstanding: dict[int, list[str]] = {}
    for span, _week, status in data.grid.statuses:
        if status in selectors.NOT_ARRIVED:
            outstanding.setdefault(span.township_id, []).append(span.name)
    if not outstanding:
        raise ValidationError(
            _("Every township has reported for %(week)s: nobody to chase."),
            code="nothing_to_chase",
            params={"week": week.short_label},
        )
    townships = [t for t in data.townships if t.pk in outstanding]
    message = (message or "").strip()[:200]
    deadline = timezone.localtime(week.deadline).strftime("%Y-%m-%d %H:%M")
    with transaction.atomic():
        chase = ReportChase(
            county_id=by.county_id,
            iso_year=week.year,
            iso_week=week.number,
            message=message,
            created_by=by,
            created_at=clock.now(),
        )
        save_audited(chase, by=by, reason=_("Chased the townships that have not reported"))
        chase.townships.set(townships)
        for township in townships:
            body = _("Not yet submitted: %(clusters)s. Due %(deadline)s.") % {
                "clusters": "、".join(outstanding[township.pk]),
                "deadline": deadline,
            }
            if message:
                body = f"{message}\n{body}"
            notify(
                recipients=selectors.township_cadres(township.pk),
                kind=Kind.CHASE,
                title=_("The county office asks for the reports of %(week)s") % {"week": week.short_label},
                body=body,
                url=f"{reverse('reports:report-list')}?week={week.key}",
                key=f"chase:{chase.pk}",
                record=chase,
            )
    return chase


# --- scheduled reminders (manage.py send_reminders) --------------------------------------------------


def remind_before_deadline(now: datetime.datetime | None = None) -> int:
    """Before the weekly deadline (Monday 12:00 after the week), remind each township of what it still owes."""
    now = now or clock.now()
    week = reporting_week(now)
    ahead = datetime.timedelta(hours=getattr(settings, "REPORT_REMINDER_HOURS_BEFORE", 24))
    if not (week.deadline - ahead <= now <= week.deadline):
        return 0
    deadline = timezone.localtime(week.deadline).strftime("%Y-%m-%d %H:%M")
    hours = max(0, math.ceil((week.deadline - now).total_seconds() / 3600))
    count = 0
    for township_id, names in selectors.outstanding_by_township(week, now).items():
        count += len(
            notify(
                recipients=selectors.township_cadres(township_id),
                kind=Kind.DUE,
                title=_("Weekly reports for %(week)s are due in %(hours)s hours")
                % {"week": week.short_label, "hours": hours},
                body=_("Not yet submitted: %(clusters)s. Due %(deadline)s.")
                % {"clusters": "、".join(names), "deadline": deadline},
                url=f"{reverse('reports:report-list')}?week={week.key}",
                key=f"due:{week.key}:{township_id}",
            )
        )
    return count


def remind_after_deadline(now: datetime.datetime | None = None) -> int:
    """Once the deadline has passed, tell each township what it missed (缺报) and each county office who missed."""
    now = now or clock.now()
    week = last_closed_week(now)
    outstanding = selectors.outstanding_by_township(week, now)
    url = f"{reverse('reports:report-list')}?week={week.key}"
    count = 0
    by_county: dict[int, list[str]] = {}
    from villages.models import Township

    townships = {t.pk: t for t in Township.objects.filter(pk__in=outstanding)}
    for township_id, names in outstanding.items():
        township = townships[township_id]
        by_county.setdefault(township.county_id, []).append(township.name)
        count += len(
            notify(
                recipients=selectors.township_cadres(township_id),
                kind=Kind.MISSED,
                title=_("Weekly reports for %(week)s were missed") % {"week": week.short_label},
                body=_("Not submitted by the deadline: %(clusters)s. File them now; they count as late.")
                % {"clusters": "、".join(names)},
                url=url,
                key=f"missed:{week.key}:{township_id}",
            )
        )
    for county_id, names in by_county.items():
        count += len(
            notify(
                recipients=selectors.county_office_users(county_id),
                kind=Kind.MISSED,
                title=_("%(count)s townships missed the reports of %(week)s")
                % {"count": len(names), "week": week.short_label},
                body="、".join(names),
                url=f"{reverse('notifications:reporting')}?week={week.key}",
                key=f"missed:{week.key}:county{county_id}",
            )
        )
    return count


def site_link(url: str) -> str:
    base = getattr(settings, "NOTIFICATION_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def deliver_pending(*, stream: Any = None, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Send undelivered notifications (of the last week) through every configured channel.

    A notification is marked delivered when every channel took it. A channel that fails leaves it for the
    next run, which tries that channel again and only that one: a webhook that is down for an hour loses
    nothing, and the e-mail already sent is not sent twice.
    """
    now = now or clock.now()
    configured = channel_module.configured_channels(stream=stream)
    if not configured:
        return (0, 0)
    delivered = failed = 0
    pending = (
        Notification.objects.filter(delivered_at__isnull=True, created_at__gte=now - datetime.timedelta(days=7))
        .select_related("recipient")
        .order_by("pk")
    )
    for notification in pending:
        message = channel_module.Message(
            recipient=notification.recipient,
            kind=notification.get_kind_display(),
            title=notification.title,
            body=notification.body,
            link=site_link(notification.url),
        )
        taken = list(notification.delivered_via)
        errors = []
        for channel in configured:
            if channel.name in taken:
                continue
            try:
                channel.send(message)
            except channel_module.DeliveryError as error:
                errors.append(str(error))
            else:
                taken.append(channel.name)
        notification.delivered_via = taken
        if errors:
            failed += 1
            logger.warning("notification %s not delivered: %s", notification.pk, "; ".join(errors))
        else:
            notification.delivered_at = now
            delivered += 1
        notification.save(update_fields=["delivered_via", "delivered_at"])
    return (delivered, failed)
