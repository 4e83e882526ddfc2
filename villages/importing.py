"""Roster import: villages from the county's Excel roster, previewed, then saved all or nothing.

Real county sheets carry a merged title row above the header, full-width
digits, trailing spaces, codes stored as numbers (3.70781101201E+11), empty
rows and duplicates; each problem is reported by row, column and a Chinese
message, and nothing is saved while any problem remains.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lianchun.audit import save_audited
from lianchun.scoping import require
from lianchun.spreadsheets import CellError, clean_text, header_key, parse_decimal, parse_int
from lianchun.uploads import check_xlsx_bytes

from .codes import normalize_code, validate_village_code
from .models import Standing, StandingChange, Township, Village


@dataclass(frozen=True)
class Column:
    key: str
    header: Any
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("township_code", gettext_lazy("Township code"), aliases=("乡镇代码", "乡镇(街道)代码", "乡镇区划代码")),
    Column(
        "township_name", gettext_lazy("Township name"), aliases=("乡镇名称", "乡镇(街道)名称", "乡镇", "乡镇(街道)")
    ),
    Column(
        "code",
        gettext_lazy("Village code"),
        required=True,
        aliases=("村代码", "村(社区)代码", "行政村代码", "统计用区划代码", "区划代码"),
    ),
    Column(
        "name",
        gettext_lazy("Village name"),
        required=True,
        aliases=("村名称", "村(社区)名称", "行政村名称", "村名", "名称"),
    ),
    Column("households", gettext_lazy("Households"), aliases=("户数", "总户数")),
    Column("population", gettext_lazy("Registered population"), aliases=("户籍人口", "户籍人口数", "人口")),
    Column("party_members", gettext_lazy("Party members"), aliases=("党员数", "党员人数", "党员")),
    Column(
        "collective_income",
        gettext_lazy("Collective income (yuan)"),
        aliases=("村集体经济收入(元)", "村集体经济收入", "集体经济收入(元)", "集体收入"),
    ),
    Column(
        "standing",
        gettext_lazy("Standing (advanced/average/lagging)"),
        aliases=("类别", "村类别", "分类", "类别(先进/一般/后进)"),
    ),
    Column("is_weak", gettext_lazy("Weak and lax (yes/no)"), aliases=("软弱涣散", "是否软弱涣散", "软弱涣散(是/否)")),
]
TEMPLATE_HEADERS = [
    "乡镇代码",
    "乡镇名称",
    "村(社区)代码",
    "村(社区)名称",
    "户数",
    "户籍人口",
    "党员数",
    "村集体经济收入(元)",
    "类别(先进/一般/后进)",
    "软弱涣散(是/否)",
]
STANDING_WORDS = {"先进": Standing.ADVANCED, "一般": Standing.AVERAGE, "后进": Standing.LAGGING}
YES_WORDS = {"是", "√", "✓", "y", "yes", "1", "true"}
NO_WORDS = {"否", "", "×", "n", "no", "0", "false"}
HEADER_SEARCH_ROWS = 10
FACT_FIELDS = ["name", "households", "population", "party_members", "collective_income", "is_weak"]


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class RowPlan:
    row: int
    code: str
    township: Township
    values: dict[str, Any]
    existing: Village | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def change_list(self) -> list[tuple[str, Any, Any]]:
        """(field label, old, new) for the preview page."""
        fields = {field.name: field for field in Village._meta.fields}

        def shown(key: str, value: Any) -> Any:
            field = fields[key]
            if field.choices:
                return dict(field.flatchoices).get(value, value)
            if isinstance(value, bool):
                return _("Yes") if value else _("No")
            return value

        return [
            (str(fields[key].verbose_name), shown(key, old), shown(key, new))
            for key, (old, new) in self.changes.items()
        ]


@dataclass
class ImportPlan:
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    sheet_problem: str = ""

    @property
    def is_valid(self) -> bool:
        return not self.problems and not self.sheet_problem

    @property
    def new_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.is_new]

    @property
    def changed_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.is_new and row.changes]

    @property
    def unchanged_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if not row.is_new and not row.changes]


def build_template() -> bytes:
    """The 模板.xlsx handed to townships: a title row, Chinese headers and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "村名册"
    sheet.append(["村(社区)名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_HEADERS))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(TEMPLATE_HEADERS)
    for index in range(1, len(TEMPLATE_HEADERS) + 1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(index)].width = 16 if index > 4 else 20
    example = ["370781101000", "示例镇", "370781101201", "示例村", 320, 1150, 42, 150000, "一般", "否"]
    sheet.append(example)
    for column in (1, 3):
        sheet.cell(row=3, column=column).number_format = "@"
    sheet.freeze_panes = "A3"
    sheet.cell(row=5, column=1, value="说明：代码为12位统计用区划代码；第3行为示例，请删除后填写。")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _locate_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    lookup = {}
    for column in COLUMNS:
        for alias in column.aliases:
            lookup[header_key(alias)] = column.key
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for position, value in enumerate(row):
            key = lookup.get(header_key(value))
            if key and key not in mapping:
                mapping[key] = position
        if "code" in mapping and "name" in mapping:
            return index, mapping
    return None


def _column_label(mapping: dict[str, int], key: str) -> str:
    position = mapping.get(key)
    header = next(column.header for column in COLUMNS if column.key == key)
    if position is None:
        return str(header)
    return f"{get_column_letter(position + 1)}（{header}）"


def plan_import(content: bytes, *, user: Any) -> ImportPlan:
    """Read the roster and decide, row by row, what saving it would do; write nothing."""
    plan = ImportPlan()
    try:
        check_xlsx_bytes(content)
    except ValidationError as error:
        plan.sheet_problem = error.messages[0]
        return plan
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
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
    rows = list(sheet.iter_rows(values_only=True, max_col=40))
    located = _locate_header(rows)
    if located is None:
        plan.sheet_problem = _(
            "No header row was found in the first %(rows)s rows. The sheet needs at least the columns “村(社区)代码” and “村(社区)名称”; download the template."
        ) % {"rows": HEADER_SEARCH_ROWS}
        return plan
    header_index, mapping = located

    townships = {t.code: t for t in Township.objects.visible_to(user).select_related("county")}
    all_township_codes = set(Township.objects.values_list("code", flat=True))
    existing = {
        v.code: v for v in Village.objects.filter(township__county__in={t.county_id for t in townships.values()})
    }
    seen: dict[str, int] = {}

    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):

        def cell(key: str, row: tuple = row) -> Any:
            position = mapping.get(key)
            if position is None or position >= len(row):
                return None
            return row[position]

        if all(clean_text(value) == "" for value in row):
            continue
        if clean_text(row[0]).startswith("说明"):
            continue
        row_problems: list[Problem] = []

        def problem(key: str, message: str, offset: int = offset, row_problems: list = row_problems) -> None:
            row_problems.append(Problem(offset, _column_label(mapping, key), message))

        code = normalize_code(cell("code"))
        try:
            validate_village_code(code)
        except ValidationError as error:
            problem("code", error.messages[0])
            plan.problems.extend(row_problems)
            continue
        if code in seen:
            problem("code", _("The code %(code)s already appears in row %(row)s.") % {"code": code, "row": seen[code]})
            plan.problems.extend(row_problems)
            continue
        seen[code] = offset

        township_code = code[:9] + "000"
        given_township = normalize_code(cell("township_code"))
        if given_township and given_township != township_code:
            problem(
                "township_code",
                _("The township code %(given)s does not match the village code, whose township is %(expected)s.")
                % {"given": given_township, "expected": township_code},
            )
        township = townships.get(township_code)
        if township is None:
            if township_code in all_township_codes:
                problem(
                    "code",
                    _("The village %(code)s belongs to another township, which you may not change.") % {"code": code},
                )
            else:
                problem(
                    "township_code" if "township_code" in mapping else "code",
                    _("The township %(code)s is unknown. Ask the county office to add it first.")
                    % {"code": township_code},
                )
        elif cell("township_name") not in (None, "") and clean_text(cell("township_name")) != township.name:
            problem(
                "township_name",
                _("The township name “%(given)s” does not match %(code)s, which is “%(name)s”.")
                % {"given": clean_text(cell("township_name")), "code": township_code, "name": township.name},
            )

        values: dict[str, Any] = {}
        name = clean_text(cell("name"))
        if not name:
            problem("name", _("The village name is empty."))
        elif len(name) > 50:
            problem("name", _("The village name is longer than 50 characters."))
        values["name"] = name

        for key in ("households", "population", "party_members"):
            try:
                number = parse_int(cell(key))
            except CellError:
                problem(key, _("“%(value)s” is not a whole number.") % {"value": clean_text(cell(key))})
                continue
            if number is not None and number < 0:
                problem(key, _("The number cannot be negative."))
                continue
            if number is not None:
                values[key] = number
        if values.get("households") and values.get("population") and values["households"] > values["population"]:
            problem(
                "households",
                _("Households (%(households)s) exceed the registered population (%(population)s).") % values,
            )

        try:
            income = parse_decimal(cell("collective_income"))
        except CellError:
            problem(
                "collective_income",
                _("“%(value)s” is not an amount in yuan.") % {"value": clean_text(cell("collective_income"))},
            )
        else:
            if income is not None and income < 0:
                problem("collective_income", _("The amount cannot be negative."))
            elif income is not None:
                values["collective_income"] = income

        standing_text = clean_text(cell("standing"))
        if standing_text:
            if standing_text not in STANDING_WORDS:
                problem(
                    "standing",
                    _("The standing must be 先进, 一般 or 后进, not “%(value)s”.") % {"value": standing_text},
                )
            else:
                values["standing"] = STANDING_WORDS[standing_text]
        weak_text = clean_text(cell("is_weak")).lower()
        if "is_weak" in mapping:
            if weak_text in YES_WORDS:
                values["is_weak"] = True
            elif weak_text in NO_WORDS:
                values["is_weak"] = False
            else:
                problem("is_weak", _("Write 是 or 否, not “%(value)s”.") % {"value": clean_text(cell("is_weak"))})

        if row_problems or township is None:
            plan.problems.extend(row_problems)
            continue

        village = existing.get(code)
        row_plan = RowPlan(row=offset, code=code, township=township, values=values, existing=village)
        if village is not None:
            for key, value in values.items():
                old = getattr(village, key)
                if isinstance(old, Decimal) or key == "collective_income":
                    same = Decimal(old) == Decimal(value)
                else:
                    same = old == value
                if not same:
                    row_plan.changes[key] = (old, value)
            if "standing" in row_plan.changes and not (user.is_county_office or user.is_org_department):
                problem("standing", _("Only the county may change a village's standing."))
            if village.is_voided:
                problem("code", _("The village %(code)s was voided and cannot be imported again.") % {"code": code})
        elif values.get("standing") == Standing.LAGGING or values.get("standing") == Standing.ADVANCED:
            if not (user.is_county_office or user.is_org_department):
                problem("standing", _("Only the county may set a village's standing; leave it empty or write 一般."))
        if row_problems:
            plan.problems.extend(row_problems)
            continue
        plan.rows.append(row_plan)

    if not plan.rows and not plan.problems:
        plan.sheet_problem = _("The sheet has a header but no village rows.")
    return plan


def can_import_roster(user: Any) -> bool:
    return user.is_township_cadre or user.is_county_office


def apply_import(content: bytes, *, user: Any, file_name: str) -> ImportPlan:
    """Save every row of the roster in one transaction, or none; a re-import changes nothing."""
    require(can_import_roster(user))
    reason = _("Roster import: %(file)s") % {"file": file_name}
    with transaction.atomic():
        plan = plan_import(content, user=user)
        if not plan.is_valid:
            return plan
        today = timezone.localdate()
        for row in plan.rows:
            if row.is_new:
                village = Village(township=row.township, code=row.code, **row.values)
                village.full_clean()
                save_audited(village, by=user, reason=reason)
                if village.standing != Standing.AVERAGE:
                    StandingChange(
                        village=village,
                        from_standing="",
                        to_standing=village.standing,
                        effective_date=today,
                        reason=reason,
                        recorded_by=user,
                    ).save()
                continue
            if not row.changes:
                continue
            village = row.existing
            if "standing" in row.changes:
                StandingChange(
                    village=village,
                    from_standing=village.standing,
                    to_standing=row.values["standing"],
                    effective_date=today,
                    reason=reason,
                    recorded_by=user,
                ).save()
            for key in row.changes:
                setattr(village, key, row.values[key])
            village.full_clean()
            save_audited(village, by=user, reason=reason, update_fields=list(row.changes))
    return plan
