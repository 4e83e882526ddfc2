"""Two people editing the same village: the second save is refused, keeps its text and shows the first."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests import walk
from villages.models import StandingChange, Village


def _opened(user, url):
    client = Client()
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    return client, {name: values[0] for name, values in walk.form_data(page.content.decode()).items()}


def test_the_second_of_two_fact_editors_is_refused_and_keeps_their_text(cadre_a, county_office, village_a):
    url = reverse("villages:village-edit", args=[village_a.pk])
    first, first_form = _opened(cadre_a, url)
    second, second_form = _opened(county_office, url)

    saved = first.post(url, {**first_form, "households": "410", "reason": "年度核实"})
    assert saved.status_code == 302

    refused = second.post(url, {**second_form, "name": "李家庄新村", "households": "420", "reason": "区划更名"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "张干部" in page and "保存了此记录" in page
    assert 'value="李家庄新村"' in page and 'value="420"' in page  # their text stays in the form
    assert "410" in page  # beside what the first person saved
    village = Village.objects.get(pk=village_a.pk)
    assert (village.name, village.households) == ("李家庄村", 410)

    # Saving again from the refused form (it now carries the current token) goes through.
    again = walk.form_data(page)
    retried = second.post(url, {name: values[0] for name, values in again.items()})
    assert retried.status_code == 302
    village.refresh_from_db()
    assert (village.name, village.households) == ("李家庄新村", 420)


def test_a_standing_change_on_a_stale_page_is_refused(county_office, org_department, village_a):
    url = reverse("villages:village-standing", args=[village_a.pk])
    first, first_form = _opened(county_office, url)
    second, second_form = _opened(org_department, url)
    change = {"effective_date": "2026-06-01"}

    assert first.post(url, {**first_form, **change, "to_standing": "advanced", "reason": "经济发展"}).status_code == 302
    refused = second.post(url, {**second_form, **change, "to_standing": "lagging", "reason": "班子软弱"})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "王主任" in page and "保存了此记录" in page and "班子软弱" in page
    assert list(StandingChange.objects.values_list("to_standing", flat=True)) == ["advanced"]
