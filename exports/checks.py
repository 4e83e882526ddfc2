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
