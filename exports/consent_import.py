"""Import of consent tallies (征求意见表 counts) from the template the product hands out.

Townships count forms in Excel; each row is one batch for one member village:
date, returned, agree, disagree, invalid. The preview lists every problem by
row and column; confirming records every batch through
`clusters.services.record_consent_batch`, all in one transaction, or none.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from clusters import consent, services
from clusters.models import CONSENT_STATUSES, ConsentSurvey
from clusters.selectors import consultation_began
from lianchun import clock
from lianchun.spreadsheets import CellError, clean_text, header_key, parse_date, parse_int, text_cell
from lianchun.uploads import check_xlsx_bytes
from villages.codes import normalize_code

HEADERS = ["乡镇", "联村", "村(社区)代码", "村(社区)名称", "日期", "收回份数", "同意", "不同意", "无效", "备注"]
KEYS = ["township", "cluster", "code", "name", "date", "returned", "agree", "disagree", "invalid", "note"]
ALIASES = {header_key(h): k for h, k in zip(HEADERS, KEYS, strict=True)}
ALIASES.update({header_key("村代码"): "code", header_key("收回"): "returned", header_key("统计日期"): "date"})
COUNT_KEYS = ["returned", "agree", "disagree", "invalid"]
HEADER_SEARCH_ROWS = 10


def can_import(user: Any) -> bool:
    return bool(getattr(user, "is_township_cadre", False))


def open_surveys(user: Any):
    """The consent surveys a cadre may add batches to: its township's clusters in consultation."""
    return (
        ConsentSurvey.objects.visible_to(user)
        .filter(is_active=True, cluster__status__in=CONSENT_STATUSES, cluster__township_id=user.township_id)
        .select_related("village", "cluster__township")
        .order_by("cluster__name", "village__code")
    )


