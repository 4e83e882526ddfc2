"""The shared form fields refuse, on the field, what the database cannot hold."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from lianchun.fields import ModelMultipleChoiceField
from villages.models import Village


class VillagesForm(forms.Form):
    villages = ModelMultipleChoiceField(queryset=Village.objects.all())


@pytest.mark.parametrize("posted", ["99999999999999999999", "-99999999999999999999"])
def test_an_id_beyond_the_database_is_a_choice_not_offered(village_a, posted):
    form = VillagesForm({"villages": [str(village_a.pk), posted]})
    assert not form.is_valid()
    assert form.errors["villages"] == [f"选择一个有效的选项。 {posted} 不在可用的选项中。"]


def test_ids_the_database_holds_are_still_read(village_a, village_b):
    form = VillagesForm({"villages": [str(village_a.pk), str(village_b.pk)]})
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["villages"]) == {village_a, village_b}
    assert not VillagesForm({"villages": ["abc"]}).is_valid()


def test_the_cluster_proposal_says_which_village_is_not_offered(login, cadre_a, village_a):
    response = login(cadre_a).post(
        reverse("clusters:cluster-propose"),
        {"name": "李家联村", "villages": [str(village_a.pk), "99999999999999999999"], "lead_village": village_a.pk},
    )
    assert response.status_code == 200
    assert "99999999999999999999 不在可用的选项中" in response.content.decode()
