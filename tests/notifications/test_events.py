"""Notifications created from workflow steps (the `transitioned` signal), read in the app, and 已阅."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianchun.workflow import Transition, Workflow, transitioned
from notifications.models import AnswerReceipt, Kind, Notification
from reports.models import ReportSubmission, State, WeeklyReport
from reports.weeks import current_week
from tests import factories
from tests.notifications.factories import answered
from tests.reports.factories import established_cluster, submitted

pytestmark = pytest.mark.django_db


def _answer_effect(record, *, by, opinion, **data):
    from lianchun import clock

    submission = record.submissions.order_by("-number").first()
    submission.outcome = ReportSubmission.Outcome.ANSWERED
    submission.response = opinion
    submission.responded_by = by
    submission.responded_at = clock.now()
    submission.save()
    return []


# The shape the reports app declares for the county's answer; not registered, so it shadows nothing.
ANSWER_FLOW = Workflow(
    model=WeeklyReport,
    field="state",
    register=False,
    transitions=[
        Transition(
            name="answer",
            label="反馈",
            sources={State.SUBMITTED, State.RESUBMITTED},
            target=State.ANSWERED,
            roles={"county_office"},
            effect=_answer_effect,
            opinion="required",
        )
    ],
)


def test_a_county_answer_taken_through_the_workflow_notifies_every_cadre_of_the_township(
    township_a, cadre_a, cadre_b, county_office
):
    second_cadre = factories.cadre_of(township_a, username="cadre_a2")
    cluster = established_cluster(township_a, name="李家联村")
    report = submitted(cluster, current_week().previous(), cadre_a)

    ANSWER_FLOW.perform(report, "answer", by=county_office, opinion="下周二来指导。")

    notes = Notification.objects.filter(kind=Kind.ANSWER).order_by("recipient_id")
    assert [n.recipient for n in notes] == [cadre_a, second_cadre]
    note = notes[0]
    assert note.body == "下周二来指导。"
    assert "李家联村" in note.title and note.title.startswith("县联村办已反馈")
    assert note.url == report.get_absolute_url()
    assert note.content_type.model_class() is ReportSubmission
    assert not Notification.objects.filter(recipient=cadre_b).exists()


def test_a_refused_step_notifies_nobody(township_a, cadre_a, county_office):
    cluster = established_cluster(township_a, name="李家联村")
    report = submitted(cluster, current_week().previous(), cadre_a)
    ANSWER_FLOW.perform(report, "answer", by=county_office, opinion="已阅。")
    with pytest.raises(ValidationError):
        ANSWER_FLOW.perform(report, "answer", by=county_office, opinion="再次反馈。")
    assert Notification.objects.filter(kind=Kind.ANSWER).count() == 1


def test_the_same_event_heard_twice_notifies_once(township_a, cadre_a, county_office):
    report, submission = answered(township_a, cadre_a, county_office)
    for _ in range(2):
        transitioned.send(
            sender=WeeklyReport,
            record=report,
            transition=None,
            from_state="submitted",
            to_state="answered",
            by=county_office,
            opinion=submission.response,
        )
    assert Notification.objects.filter(recipient=cadre_a, kind=Kind.ANSWER).count() == 1


def test_cluster_approval_and_return_reach_the_township(township_a, cadre_a, county_office):
    from clusters.models import Cluster, Status

    cluster = Cluster.objects.create(township=township_a, name="王庄联村", status=Status.SUBMITTED)
    transitioned.send(
        sender=Cluster,
        record=cluster,
        transition=None,
        from_state="submitted",
        to_state="returned",
        by=county_office,
        opinion="章程缺少议事规则。",
    )
    transitioned.send(
        sender=Cluster,
        record=cluster,
        transition=None,
        from_state="submitted",
        to_state="established",
        by=county_office,
        opinion="",
    )
    kinds = sorted(Notification.objects.filter(recipient=cadre_a).values_list("kind", flat=True))
    assert kinds == [Kind.APPROVAL, Kind.RETURN]
    returned = Notification.objects.get(recipient=cadre_a, kind=Kind.RETURN)
    assert returned.body == "章程缺少议事规则。" and returned.title == "王庄联村已被退回修改"


def test_a_step_with_no_rule_notifies_nobody(township_a, cadre_a, county_office):
    from clusters.models import Cluster, Status

    cluster = Cluster.objects.create(township=township_a, name="王庄联村", status=Status.PROPOSED)
    transitioned.send(
        sender=Cluster,
        record=cluster,
        transition=None,
        from_state="proposed",
        to_state="consulting",
        by=cadre_a,
        opinion="",
    )
    assert not Notification.objects.exists()


def _answer_notification(report, submission, county_office):
    transitioned.send(
        sender=WeeklyReport,
        record=report,
        transition=None,
        from_state="submitted",
        to_state="answered",
        by=county_office,
        opinion=submission.response,
    )


def test_opening_an_answer_marks_it_read_and_the_office_sees_who_read_it(login, township_a, cadre_a, county_office):
    report, submission = answered(township_a, cadre_a, county_office)
    _answer_notification(report, submission, county_office)
    note = Notification.objects.get(recipient=cadre_a)

    client = login(cadre_a)
    page = client.get(reverse("workbench")).content.decode()
    assert 'id="nav-notifications"' in page and ">1</span>" in page
    response = client.post(reverse("notifications:notification-open"), {"pk": note.pk})
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    receipt = AnswerReceipt.objects.get(submission=submission)
    assert receipt.read_by == cadre_a

    office_page = login(county_office).get(reverse("notifications:answers")).content.decode()
    assert "已阅" in office_page and "张干部" in office_page


def test_a_cadre_cannot_open_someone_elses_notification(login, township_a, cadre_a, cadre_b, county_office):
    report, submission = answered(township_a, cadre_a, county_office)
    _answer_notification(report, submission, county_office)
    note = Notification.objects.get(recipient=cadre_a)
    response = login(cadre_b).post(reverse("notifications:notification-open"), {"pk": note.pk})
    assert response["Location"] == reverse("notifications:notification-list")
    note.refresh_from_db()
    assert note.read_at is None
    assert not AnswerReceipt.objects.exists()


@pytest.mark.parametrize("pk", ["abc", "2026-02-30", "a\x00b", "99999999999999999999", "１２"])
def test_a_hand_made_id_opens_no_notification_and_no_error(login, township_a, cadre_a, county_office, pk):
    report, submission = answered(township_a, cadre_a, county_office)
    _answer_notification(report, submission, county_office)
    response = login(cadre_a).post(reverse("notifications:notification-open"), {"pk": pk})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:notification-list")
    assert Notification.objects.get(recipient=cadre_a).read_at is None


def test_unread_answers_are_on_the_cadres_todo_until_marked_read(login, township_a, cadre_a, county_office):
    report, submission = answered(township_a, cadre_a, county_office, answer="请补充走访台账。")
    client = login(cadre_a)
    page = client.get(reverse("workbench")).content.decode()
    assert "县联村办反馈未阅" in page and "请补充走访台账。" in page

    answers = client.get(reverse("notifications:answers")).content.decode()
    assert "标为已阅" in answers
    client.post(reverse("notifications:answer-read", args=[submission.pk]))
    assert AnswerReceipt.objects.filter(submission=submission, read_by=cadre_a).exists()
    assert "县联村办反馈未阅" not in client.get(reverse("workbench")).content.decode()
    office = login(county_office).get(reverse("notifications:answers")).content.decode()
    assert "未阅" not in office


def test_the_office_sees_an_answer_not_yet_read(login, township_a, cadre_a, county_office):
    answered(township_a, cadre_a, county_office)
    page = login(county_office).get(reverse("notifications:answers")).content.decode()
    assert "未阅" in page and "通知联村" in page


def test_read_receipt_is_in_the_audit_trail(township_a, cadre_a, county_office):
    from notifications import services

    _report, submission = answered(township_a, cadre_a, county_office)
    receipt = services.mark_answer_read(submission=submission, by=cadre_a)
    row = receipt.history.get()
    assert row.history_user == cadre_a and row.history_change_reason == "已阅县联村办反馈"


def test_the_notification_list_heads_its_kind_column_as_the_kind_of_message(login, cadre_a):
    from notifications import services

    services.notify(recipients=[cadre_a], kind=Kind.CHASE, title="请报送")
    page = login(cadre_a).get(reverse("notifications:notification-list")).content.decode()
    assert "<th>消息类型</th>" in page and "会议类型" not in page


def test_notification_and_answer_lists_do_not_grow_in_queries(login, township_a, cadre_a, county_office):
    from notifications import services
    from tests.reports.factories import count_queries

    services.notify(recipients=[cadre_a], kind=Kind.CHASE, title="请报送")
    answered(township_a, cadre_a, county_office, name="一号联村")
    client = login(cadre_a)
    lists = [reverse("notifications:notification-list"), reverse("notifications:answers")]
    before = [count_queries(lambda url=url: client.get(url)) for url in lists]
    for number in range(12):
        services.notify(recipients=[cadre_a], kind=Kind.CHASE, title=f"请报送{number}")
        answered(township_a, cadre_a, county_office, name=f"联村{number}")
    assert [count_queries(lambda url=url: client.get(url)) for url in lists] == before


def test_the_workbench_line_of_unread_answers_is_one_query_whatever_their_number(
    township_a, cadre_a, county_office, django_assert_num_queries
):
    from notifications.work import unread_answers

    answered(township_a, cadre_a, county_office, name="一号联村", weeks_back=2, answer="请补充走访台账。")
    answered(township_a, cadre_a, county_office, name="二号联村", weeks_back=3, answer="下周二来指导。")
    with django_assert_num_queries(1):
        (item,) = unread_answers(cadre_a)
    assert item.count == 2
    assert "一号联村" in item.detail and "二号联村" in item.detail and "请补充走访台账。" in item.detail
    assert "第" in item.detail  # the week's label ("2026年第47周")
