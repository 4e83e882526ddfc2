"""Demo notifications: the county's recent answers and returns as the township received them, most answers
read (已阅) and the latest still unread, the reminders the scheduled command would have sent, and one 催报.

Answers and returns arrive through `lianchun.workflow.transitioned` once the reports app takes them
through its workflow; for reports written before that, this builds the same notifications (same event
keys, so nothing is notified twice).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q

from lianchun import clock
from lianchun.demodata import DemoContext
from reports.models import ReportSubmission, State
from reports.weeks import Week, reporting_week

from . import receivers, services


def _at(moment: datetime.datetime) -> None:
    clock.reset()
    clock.travel(moment - clock.now())


def build(ctx: DemoContext) -> None:
    since = clock.now() - datetime.timedelta(days=28)
    submissions = list(
        ReportSubmission.objects.filter(report__cluster__township__county=ctx.county, responded_at__gte=since)
        .filter(Q(outcome=ReportSubmission.Outcome.ANSWERED) | Q(outcome=ReportSubmission.Outcome.RETURNED))
        .select_related("report__cluster__township")
        .order_by("responded_at", "pk")
    )
    cadres = {user.township_id: user for user in ctx.users.values() if user.is_township_cadre}
    notified = read = 0
    try:
        for submission in submissions:
            report = submission.report
            latest = report.submissions.order_by("-number").first()
            if latest.pk != submission.pk:
                continue  # only the report's current answer or return is news
            _at(submission.responded_at)
            to_state = State.ANSWERED if submission.outcome == ReportSubmission.Outcome.ANSWERED else State.RETURNED
            notified += receivers.notify_transition(
                record=report, from_state=State.SUBMITTED, to_state=to_state, opinion=submission.response
            )
            cadre = cadres.get(report.cluster.township_id)
            # Answers older than a week have been read; the latest stay unread on the cadre's 待办.
            if (
                cadre is not None
                and to_state == State.ANSWERED
                and submission.responded_at < since + datetime.timedelta(days=21)
            ):
                _at(submission.responded_at + datetime.timedelta(hours=20))
                services.mark_answer_read(submission=submission, by=cadre)
                read += 1
        # The reminders the scheduled command (send_reminders) sent over the last four weeks, each at its hour:
        # the evening before a deadline and just after it. Reports filed late had arrived by then.
        reminders = 0
        clock.reset()
        today = clock.now()
        this_week = Week.containing(today)
        for back in range(4, 0, -1):
            week = Week.of(this_week.monday - datetime.timedelta(weeks=back))
            for moment in (week.deadline - datetime.timedelta(hours=16), week.deadline + datetime.timedelta(hours=1)):
                if moment < today:
                    _at(moment)
                    reminders += services.remind_before_deadline() + services.remind_after_deadline()
        clock.reset()
        reminders += services.remind_before_deadline() + services.remind_after_deadline()
        chased = 0
        office = ctx.users.get("office")
        week = reporting_week()
        if office is not None:
            try:
                chase = services.chase_missing_reports(week=week, by=office, message="请按时报送本周联村工作周报告。")
                chased = chase.townships.count()
            except ValidationError:  # every township has reported: nobody to chase
                chased = 0
    finally:
        clock.reset()
    ctx.log(f"    notifications: {notified} answers and returns ({read} read), {reminders} reminders, {chased} chased")