def build_template(user: Any) -> bytes:
    """The 征求意见表统计模板: one row per member village in consultation, counts left blank."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("征求意见统计")
    widths = [12, 16, 15, 14, 12, 10, 8, 8, 8, 20]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.merged_cells.add(f"A1:{get_column_letter(len(HEADERS))}1")
    sheet.freeze_panes = "A3"
    title = text_cell(sheet, "联村征求意见表统计（每行一批）")
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center")
    sheet.append([title])
    header = []
    for text in HEADERS:
        cell = text_cell(sheet, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        header.append(cell)
    sheet.append(header)
    for survey in open_surveys(user):
        code = text_cell(sheet, survey.village.code)
        code.number_format = "@"
        sheet.append(
            [
                text_cell(sheet, survey.cluster.township.name),
                text_cell(sheet, survey.cluster.name),
                code,
                text_cell(sheet, survey.village.name),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class BatchRow:
    row: int
    survey: ConsentSurvey
    batch_date: datetime.date
    returned: int
    agree: int
    disagree: int
    invalid: int
    note: str = ""


@dataclass
class ImportPlan:
    problems: list[Problem] = field(default_factory=list)
    rows: list[BatchRow] = field(default_factory=list)
    sheet_problem: str = ""
    totals: dict[int, consent.Tally] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.problems and not self.sheet_problem and bool(self.rows)

    def villages(self) -> list[tuple[ConsentSurvey, consent.Tally]]:
        """Each village with its tally once the file is saved, for the preview."""
        seen = {}
        for row in self.rows:
            seen[row.survey.pk] = row.survey
        return [(survey, self.totals[pk]) for pk, survey in seen.items()]


def _locate_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for position, value in enumerate(row):
            key = ALIASES.get(header_key(value))
            if key and key not in mapping:
                mapping[key] = position
        if {"code", "returned", "agree", "disagree", "invalid"} <= set(mapping):
            return index, mapping
    return None


def _label(mapping: dict[str, int], key: str) -> str:
    position = mapping.get(key, 0)
    return f"{get_column_letter(position + 1)}（{HEADERS[KEYS.index(key)]}）"


def plan_import(content: bytes, *, user: Any) -> ImportPlan:
    """Read the workbook and check every row; write nothing."""
    plan = ImportPlan()
    try:
        check_xlsx_bytes(content)
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except ValidationError as error:
        plan.sheet_problem = error.messages[0]
        return plan
    except Exception:  # openpyxl raises many kinds for a damaged file
        plan.sheet_problem = _("The workbook cannot be read. Open it in Excel or WPS, save it as .xlsx and try again.")
        return plan
    sheet = workbook.worksheets[0]
    if sheet.max_row > settings.XLSX_MAX_ROWS:
        plan.sheet_problem = _("The sheet has %(rows)s rows; at most %(limit)s can be imported at once.") % {
            "rows": sheet.max_row,
            "limit": settings.XLSX_MAX_ROWS,
        }
        return plan
    rows = list(sheet.iter_rows(values_only=True, max_col=20))
    located = _locate_header(rows)
    if located is None:
        plan.sheet_problem = _(
            "No header row was found. The sheet needs the columns of the template: download it again."
        )
        return plan
    header_index, mapping = located
    surveys = {s.village.code: s for s in open_surveys(user)}
    running = {s.pk: s.tally(list(s.batches.filter(voided_at__isnull=True))) for s in surveys.values()}
    today = clock.today()
    began: dict[int, Any] = {}

    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):

        def cell(key: str, row: tuple = row) -> Any:
            position = mapping.get(key)
            return row[position] if position is not None and position < len(row) else None

        counts_given = [cell(k) for k in COUNT_KEYS]
        if all(clean_text(v) == "" for v in counts_given):
            continue  # a village with nothing counted yet
        problems: list[Problem] = []

        def problem(key: str, message: str, number: int = number, problems: list = problems) -> None:
            problems.append(Problem(number, _label(mapping, key), message))

        code = normalize_code(cell("code"))
        survey = surveys.get(code)
        if survey is None:
            problem(
                "code",
                _("%(code)s is not a member village of one of your clusters in consultation.") % {"code": code or "—"},
            )
        counts: dict[str, int] = {}
        for key in COUNT_KEYS:
            try:
                value = parse_int(cell(key))
            except CellError:
                problem(key, _("“%(value)s” is not a whole number.") % {"value": clean_text(cell(key))})
                continue
            if value is None:
                value = 0
            if value < 0:
                problem(key, _("The number cannot be negative."))
                continue
            counts[key] = value
        try:
            batch_date = parse_date(cell("date")) if "date" in mapping else None
        except CellError:
            batch_date = None
            problem(
                "date",
                _("“%(value)s” is not a date; write it as 2026-03-05 or 2026年3月5日.")
                % {"value": clean_text(cell("date"))},
            )
        else:
            if batch_date is None:
                batch_date = today
            elif survey is not None:
                # Within the consultation, as the batch service will check on confirm.
                if survey.cluster_id not in began:
                    began[survey.cluster_id] = consultation_began(survey.cluster)
                try:
                    services.check_batch_date(survey.cluster, batch_date, began=began[survey.cluster_id])
                except ValidationError as error:
                    problem("date", error.messages[0])
            elif batch_date > today:
                problem("date", _("The date cannot be in the future."))
        if survey is not None and len(counts) == len(COUNT_KEYS) and not problems:
            tally = running[survey.pk]
            try:
                consent.validate_batch(**counts, already_returned=tally.returned, handed_out=tally.handed_out)
            except ValidationError as error:
                problem("returned", error.messages[0])
            else:
                running[survey.pk] = tally.plus(
                    counts["returned"], counts["agree"], counts["disagree"], counts["invalid"]
                )
        if problems:
            plan.problems.extend(problems)
            continue
        plan.rows.append(
            BatchRow(row=number, survey=survey, batch_date=batch_date, note=clean_text(cell("note"))[:200], **counts)
        )
    plan.totals = running
    if not plan.rows and not plan.problems:
        plan.sheet_problem = _(
            "The sheet has no counted rows: fill in returned, agree, disagree and invalid for at least one village."
        )
    return plan


def apply_import(content: bytes, *, user: Any, file_name: str) -> ImportPlan:
    """Record every batch of the file, or none."""
    with transaction.atomic():
        plan = plan_import(content, user=user)
        if not plan.is_valid:
            return plan
        note_default = _("Imported from %(file)s") % {"file": file_name}
        try:
            for row in plan.rows:
                services.record_consent_batch(
                    survey=row.survey,
                    returned=row.returned,
                    agree=row.agree,
                    disagree=row.disagree,
                    invalid=row.invalid,
                    batch_date=row.batch_date,
                    by=user,
                    note=row.note or note_default,
                )
        except ValidationError as error:
            transaction.set_rollback(True)
            plan.problems.append(Problem(row.row, "", error.messages[0]))
    return plan
