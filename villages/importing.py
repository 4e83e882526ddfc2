"""Roster import: villages from the county's Excel roster, previewed, then saved all or nothing.

Real county sheets carry a merged title row above the header, full-width
digits, trailing spaces, codes stored as numbers (3.70781101201E+11), township
codes in their 9-digit form, empty rows and duplicates; each problem is
reported by row, column and a Chinese message, and nothing is saved while any
problem remains. Reading, previewing and confirming are `lianchun.importing`'s.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lianchun import importing
from lianchun.audit import save_audited
from lianchun.importing import CHOICE, CODE, DECIMAL, INT, YES_NO, Field, Spec
from lianchun.scoping import require

from .codes import township_code_of, validate_village_code
from .models import WEAK_MARK_FOLLOWS_PLAN, RosterUpload, Standing, Township, Village
from .services import note_standing_change

STANDING_WORDS = {"先进": Standing.ADVANCED, "一般": Standing.AVERAGE, "后进": Standing.LAGGING}
HEADER_SEARCH_ROWS = 10
FACT_FIELDS = ["name", "households", "population", "party_members", "collective_income", "is_weak"]
FIELDS = [
    Field(
        "township_code",
        gettext_lazy("Township code"),
        ("乡镇代码", "乡镇(街道)代码", "乡镇区划代码"),
        CODE,
    ),
    Field("township_name", gettext_lazy("Township name"), ("乡镇名称", "乡镇(街道)名称", "乡镇", "乡镇(街道)")),
    Field(
        "code",
        gettext_lazy("Village code"),
        ("村(社区)代码", "村代码", "行政村代码", "统计用区划代码", "区划代码"),
        CODE,
        required=True,
    ),
    Field(
        "name",
        gettext_lazy("Village name"),
        ("村(社区)名称", "村名称", "行政村名称", "村名", "名称"),
        required=True,
    ),
    Field("households", gettext_lazy("Households"), ("户数", "总户数"), INT),
    Field("population", gettext_lazy("Registered population"), ("户籍人口", "户籍人口数", "人口"), INT),
    Field("party_members", gettext_lazy("Party members"), ("党员数", "党员人数", "党员"), INT),
    Field(
        "collective_income",
        gettext_lazy("Collective income (yuan)"),
        ("村集体经济收入(元)", "村集体经济收入", "集体经济收入(元)", "集体收入"),
        DECIMAL,
    ),
    Field(
        "standing",
        gettext_lazy("Standing (advanced/average/lagging)"),
        ("类别(先进/一般/后进)", "类别", "村类别", "分类"),
        CHOICE,
        choices=STANDING_WORDS,
        choice_error=gettext_lazy("The standing must be 先进, 一般 or 后进, not “%(value)s”."),
    ),
    Field(
        "is_weak",
        gettext_lazy("Weak and lax (yes/no)"),
        ("软弱涣散(是/否)", "软弱涣散", "是否软弱涣散"),
        YES_NO,
    ),
]
TEMPLATE_HEADERS = [f.aliases[0] for f in FIELDS]
SPEC = Spec(
    FIELDS,
    missing_header=gettext_lazy(
        "No header row was found in the first %(rows)s rows. The sheet needs at least the columns “村(社区)代码” and “村(社区)名称”; download the template."
    ),
    header_search_rows=HEADER_SEARCH_ROWS,
)
Problem = importing.Problem


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
        fields = {f.name: f for f in Village._meta.fields}

        def shown(key: str, value: Any) -> Any:
            f = fields[key]
            if f.choices:
                return dict(f.flatchoices).get(value, value)
            if isinstance(value, bool):
                return _("Yes") if value else _("No")
            return value

        return [
            (str(fields[key].verbose_name), shown(key, old), shown(key, new))
            for key, (old, new) in self.changes.items()
        ]


@dataclass
class ImportPlan(importing.Plan):
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


def can_import_roster(user: Any) -> bool:
    return user.is_township_cadre or user.is_county_office


def _is_county(user: Any) -> bool:
    return user.is_county_office or user.is_org_department


class RosterImporter(importing.Importer):
    spec = SPEC
    upload_model = RosterUpload
    plan_class = ImportPlan
    empty_message = gettext_lazy("The sheet has a header but no village rows.")
    contents = pgettext_lazy("import file", "village roster")

    def can_import(self, user: Any) -> bool:
        return can_import_roster(user)

    def upload_fields(self, user: Any) -> dict[str, Any]:
        return {"county_id": user.county_id, "township_id": user.township_id}

    def check(self, sheet: importing.Sheet, user: Any, plan: importing.Plan) -> None:
        townships = {t.code: t for t in Township.objects.visible_to(user).select_related("county")}
        all_township_codes = set(Township.objects.values_list("code", flat=True))
        existing = {
            v.code: v for v in Village.objects.filter(township__county__in={t.county_id for t in townships.values()})
        }
        seen: dict[str, int] = {}
        for row in sheet.rows:
            given = row.values

            def problem(key: str, message: str, row: importing.Row = row) -> None:
                sheet.problem(row, key, message)

            code = given.get("code", "")
            try:
                validate_village_code(code)
            except ValidationError as error:
                problem("code", error.messages[0])
                continue
            if code in seen:
                problem(
                    "code", _("The code %(code)s already appears in row %(row)s.") % {"code": code, "row": seen[code]}
                )
                continue
            seen[code] = row.number

            township_code = code[:9] + "000"
            given_township = township_code_of(given.get("township_code"))
            if given_township and given_township != township_code:
                problem(
                    "township_code",
                    _("The township code %(given)s does not match the village code, whose township is %(expected)s.")
                    % {"given": given.get("township_code"), "expected": township_code},
                )
            township = townships.get(township_code)
            if township is None:
                if township_code in all_township_codes:
                    problem(
                        "code",
                        _("The village %(code)s belongs to another township, which you may not change.")
                        % {"code": code},
                    )
                else:
                    problem(
                        "township_code" if sheet.has("township_code") else "code",
                        _("The township %(code)s is unknown. Ask the county office to add it first.")
                        % {"code": township_code},
                    )
            elif given.get("township_name") and given["township_name"] != township.name:
                problem(
                    "township_name",
                    _("The township name “%(given)s” does not match %(code)s, which is “%(name)s”.")
                    % {"given": given["township_name"], "code": township_code, "name": township.name},
                )

            name = given.get("name", "")
            if not name:
                problem("name", _("The village name is empty."))
            elif len(name) > 50:
                problem("name", _("The village name is longer than 50 characters."))
            values: dict[str, Any] = {"name": name}
            for key in ("households", "population", "party_members", "collective_income", "standing", "is_weak"):
                if given.get(key) is not None:
                    values[key] = given[key]
            if values.get("households") and values.get("population") and values["households"] > values["population"]:
                problem(
                    "households",
                    _("Households (%(households)s) exceed the registered population (%(population)s).") % values,
                )
            if row.problems or township is None:
                continue

            village = existing.get(code)
            row_plan = RowPlan(row=row.number, code=code, township=township, values=values, existing=village)
            if village is not None:
                for key, value in values.items():
                    old = getattr(village, key)
                    if isinstance(old, Decimal) or key == "collective_income":
                        same = Decimal(old) == Decimal(value)
                    else:
                        same = old == value
                    if not same:
                        row_plan.changes[key] = (old, value)
                if "standing" in row_plan.changes and not _is_county(user):
                    problem("standing", _("Only the county may change a village's standing."))
                if "is_weak" in row_plan.changes and village.weak_mark_follows_a_plan():
                    problem("is_weak", str(WEAK_MARK_FOLLOWS_PLAN))
                if village.is_voided:
                    problem("code", _("The village %(code)s was voided and cannot be imported again.") % {"code": code})
            elif values.get("standing") in (Standing.LAGGING, Standing.ADVANCED) and not _is_county(user):
                problem("standing", _("Only the county may set a village's standing; leave it empty or write 一般."))
            if not row.problems:
                plan.rows.append(row_plan)

    def save(self, plan: importing.Plan, *, user: Any, file_name: str) -> None:
        """Save every row of the roster; a re-import changes nothing."""
        require(can_import_roster(user))
        reason = _("Roster import: %(file)s") % {"file": file_name}
        today = timezone.localdate()
        for row in plan.rows:
            if row.is_new:
                village = Village(township=row.township, code=row.code, **row.values)
                _clean(village, row)
                save_audited(village, by=user, reason=reason)
                if village.standing != Standing.AVERAGE:
                    note_standing_change(village, previous="", effective_date=today, reason=reason, by=user)
                continue
            if not row.changes:
                continue
            village = row.existing
            previous = village.standing
            for key in row.changes:
                setattr(village, key, row.values[key])
            if "standing" in row.changes:
                note_standing_change(village, previous=previous, effective_date=today, reason=reason, by=user)
            _clean(village, row)
            save_audited(village, by=user, reason=reason, update_fields=list(row.changes))


def _clean(village: Village, row: Any) -> None:
    """The model's own limits (a population its column cannot hold, …) refuse the row by its number, not the page."""
    try:
        village.full_clean()
    except ValidationError as error:
        raise importing.RowRefused(row.row, "；".join(error.messages)) from None


roster = RosterImporter()


def plan_import(content: bytes, *, user: Any) -> ImportPlan:
    """Read the roster and decide, row by row, what saving it would do; write nothing."""
    return roster.plan_import(content, user=user)


def apply_import(content: bytes, *, user: Any, file_name: str) -> ImportPlan:
    """Save every row of the roster in one transaction, or none; a re-import changes nothing."""
    require(can_import_roster(user))
    return roster.apply_import(content, user=user, file_name=file_name)
