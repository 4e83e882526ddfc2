"""System checks: the PDF font and the fast subsetter must be there, or printouts fail or take 30× longer."""

from __future__ import annotations

from django.core import checks


@checks.register()
def check_pdf_toolchain(app_configs=None, **kwargs):
    from . import pdf

    problems = []
    if not pdf.font_path().is_file():
        problems.append(
            checks.Error(
                f"The vendored PDF font {pdf.font_path()} is missing; Chinese would print as boxes.",
                id="exports.E001",
            )
        )
    try:
        subsetter = pdf.subsetter()
    except Exception as error:  # WeasyPrint's native libraries (pango) are missing
        problems.append(checks.Error(f"WeasyPrint cannot load: {error}", id="exports.E002"))
    else:
        if subsetter != "harfbuzz":
            problems.append(
                checks.Warning(
                    "libharfbuzz-subset is not installed: every PDF takes seconds instead of a fraction of one.",
                    hint="Install the Debian package libharfbuzz-subset0 (make system-deps).",
                    id="exports.W001",
                )
            )
    return problems


@checks.register(checks.Tags.files, deploy=True)
def check_shared_storage(app_configs=None, **kwargs):
    """With several web and worker hosts, files kept inside the application directory are seen by one only."""
    from pathlib import Path

    from django.conf import settings

    problems = []
    for alias in ("default", "attachments"):
        config = settings.STORAGES.get(alias, {})
        if config.get("BACKEND") != "django.core.files.storage.FileSystemStorage":
            continue
        location = Path(config.get("OPTIONS", {}).get("location") or settings.MEDIA_ROOT).resolve()
        if location.is_relative_to(Path(settings.BASE_DIR).resolve()):
            problems.append(
                checks.Warning(
                    f"The {alias!r} storage keeps its files in {location}, inside the application directory: "
                    "other web or worker hosts (and a new container) will not see them.",
                    hint="Set FILES_ROOT and ATTACHMENTS_ROOT to a shared volume, or FILES_S3_BUCKET to a bucket.",
                    id="exports.W002",
                )
            )
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db."):
        problems.append(
            checks.Warning(
                f"Background downloads use {backend}: heavy files are made inside web requests.",
                hint="Leave TASKS_IMMEDIATE unset and run `manage.py db_worker` (the compose `worker` service).",
                id="exports.W003",
            )
        )
    return problems
