"""The one list layout: every list shows its records as a table that phones turn into cards, each card
titled by the record's name in full, and says so in one sentence across the table when nothing matches."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from tests.clusters.factories import proposed_cluster
from tests.meetings.factories import township_meeting


def _table(response):
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content.decode())
    (table,) = tree.xpath("//table[contains(concat(' ', @class, ' '), ' table-cards ')]")
    return table


def _first_cell_link(table):
    first = table.xpath("./tbody/tr[1]/td[1]")[0]
    return first.xpath(".//a")[0]


@pytest.mark.django_db
def test_village_list_titles_each_card_with_the_village_name(login, cadre_a, village_a):
    link = _first_cell_link(_table(login(cadre_a).get(reverse("villages:village-list"))))
    assert link.text_content() == village_a.name
    assert link.get("href") == village_a.get_absolute_url()


@pytest.mark.django_db
def test_cluster_list_titles_each_card_with_the_cluster_name(login, cadre_a):
    cluster = proposed_cluster(cadre_a, name="东山联村")
    link = _first_cell_link(_table(login(cadre_a).get(reverse("clusters:cluster-list"))))
    assert link.text_content() == "东山联村"
    assert link.get("href") == cluster.get_absolute_url()


@pytest.mark.django_db
def test_meeting_list_titles_each_card_with_the_topic(login, cadre_a, clock):
    meeting = township_meeting(cadre_a, topic="三月例会：春耕与防汛")
    link = _first_cell_link(_table(login(cadre_a).get(reverse("meetings:meeting-list"))))
    assert link.text_content() == "三月例会：春耕与防汛"
    assert link.get("href") == meeting.get_absolute_url()


@pytest.mark.django_db
def test_an_empty_list_says_so_across_every_column(login, cadre_a, village_a):
    table = _table(login(cadre_a).get(reverse("villages:village-list"), {"q": "没有这个村"}))
    columns = len(table.xpath("./thead/tr/th"))
    (row,) = table.xpath("./tbody/tr")
    (cell,) = row.xpath("./td")
    assert int(cell.get("colspan")) == columns
    assert cell.text_content().strip() != ""
