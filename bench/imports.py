"""Import figures for `make bench`: a 20,000-row roster preview, and a 100,000-row roster refused.

Memory is the process's peak resident memory (VmHWM) above what it held when the step began, reset before each
step through /proc/self/clear_refs, so it counts what openpyxl and lxml allocate in C as well as Python objects.
Goals (issue 12): preview ≤ 3 s and ≤ 100 MB; the oversized upload refused in < 5 s with < 100 MB. Each step runs
three times; wall time is the best run, CPU time (this process's own, not inflated by other busy processes) the median.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

TEMPLATE_TITLE = "清河县村(社区)名册"
REPEAT = 3


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def measured(step):
    """(wall seconds, CPU seconds, peak memory growth in bytes, result) of one call."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    except OSError:
        pass
    before = _status("VmRSS")
    started, started_cpu = time.perf_counter(), time.process_time()
    result = step()
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return wall, cpu, max(_status("VmHWM") - before, 0), result


def best(runs: list[tuple[float, float, int, object]]) -> tuple[float, float, int]:
    """Of several `measured` runs: the fastest wall time, the median CPU time and the largest memory growth."""
    return min(r[0] for r in runs), statistics.median(r[1] for r in runs), max(r[2] for r in runs)


def roster_file(codes: list[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook

    from villages.importing import TEMPLATE_HEADERS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("村名册")
    sheet.append([TEMPLATE_TITLE])
    sheet.append(TEMPLATE_HEADERS)
    for index, (township_code, code) in enumerate(codes):
        sheet.append([township_code, None, code, f"基准{index}村", 300 + index % 50, 1200, 40, 150000, "一般", "否"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def new_codes(county, count: int) -> list[tuple[str, str]]:
    """`count` unused village codes spread over the county's townships."""
    from villages.models import Township, Village

    used = set(Village.objects.values_list("code", flat=True))
    codes = []
    for township in Township.objects.filter(county=county).order_by("code"):
        for number in range(1, 1000):
            code = f"{township.code[:9]}{number:03d}"
            if code not in used:
                codes.append((township.code, code))
                if len(codes) == count:
                    return codes
    return codes


def ensure_townships(office, needed: int) -> None:
    """Enough townships for `needed` new villages (each township code has room for 999)."""
    from villages import services
    from villages.models import Township

    county = office.county
    number = 900
    while len(new_codes(county, needed)) < needed:
        code = f"{county.code[:6]}{number:03d}000"
        if not Township.objects.filter(code=code).exists():
            services.create_township(county=county, code=code, name=f"基准{number}镇", by=office)
        number -= 1


def main() -> None:
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from accounts.models import User
    from villages.importing import roster

    office = User.objects.get(username="office")
    rows = settings.XLSX_MAX_ROWS - 2  # the title and header rows count too
    ensure_townships(office, rows)
    content = roster_file(new_codes(office.county, rows))
    upload_file = SimpleUploadedFile("名册.xlsx", content)

    def upload_and_preview():
        with transaction.atomic():
            upload_file.seek(0)
            stored = measured(lambda: roster.store_upload(upload_file, user=office))
            shown = measured(lambda: roster.preview(stored[3], user=office))
            transaction.set_rollback(True)
        return stored, shown

    # Repeated, as the machine may be shared: the best wall time, the median CPU time, the largest memory growth.
    runs = [upload_and_preview() for _ in range(REPEAT)]
    seconds, cpu, growth = best([stored for stored, _ in runs])
    preview_seconds, preview_cpu, preview_growth = best([shown for _, shown in runs])
    total_seconds, total_cpu, _ = best([(a[0] + b[0], a[1] + b[1], 0, None) for a, b in runs])
    plan = runs[-1][1][3]
    print(
        f"Roster upload, {rows:,} rows ({len(content) / 1048576:.1f} MB), {REPEAT} runs: read, checked and stored in "
        f"{seconds:.2f} s wall ({cpu:.2f} s CPU), peak memory +{growth / 1048576:.0f} MB; preview page data in "
        f"{preview_seconds:.2f} s wall ({preview_cpu:.2f} s CPU), +{preview_growth / 1048576:.0f} MB "
        f"({len(plan.new_rows):,} new, {len(plan.problems)} problems); upload to preview {total_seconds:.2f} s wall "
        f"({total_cpu:.2f} s CPU)  [goal ≤ 3 s, ≤ 100 MB]"
    )

    big_rows = 100_000
    codes = new_codes(office.county, rows)
    big = roster_file([codes[i % len(codes)] for i in range(big_rows)])
    big_file = SimpleUploadedFile("大名册.xlsx", big)

    def refuse():
        big_file.seek(0)
        try:
            roster.store_upload(big_file, user=office)
        except ValidationError as error:
            return error.messages[0]
        return "accepted"

    refusals = [measured(refuse) for _ in range(REPEAT)]
    seconds, cpu, growth = best(refusals)
    message = refusals[-1][3]
    print(
        f"Roster upload, {big_rows:,} rows ({len(big) / 1048576:.1f} MB), {REPEAT} runs: refused in {seconds:.2f} s wall "
        f"({cpu:.2f} s CPU), peak memory +{growth / 1048576:.0f} MB — “{message}”  [goal < 5 s, < 100 MB]"
    )
