"""No stored text breaks a download: every workbook and PDF renders and opens, whatever the free-text fields hold.

Text is written straight into the tables (as older data, imports or another client could have left it), so the
check is on the writers, not on the forms that clean input.
"""

from __future__ import annotations

import io

import pypdf
import pytest
from django.apps import apps
from django.db import connection, models, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from exports import registry
from reports.models import WeeklyReport

FREE_TEXT_APPS = ["villages", "clusters", "reports", "meetings", "rectification", "assessments"]
NOT_FREE_TEXT = {"code", "history_change_reason", "history_type"}
PASTED = ["\x0b", "\x0c", "\x01\x02", '=HYPERLINK("http://x","点我")', "-1", "@SUM(A1)", "\ufffe", "x" * 300]


def free_text_fields():
    for app in FREE_TEXT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name not in NOT_FREE_TEXT
            ]
            if fields:
                yield model, fields


def store(text: str) -> None:
    """Every free-text field of every row gets `text` (unique fields get the row's id after it)."""
    if connection.vendor == "postgresql":
        text = text.replace("\x00", "")  # PostgreSQL cannot store NUL in text at all
    for model, fields in free_text_fields():
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {}
            for f in fields:
                limit = f.max_length or 5000
                suffix = str(pk)
                values[f.name] = (text[: limit - len(suffix)] + suffix) if f.max_length else text + suffix
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**values)
            except Exception:  # append-only tables (events, history) refuse updates: they keep their text
                pass


def downloads(world) -> list[tuple[str, dict]]:
    report = WeeklyReport.objects.order_by("pk").first()
    span = {"first": "2020-W01", "last": "2030-W52"}
    urls = [
        (reverse("exports:workbook", args=[topic]), span)
        for topic in (e.identifier for e in registry.exporters(registry.XLSX))
    ]
    urls += [
        (reverse("exports:county-summary-pdf"), {}),
        (reverse("exports:cluster-profile-pdf", args=[world.export_cluster.pk]), {}),
        (reverse("exports:weekly-compilation-pdf"), {"week": report.week.key} if report else {}),
        (reverse("assessments:scorecard-pdf", args=[world.published_period.pk]), {}),
        (reverse("assessments:circular-pdf", args=[world.circular.pk]), {}),
    ]
    return urls


@pytest.mark.django_db
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(min_size=1, max_size=80), st.sampled_from(PASTED)))
def test_every_workbook_and_pdf_renders_whatever_text_is_stored(world, text):  # noqa: F811
    store(text)
    for persona in ("county_office", "cadre_a"):
        client = Client()
        client.force_login(world.personas[persona])
        for url, params in downloads(world):
            response = client.get(url, params)
            assert response.status_code == 200, (persona, url)
            data = b"".join(response.streaming_content)
            if response["Content-Type"] == "application/pdf":
                assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 1
            else:
                load_workbook(io.BytesIO(data))


def test_every_free_text_field_is_covered():
    covered = {(model.__name__, f.name) for model, fields in free_text_fields() for f in fields}
    for expected in [
        ("WeeklyReport", "progress"),
        ("MeetingIssue", "description"),
        ("LedgerEntry", "summary"),
        ("RectificationItem", "measure"),
        ("ClusterOfficer", "phone"),
        ("Village", "name"),
    ]:
        assert expected in covered
