"""Every choice field's label reads the same through the label table as through Django's own lookup."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from lianchun.choices import ChoiceLabels


def _choice_fields():
    for model in apps.get_models():
        if not issubclass(model, ChoiceLabels):
            continue
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


def test_every_official_model_with_choices_reads_its_labels_from_the_table():
    fields = list(_choice_fields())
    assert len(fields) > 30, "the official records' choice fields"
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for model, field in fields:
                for value, _label in field.flatchoices:
                    record = model(**{field.attname: value})
                    expected = models.Model._get_FIELD_display(record, field)
                    assert getattr(record, f"get_{field.name}_display")() == expected, (model, field.name, value)


@pytest.mark.parametrize("language, label", [("zh-hans", "已组建"), ("en", "Established")])
def test_a_label_is_in_the_language_of_the_request(language, label):
    from clusters.models import Cluster, Status

    with translation.override(language):
        assert Cluster(status=Status.ESTABLISHED).get_status_display() == label


def test_a_value_without_a_choice_shows_as_stored():
    from clusters.models import Cluster

    assert Cluster(status="archived").get_status_display() == "archived"
