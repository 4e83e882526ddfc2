"""The meeting tallies a city or province list reads: after every change they equal a direct count, and the
list's length is the number of meetings it pages through."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services, tallies
from meetings.models import Meeting, MeetingKind, MeetingTally
from tests import factories
from tests.meetings.factories import county_meeting, township_meeting

pytestmark = pytest.mark.django_db


def direct_counts() -> dict[int, int]:
    live = Meeting.objects.filter(voided_at__isnull=True).values("county_id").annotate(n=Count("pk"))
    return {row["county_id"]: row["n"] for row in live}


def kept_counts() -> dict[int, int]:
    return {row.county_id: row.live for row in MeetingTally.objects.filter(live__gt=0)}


@pytest.fixture
def other_county(other_city):
    county = factories.CountyFactory(code="379801000000", name="临水县", city=other_city)
    return county, factories.TownshipFactory(county=county, code="379801101000", name="河口镇")


def test_the_tally_follows_meetings_scheduled_and_voided(township_a, township_b, county_office, other_county):
    _county, river_mouth = other_county
    first = township_meeting(factories.cadre_of(township_a))
    township_meeting(factories.cadre_of(township_b))
    county_meeting(county_office, [township_a, township_b])
    township_meeting(factories.cadre_of(river_mouth))
    assert kept_counts() == direct_counts() == {township_a.county_id: 3, river_mouth.county_id: 1}

    services.void_meeting(meeting=first, by=factories.cadre_of(township_a), reason="误录")
    assert kept_counts() == direct_counts() == {township_a.county_id: 2, river_mouth.county_id: 1}

    MeetingTally.objects.all().delete()
    tallies.recount_all()
    assert kept_counts() == direct_counts()


def _heading_count(html: str) -> int:
    return int(re.search(r'<small class="text-muted fs-6">共 (\d+) 次', html).group(1))


def test_a_city_and_a_province_list_as_many_meetings_as_their_counties_hold(
    login, township_a, county_office, city_office, province_office, other_county
):
    _county, river_mouth = other_county
    cadre = factories.cadre_of(township_a)
    for _ in range(3):
        township_meeting(cadre)
    county_meeting(county_office, [township_a], kind=MeetingKind.DISPATCH)
    township_meeting(factories.cadre_of(river_mouth))
    duplicate = Meeting.objects.filter(county=township_a.county, kind=MeetingKind.TOWNSHIP).first()
    services.void_meeting(meeting=duplicate, by=cadre, reason="重复")

    url = reverse("meetings:meeting-list")
    city_page = login(city_office).get(url).content.decode()
    assert _heading_count(city_page) == 3  # its one county: four scheduled, one voided; not the other city's
    assert city_page.count('href="/meetings/') - city_page.count('href="/meetings/new') >= 3
    with CaptureQueriesContext(connection) as queries:
        province_page = login(province_office).get(url).content.decode()
    assert _heading_count(province_page) == 4
    assert not [q for q in queries.captured_queries if 'COUNT(*) AS "__count" FROM "meetings_meeting"' in q["sql"]], (
        "the length of the unfiltered list comes from the tallies, not from counting the meetings"
    )
    # A filter counts the meetings it keeps, not the tally.
    assert _heading_count(login(province_office).get(url, {"kind": MeetingKind.DISPATCH}).content.decode()) == 1
    # The county filter narrows the tally to that county.
    assert _heading_count(login(province_office).get(url, {"county": river_mouth.county_id}).content.decode()) == 1
