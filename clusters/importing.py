"""Import of consent tallies (征求意见表 counts) from the template the product hands out.

Townships count forms in Excel; each row is one batch for one member village:
date, returned, agree, disagree, invalid. Reading, the preview of every problem
by row and column, and the confirmation that imports once are
`lianchun.importing`'s; this module says what a row means: every batch is
recorded through `clusters.services.record_consent_batch`, all in one
transaction, or none.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lianchun import clock, importing
from lianchun.importing import CODE, DATE, INT, Field, Spec
from lianchun.spreadsheets import text_cell

from . import consent, selectors, services
from .models import CONSENT_STATUSES, ConsentSurvey, ConsentUpload

COUNT_KEYS = ["returned", "agree", "disagree", "invalid"]
FIELDS = [
    Field("township", "乡镇", ("乡镇",)),
    Field("cluster", "联村", ("联村",)),
    Field("code", "村(社区)代码", ("村(社区)代码", "村代码"), CODE, required=True),
    Field("name", "村(社区)名称", ("村(社区)名称",)),
    Field("date", "日期", ("日期", "统计日期"), DATE),
    Field("returned", "收回份数", ("收回份数", "收回"), INT, required=True),
    Field("agree", "同意", ("同意",), INT, required=True),
    Field("disagree", "不同意", ("不同意",), INT, required=True),
    Field("invalid", "无效", ("无效",), INT, required=True),
    Field("note", "备注", ("备注",)),
]
HEADERS = [f.aliases[0] for f in FIELDS]
SPEC = Spec(
    FIELDS,
    missing_header=gettext_lazy(
        "No header row was found. The sheet needs the columns of the template: download it again."
    ),
    max_columns=20,
    skip_prefixes=(),
    skip_when_blank=tuple(COUNT_KEYS),  # a village with nothing counted yet
)


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


Problem = importing.Problem


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

    @property
    def counts(self) -> dict[str, int]:
        """The forms the row counts, by their column key: what the batch service records."""
        return {key: getattr(self, key) for key in COUNT_KEYS}


@dataclass
class ImportPlan(importing.Plan):
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


class ConsentImporter(importing.Importer):
    spec = SPEC
    contents = pgettext_lazy("import file", "consent tally sheet")
    upload_model = ConsentUpload
    plan_class = ImportPlan
    empty_message = gettext_lazy(
        "The sheet has no counted rows: fill in returned, agree, disagree and invalid for at least one village."
    )

    def can_import(self, user: Any) -> bool:
        return can_import(user)

    def upload_fields(self, user: Any) -> dict[str, Any]:
        return {"township_id": user.township_id}

    def check(self, sheet: importing.Sheet, user: Any, plan: importing.Plan) -> None:
        surveys = {s.village.code: s for s in open_surveys(user)}
        running = {s.pk: s.tally(list(s.batches.filter(voided_at__isnull=True))) for s in surveys.values()}
        today = clock.today()
        began: dict[int, Any] = {}
        for row in sheet.rows:
            given = row.values
            code = given.get("code", "")
            survey = surveys.get(code)
            if survey is None:
                sheet.problem(
                    row,
                    "code",
                    _("%(code)s is not a member village of one of your clusters in consultation.")
                    % {"code": code or "—"},
                )
            batch_date = given.get("date") or today
            if survey is not None:
                # Within the consultation, as the batch service will check on confirm.
                if survey.cluster_id not in began:
                    began[survey.cluster_id] = selectors.consultation_began(survey.cluster)
                try:
                    services.check_batch_date(survey.cluster, batch_date, began=began[survey.cluster_id])
                except ValidationError as error:
                    sheet.problem(row, "date", error.messages[0])
            elif batch_date > today:
                sheet.problem(row, "date", _("The date cannot be in the future."))
            if survey is None or row.problems:
                continue
            counts = {key: given.get(key) or 0 for key in COUNT_KEYS}
            tally = running[survey.pk]
            try:
                consent.validate_batch(**counts, already_returned=tally.returned, handed_out=tally.handed_out)
            except ValidationError as error:
                sheet.problem(row, "returned", error.messages[0])
                continue
            running[survey.pk] = tally.plus(**counts)
            plan.rows.append(
                BatchRow(
                    row=row.number, survey=survey, batch_date=batch_date, note=given.get("note", "")[:200], **counts
                )
            )
        plan.totals = running

    def save(self, plan: importing.Plan, *, user: Any, file_name: str) -> None:
        note_default = _("Imported from %(file)s") % {"file": file_name}
        for row in plan.rows:
            try:
                services.record_consent_batch(
                    survey=row.survey, batch_date=row.batch_date, by=user, note=row.note or note_default, **row.counts
                )
            except ValidationError as error:
                raise importing.RowRefused(row.row, error.messages[0]) from None


tallies = ConsentImporter()


def plan_import(content: bytes, *, user: Any) -> ImportPlan:
    """Read the workbook and check every row; write nothing."""
    return tallies.plan_import(content, user=user)


def apply_import(content: bytes, *, user: Any, file_name: str) -> ImportPlan:
    """Record every batch of the file, or none."""
    return tallies.apply_import(content, user=user, file_name=file_name)
