"""Speed figures for the county's printouts and workbooks (`make bench`).

Builds the demo county in a throwaway SQLite database (or reuses one named by
BENCH_DATABASE), then prints, in a warm process:
  - seconds for the county summary PDF (first page and the whole summary);
  - pages per second for a 50-page compilation of weekly reports;
  - rows per second for a 10,000-row Excel export through the project's writer,
    and for the same cells written by bare openpyxl write-only mode (a WriteOnlyCell
    where a number format is wanted, as openpyxl documents it), and the same values
    appended with no formats, for reference;
  - which font subsetter WeasyPrint used (HarfBuzz, or the 30× slower fontTools);
  - a 20,000-row roster read, checked and previewed, and a 100,000-row roster refused (bench/imports.py).
Targets (issue 12): one-page PDF ≤ 0.25 s warm; ≥ 15 pages/s; Excel ≥ 0.8 × bare openpyxl writing the
same cells; roster preview ≤ 3 s and ≤ 100 MB; a 100,000-row upload refused in < 5 s with < 100 MB.
"""

from __future__ import annotations

import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_database() -> Path:
    reuse = os.environ.get("BENCH_DATABASE")
    path = Path(reuse) if reuse else Path(tempfile.mkdtemp(prefix="lianchun-bench-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianchun.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if not (reuse and path.exists() and path.stat().st_size > 0):
        print(f"Building the demo county in {path} …", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        print(f"  demo data built in {time.perf_counter() - started:.1f} s", flush=True)
    return path


@dataclass
class Timing:
    wall: float  # the fastest wall-clock run
    cpu: float  # the process's own CPU time for that work (what a quiet machine would take)

    def __str__(self) -> str:
        return f"{self.wall:.3f} s wall (best of runs), {self.cpu:.3f} s CPU"


def timed(function, repeat: int) -> tuple[Timing, object]:
    """Best wall-clock and median CPU time of `repeat` runs; CPU time is not inflated by other busy processes."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return Timing(min(walls), statistics.median(cpus)), result


def pages(data: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def main() -> int:
    setup_database()
    from accounts.models import User
    from exports import compilation, pdf, selectors
    from exports.pdf import render_pdf
    from exports.xlsx import CODE, DATE, INT, PERCENT, TEXT, Column, WorkbookWriter, rate_value
    from villages.models import Village

    office = User.objects.get(username="office")
    print(f"Font subsetter: {pdf.subsetter()}  (WeasyPrint {__import__('weasyprint').__version__})")

    # 1. County summary, warm: render once, then time several.
    def summary_pdf(first_page_only: bool = False) -> bytes:
        summary = selectors.county_summary(office)
        return render_pdf("exports/county_summary_pdf.html", {"summary": summary, "show_clusters": not first_page_only})

    summary_pdf()
    one_page, data = timed(lambda: summary_pdf(first_page_only=True), 7)
    print(
        f"County summary, headline figures and table by township ({pages(data)} page), warm: {one_page}  [target ≤ 0.25 s]"
    )
    whole, data = timed(summary_pdf, 5)
    print(f"County summary with the list of clusters ({pages(data)} pages), warm: {whole}")

    # 2. A 50-page compilation of weekly reports from the demo data.
    entries = [
        compilation.entry_for(r)
        for r in compilation.filed_reports(office).order_by("-iso_year", "-iso_week", "cluster__name")
    ]
    if not entries:
        print("No weekly reports in the demo data; compilation skipped.")
    else:

        def book_of(count: int) -> compilation.Compilation:
            chosen = (entries * (count // len(entries) + 1))[:count]
            return compilation.Compilation(
                title="清河县联村工作周报汇编", unit=selectors.unit_name(office), week_label="基准测试", reports=chosen
            )

        count = 150
        for _attempt in range(3):  # find how many reports make 50 pages
            got = pages(compilation.render(book_of(count)))
            if got == 50:
                break
            count = max(int(count * 50 / got), 1)
        book = book_of(count)
        timing, data = timed(lambda: compilation.render(book), 3)
        n = pages(data)
        print(
            f"Weekly compilation: {n} pages ({len(book.reports)} reports): {timing} = "
            f"{n / timing.wall:.1f} pages/s wall, {n / timing.cpu:.1f} pages/s CPU  [target ≥ 15]"
        )

    # 3. 10,000 rows of Excel: the project's writer against bare openpyxl write-only mode.
    villages = list(Village.objects.select_related("township").order_by("code"))
    day = datetime.date(2026, 3, 5)
    rows = []
    while len(rows) < 10000:
        for v in villages:
            rows.append(
                [
                    v.code,
                    v.township.name,
                    v.name,
                    v.households,
                    v.population,
                    day,
                    rate_value(v.party_members, max(v.households, 1)),
                    v.get_standing_display(),
                ]
            )
            if len(rows) == 10000:
                break
    columns = [
        Column("村(社区)代码", CODE, 15),
        Column("乡镇", TEXT, 12),
        Column("村(社区)", TEXT, 14),
        Column("户数", INT, 9),
        Column("户籍人口", INT, 10),
        Column("日期", DATE, 12),
        Column("比例", PERCENT, 9),
        Column("类别", TEXT, 8),
    ]

    def ours() -> bytes:
        writer = WorkbookWriter()
        writer.add_sheet(name="基准", title="基准测试", unit="清河县", as_of=day, columns=columns, rows=iter(rows))
        return writer.to_bytes()

    def bare_values() -> bytes:
        """The same values appended as they are: no text or percentage formats (not the same workbook)."""
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("基准")
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def bare_cells() -> bytes:
        """The same cells written the way openpyxl documents it: a WriteOnlyCell where a number format is
        wanted (the code as text "@", the date as 2026年12月2日, the rate as "0.0%")."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        from exports.xlsx import CHINESE_DATE_FORMAT

        book = Workbook(write_only=True)
        sheet = book.create_sheet("基准")
        for code, township, village, households, population, when, rate, standing in rows:
            code_cell = WriteOnlyCell(sheet, value=code)
            code_cell.number_format = "@"
            rate_cell = WriteOnlyCell(sheet, value=rate)
            rate_cell.number_format = "0.0%"
            when_cell = WriteOnlyCell(sheet, value=when)
            when_cell.number_format = CHINESE_DATE_FORMAT
            sheet.append([code_cell, township, village, households, population, when_cell, rate_cell, standing])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    times = {"ours": [], "cells": [], "values": []}
    for _ in range(5):  # interleaved, so all see the same machine
        times["ours"].append(timed(ours, 1)[0])
        times["cells"].append(timed(bare_cells, 1)[0])
        times["values"].append(timed(bare_values, 1)[0])
    cpu = {key: statistics.median(t.cpu for t in value) for key, value in times.items()}
    wall = {key: min(t.wall for t in value) for key, value in times.items()}
    n = len(rows)
    print(
        f"Excel, {n:,} rows × 8 columns: project writer {n / wall['ours']:,.0f} rows/s wall, "
        f"{n / cpu['ours']:,.0f} rows/s CPU; bare openpyxl write-only writing the same cells "
        f"{n / wall['cells']:,.0f} rows/s wall, {n / cpu['cells']:,.0f} rows/s CPU; "
        f"ratio {cpu['cells'] / cpu['ours']:.2f} (CPU), {wall['cells'] / wall['ours']:.2f} (wall)  [target ≥ 0.8]"
    )
    print(
        f"  (bare openpyxl appending the same values without the two number formats: {n / cpu['values']:,.0f} rows/s "
        f"CPU, ratio {cpu['values'] / cpu['ours']:.2f}; the formats cost what openpyxl charges for any styled cell)"
    )
    from bench import imports

    imports.main()
    print(f"CPU count: {os.cpu_count()}; load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
