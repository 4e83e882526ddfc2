"""Each role's first screen: the county at a glance for the leader and the office, the cadre's complete 待办."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from overview import rates
from reports.weeks import Week
from tests.rectification.factories import approved_plan, weak_village
from tests.reports.factories import count_queries, draft, established_cluster, set_now, submitted

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEK_47 = Week(2026, 47)


@pytest.fixture
def county_scene(clock, township_a, township_b, cadre_a, cadre_b, leader, org_department, village_a):
    established = datetime.date(2026, 11, 2)
    a1 = established_cluster(township_a, name="李家联村", established_on=established)
    established_cluster(township_a, name="王庄联村", established_on=established)
    b1 = established_cluster(township_b, name="马园联村", established_on=established)
    set_now(clock, datetime.datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI))
    for week in (Week(2026, 45), Week(2026, 46)):
        submitted(a1, week, cadre_a)
        submitted(b1, week, cadre_b)
    submitted(b1, WEEK_47, cadre_b)
    draft(a1, WEEK_47, cadre_a)
    plan = approved_plan(weak_village(township_a, name="后进村"), cadre=cadre_a, leader=leader, org=org_department)
    set_now(clock, datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI))  # Monday, three hours before the deadline
    return {"plan": plan}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_leaders_first_screen_shows_the_county_at_a_glance(login, leader, county_scene):
    page = login(leader).get(reverse("workbench")).content.decode()
    text = _text(page)
    assert 'id="county-glance"' in page
    # This week's reporting: 1 of 3 expected reports arrived, in two townships one still missing.
    assert "2026年第47周" in text
    assert "报送率 33.3%，按时率 33.3%" in text  # 1 ÷ 3, one decimal, Excel rounding
    assert "2 份未报，涉及 1 个乡镇" in text
    assert f'href="{reverse("notifications:reporting")}?week=2026-W47"' in page
    # Clusters and coverage, issues, rectification and ledgers each link to their page.
    for name in ("clusters:coverage", "meetings:issue-list", "rectification:overview", "rectification:ledger-overview"):
        assert f'href="{reverse(name)}"' in page, name
    assert "3 个联村已组建" in text
    assert "个村已批准整顿" in text
    # Small server-side charts, with their figures written out (not colour alone).
    assert page.count('<svg class="mini-chart"') == 5
    assert "0/2" in text and "1/1" in text and "0/0" in text  # township bars; the ledger bar, no matters yet
    # The villages he is the contact for.
    assert "我联系的村" in text and "后进村" in text
    assert county_scene["plan"].get_absolute_url() in page


def test_office_first_screen_has_this_weeks_reporting_and_no_contact_list(login, county_office, county_scene):
    page = login(county_office).get(reverse("workbench")).content.decode()
    assert 'id="glance-reporting"' in page and 'id="glance-contacts"' not in page


def test_glance_query_count_does_not_grow_with_the_county(login, leader, county_scene, county):
    from tests import factories

    client = login(leader)
    before = count_queries(lambda: client.get(reverse("workbench")))
    for number in range(6):
        township = factories.TownshipFactory(county=county, name=f"新{number}镇")
        factories.VillageFactory(township=township)
        established_cluster(township, name=f"新{number}联村", established_on=datetime.date(2026, 11, 2))
    assert count_queries(lambda: client.get(reverse("workbench"))) == before


def test_cadres_todo_shows_hours_left_missed_weeks_and_unread_answers(login, clock, township_a, cadre_a, county_office):
    established = datetime.date(2026, 11, 2)
    a1 = established_cluster(township_a, name="李家联村", established_on=established)
    set_now(clock, datetime.datetime(2026, 11, 13, 10, 0, tzinfo=SHANGHAI))
    submitted(a1, Week(2026, 45), cadre_a)
    from reports import services as report_services

    report = a1.weekly_reports.get()
    report_services.answer_weekly_report(report=report, answer="下周二来指导。", by=county_office)
    # Week 46 (9–15 November, due Monday 16 November 12:00) is never filed: by week 47 it is missed.
    set_now(clock, datetime.datetime(2026, 11, 22, 20, 0, tzinfo=SHANGHAI))  # Sunday evening of week 47
    page = login(cadre_a).get(reverse("workbench")).content.decode()
    text = _text(page)
    assert 'id="cadre-week"' in page
    assert "2026年第47周周报告" in text and "还剩 16 小时" in text
    assert "缺报周次" in text and "李家联村 2026年第46周" in text
    assert "县联村办反馈未阅" in text and "下周二来指导。" in text


def test_issues_nearing_their_month_are_on_the_todo(login, clock, cadre_a, village_a):
    from lianchun import clock as product_clock
    from meetings import services as meeting_services
    from tests.meetings.factories import township_meeting

    meeting = township_meeting(cadre_a, on=product_clock.today() - datetime.timedelta(days=25))
    meeting_services.raise_issue(
        meeting=meeting, by=cadre_a, description="灌溉水渠淤堵", raised_by="李书记", owner="王镇长", village=village_a
    )
    text = _text(login(cadre_a).get(reverse("workbench")).content.decode())
    assert "即将满一个月的反映问题" in text and "灌溉水渠淤堵" in text


def test_reports_page_title_is_plain_text_when_weeks_are_owed(login, clock, township_a, cadre_a):
    established_cluster(township_a, name="李家联村", established_on=datetime.date(2026, 11, 2))
    set_now(clock, datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI))
    page = login(cadre_a).get(reverse("reports:report-list")).content.decode()
    assert 'id="owed"' in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and title.strip().startswith("本周待填报")


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (2, 3, "66.7%"),
        (1, 3, "33.3%"),
        (1, 8, "12.5%"),
        (1, 16, "6.3%"),
        (1, 6, "16.7%"),
        (3, 3, "100.0%"),
        (0, 0, "—"),
    ],
)
def test_rates_round_half_up_like_excel(part, whole, shown):
    assert rates.format_rate(part, whole) == shown


def test_the_consent_rate_stays_truncated():
    from clusters import consent

    assert consent.format_rate(2, 3) == "66.6%"


def test_todo_and_report_list_name_the_same_weeks_owed(login, clock, township_a, cadre_a):
    """The 工作台's 缺报 figure and the report list's earlier weeks count the same reports over the same span."""
    cluster = established_cluster(township_a, name="李家联村", established_on=datetime.date(2026, 8, 3))
    set_now(clock, datetime.datetime(2026, 11, 23, 15, 0, tzinfo=SHANGHAI))  # Monday of week 48, past 12:00
    for number in range(32, 48):
        if number == 37:
            draft(cluster, Week(2026, number), cadre_a)
        elif number not in (33, 38, 46):
            submitted(cluster, Week(2026, number), cadre_a)
    client = login(cadre_a)
    todo = _text(client.get(reverse("workbench")).content.decode())
    listing = _text(client.get(reverse("reports:report-list")).content.decode())
    # Weeks 46 and 38 missing, week 37 a draft: all within the last twelve weeks, on both pages.
    item = re.search(r"缺报周次（近12周） (.*?) (\d+) ", todo)
    assert item, todo
    assert item.group(2) == "3"
    for week in ("第46周", "第38周", "第37周"):
        assert f"李家联村 2026年{week}" in item.group(1)
    owed = listing[listing.index("往周未提交的报告（近12周）") :]
    assert all(week in owed for week in ("2026年第46周", "2026年第38周", "2026年第37周"))
    # Week 33 lies beyond the span on both.
    assert "第33周" not in item.group(1) and "第33周" not in owed
