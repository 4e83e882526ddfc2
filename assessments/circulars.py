"""The 通报 as a printed circular (GB/T 9704) and as a workbook sheet, and the scorecard sheet.

The PDF goes through the project's renderer (`exports.pdf.render_pdf`: vendored fonts, no fetching
from outside) and the workbooks through `exports.xlsx.WorkbookWriter`, so they print and open
like the county's other documents. The exporters in `assessments.exporters` call them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from exports.pdf import render_pdf
from exports.xlsx import DECIMAL, INT, NUMBER, PERCENT, TEXT, Column, WorkbookWriter
from lianchun import clock
from lianchun.text import chinese_date

from . import services
from .models import AssessmentPeriod, Circular, InspectionRound

DEFAULT_CHECKLIST = "\n".join(
    [
        "联席会议每月召开、记录完整|20",
        "党员一体化教育管理落实|20",
        "帮助解决群众热点难点问题|20",
        "互派干部挂职、结对帮扶开展|20",
        "台账资料规范、上报及时|20",
    ]
)


def initial_text(*, inspection: InspectionRound | None, period: AssessmentPeriod | None, county: Any) -> dict:
    """A first draft the county office edits: organ, title, recipients and an opening paragraph."""
    organ = _("%(county)s village cluster self-government office") % {"county": county.name}
    if inspection is not None:
        title = _("Circular on the results of the %(month)s inspection of joint organisations") % {
            "month": f"{inspection.month.year}年{inspection.month.month}月"
        }
        body = _(
            "In accordance with the monthly inspection system, the county office inspected the work of the joint "
            "organisations in %(month)s. The results and ranking are circulated below. Townships are to rectify "
            "the problems found within the deadlines set and report the results."
        ) % {"month": f"{inspection.month.year}年{inspection.month.month}月"}
    else:
        title = _("Circular on the results of the assessment %(scheme)s, %(period)s") % {
            "scheme": period.scheme.name,
            "period": period.label,
        }
        body = _(
            "The assessment of %(period)s has been completed and its scores frozen. The ranking is circulated "
            "below; every figure can be checked against the records in the ledger."
        ) % {"period": period.label}
    return {
        "issuing_organ": organ,
        "title": title,
        "main_recipients": _("Party committees and governments of all townships"),
        "copy_to": _("County party committee organisation department; county leaders in charge"),
        "body": body,
    }


def _rows(circular: Circular) -> list[dict]:
    return circular.ranking if circular.is_issued else services.ranking_rows(circular)


def circular_pdf(circular: Circular) -> bytes:
    rows = _rows(circular)
    issued_on = circular.issued_on or clock.today()
    return render_pdf(
        "assessments/circular_pdf.html",
        {
            "circular": circular,
            "rows": rows,
            "is_round": circular.inspection_round_id is not None,
            "paragraphs": [p.strip() for p in circular.body.splitlines() if p.strip()],
            "date": chinese_date(issued_on),
            "townships": list(circular.townships.order_by("code").values_list("name", flat=True)),
        },
    )


def circular_sheet(writer: WorkbookWriter, circular: Circular) -> None:
    rows = _rows(circular)
    if circular.inspection_round_id:
        columns = [
            Column(_("Rank"), INT, 6),
            Column(_("Joint organisation"), TEXT, 30),
            Column(_("Township"), TEXT, 12),
            Column(_("Score"), INT, 8),
            Column(_("Full marks"), INT, 8),
            Column(_("Findings"), INT, 8),
        ]
        data = ([r["rank"], r["name"], r["township"], r["score"], r["max"], r["findings"]] for r in rows)
    else:
        columns = [Column(_("Rank"), INT, 6), Column(_("Subject"), TEXT, 30), Column(_("Total points"), DECIMAL, 10)]
        data = ([r["rank"], r["name"], float(r["score"])] for r in rows)
    writer.add_sheet(
        name=_("Ranking"),
        title=f"{circular.number} {circular.title}",
        unit=circular.issuing_organ,
        as_of=circular.issued_on or clock.today(),
        columns=columns,
        rows=data,
        note=_("Main recipients: %(recipients)s") % {"recipients": circular.main_recipients},
    )


def indicator_value(cell: Any) -> Any:
    """A cell's value as the scorecard page shows it: a rate (unit %) as a fraction for a percent format."""
    if cell.value is None or cell.indicator.unit != "%":
        return cell.value
    return cell.value / 100


def scorecard_sheet(writer: WorkbookWriter, period: AssessmentPeriod, card: Any) -> None:
    """Per indicator its value, as the page shows it, and the points it earned: the total is their sum."""
    columns = [Column(_("Rank"), INT, 6), Column(_("Subject"), TEXT, 24)]
    for indicator in card.indicators:
        columns.append(
            Column(
                _("%(indicator)s: value") % {"indicator": indicator.label},
                PERCENT if indicator.unit == "%" else NUMBER,
                12,
            )
        )
        columns.append(
            Column(
                _("%(indicator)s: points (of %(weight)s)") % {"indicator": indicator.label, "weight": indicator.weight},
                DECIMAL,
                10,
            )
        )
    columns.append(Column(_("Total points"), DECIMAL, 10))

    def rows():
        for row in card.rows:
            values = [figure for cell in row.cells for figure in (indicator_value(cell), cell.points)]
            yield [row.rank, row.name, *values, row.total]

    state = _("frozen") if card.frozen else _("computed live")
    writer.add_sheet(
        name=_("Scorecard"),
        title=f"{period.scheme.name} · {period.label}",
        unit=period.scheme.county.name,
        as_of=clock.today(),
        columns=columns,
        rows=rows(),
        note=_(
            "Values are %(state)s; rates are truncated to one decimal place. The total points are the sum of "
            "each indicator's points."
        )
        % {"state": state},
    )
