"""The board pack: the overview's figures for a chosen date as a PDF (WeasyPrint) and XLSX.

Both are built from the same context as the screen (``services.overview_context``) with
suppression forced on: a board pack leaves the screen, so groups under the threshold show
``c`` whoever downloads it. The PDF reuses the page's SVG charts.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from trustlens.core.exports import safe_text
from trustlens.dashboards import pages, services
from trustlens.dashboards.board_sections import SECTION_KEYS, app_sections
from trustlens.dashboards.choices import MEASURES
from trustlens.dashboards.contexts import inclusion
from trustlens.dashboards.contexts.board import summary_of as board_summary
from trustlens.dashboards.formatting import N_UNITS, Cell, rounded
from trustlens.dashboards.reading import as_of_order


def pack_context(user: Any, as_of: dt.date | None) -> dict:
    context = services.overview_context(user, as_of=as_of, suppress=True)
    context["user"] = user
    context["charts"] = pages.overview_charts(context)
    context["date"] = as_of or dt.date.today()
    context["generated"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    context["threshold"] = settings.SUPPRESSION_THRESHOLD
    context["inclusion"] = inclusion_pages(user, context, as_of)
    context["board"] = board_summary(context)
    context["sections"] = app_sections(user, [t["trust"] for t in context["trusts"]], as_of)
    return context


def inclusion_pages(user: Any, context: dict, as_of: dt.date | None) -> list[dict]:
    """The inclusion page of each trust in the pack (suppressed like the rest of the pack)."""
    pages_out = []
    for entry in context["trusts"]:
        trust = entry["trust"]
        academies = [r["academy"] for r in context["rows"] if r["academy"].trust_id == trust.pk]
        unit = inclusion.Unit("trust", "trust", trust.name)
        pages_out.append(
            inclusion.inclusion_context(
                user, unit, trust, academies, context["audience"], as_of_order(as_of)
            )
        )
    return pages_out


def render_pdf(context: dict, request: Any = None) -> bytes:
    """The pack as PDF: HTML from ``dashboards/board_pack.html`` through WeasyPrint."""
    from weasyprint import CSS, HTML

    html = render_to_string("dashboards/board_pack.html", context, request=request)
    stylesheets = []
    css = finders.find("dashboards/board_pack.css")
    if css:
        stylesheets.append(CSS(filename=css))
    return HTML(string=html, base_url=str(settings.STATIC_ROOT)).write_pdf(stylesheets=stylesheets)


@dataclass(frozen=True)
class SheetColumn:
    """One column of the overview sheet: its heading and its Excel number format."""

    header: str
    number_format: str = "General"


#: Units as a heading names them (what one figure is measured in).
UNIT_WORDS = {"percent": "%", "pp": "percentage points", "gbp": "£", "per100": "per 100 pupils"}


def _value_format(measure: str) -> str:
    """Excel number format of a measure's figures, as the screen prints them."""
    spec = MEASURES[measure]
    digits = "0" + ("." + "0" * spec.decimals if spec.decimals else "")
    if spec.unit == "gbp":
        return '"£"#,##0;-"£"#,##0;"£"0'
    if spec.unit == "percent":
        return f'{digits}"%"'
    if spec.unit == "count":
        return "#,##0"
    if spec.progress or spec.unit == "pp" or spec.measure_is_gap:
        return f"+{digits};-{digits};{digits}"
    return digits


def sheet_measures(context: dict) -> list[str]:
    """Every measure in the overview, in column order (a column may hold several: A8 and
    E&M 4+, or a secondary and a primary headline)."""
    found: list[str] = []
    entries = [e["cells"] for e in context["trusts"]] + [r["cells"] for r in context["rows"]]
    for column, _label in context["columns"]:
        for cells in entries:
            found += [c.measure for c in cells.get(column, []) if c.measure not in found]
    return found


def sheet_columns(measures: list[str]) -> list[SheetColumn]:
    """Headings: the academy's columns, then per measure value, interval, n and period."""
    columns = [SheetColumn(h) for h in ("Academy", "URN", "Phase", "Status", "Status reason")]
    columns[1] = SheetColumn("URN", "0")
    for measure in measures:
        spec, figure = MEASURES[measure], _value_format(measure)
        unit = UNIT_WORDS.get(spec.unit, spec.unit)
        counts = N_UNITS.get(measure, ("pupil", "pupils"))[1]
        columns += [
            SheetColumn(
                spec.label if f"({unit})" in spec.label else f"{spec.label} ({unit})", figure
            ),
            SheetColumn(f"{spec.label}: 95% CI lower", figure),
            SheetColumn(f"{spec.label}: 95% CI upper", figure),
            SheetColumn(f"{spec.label}: n ({counts})", "#,##0"),
            SheetColumn(f"{spec.label}: period"),
        ]
    return columns


def sheet_rows(context: dict, measures: list[str] | None = None) -> list[list[Any]]:
    """The overview as rows of values: header, trust rows, then academies. One measure per
    column group, numbers as numbers (rounded as on screen); a withheld figure is its GSS
    symbol (``c``, ``x``, ``z``) in the value column with the other columns empty."""
    measures = sheet_measures(context) if measures is None else measures
    rows: list[list[Any]] = [[c.header for c in sheet_columns(measures)]]
    for entry in context["trusts"]:
        rows.append([entry["trust"].name, None, "trust", None, None] + _figures(entry, measures))
    for row in context["rows"]:
        academy = row["academy"]
        rows.append(
            [
                academy.name,
                academy.urn,
                academy.get_phase_display(),
                row["status_tag"],
                row["status_reason"],
            ]
            + _figures(row, measures)
        )
    return [[safe_text(v) for v in row] for row in rows]


def _figures(entry: dict, measures: list[str]) -> list[Any]:
    by_measure = {c.measure: c for cells in entry["cells"].values() for c in cells}
    out: list[Any] = []
    for measure in measures:
        out += _cell_values(by_measure.get(measure))
    return out


def _cell_values(cell: Cell | None) -> list[Any]:
    """Value, CI lower, CI upper, n, period of one cell (numbers, or None when missing)."""
    if cell is None:
        return [None] * 5
    if cell.symbol:
        return [cell.symbol, None, None, None, cell.period or None]

    def number(value: float | None) -> float | None:
        return None if value is None else rounded(cell.measure, value)

    pupils = None if cell.pupils is None else int(round(cell.pupils))
    return [
        number(cell.score),
        number(cell.ci_low),
        number(cell.ci_high),
        pupils,
        cell.period or None,
    ]


def render_xlsx(context: dict) -> bytes:
    """The pack as XLSX: an overview sheet a trust can analyse (one measure per column group,
    numbers stored as numbers with number formats) and a notes sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = SECTION_KEYS[0]
    measures = sheet_measures(context)
    columns = sheet_columns(measures)
    for row in sheet_rows(context, measures):
        sheet.append(row)
    for index, column in enumerate(columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, (int, float)):
                cell.number_format = column.number_format
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    _inclusion_sheet(book, context)
    for section in context.get("sections", []):
        _section_sheet(book, section)
    notes = book.create_sheet("Notes")
    for line in _notes(context):
        notes.append([safe_text(line)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def inclusion_rows(context: dict) -> list[list[Any]]:
    """The inclusion sheet: header, then per trust its row, its academies and its pupil groups
    and timing (trust level); one measure per column group, numbers as numbers."""
    header = ["Unit", "URN", "Group", "Status"]
    header += [c.header for c in sheet_columns(list(inclusion.HEADLINE))[5:]]
    rows: list[list[Any]] = [header]
    for page in context.get("inclusion", []):
        name = page["trust"].name
        rows.append([name, None, "all", None] + _inclusion_figures(page["headline"]))
        for row in page["rows"]:
            academy = row["academy"]
            tag = row["tags"][0] if row["cells"][0].rag != "grey" else None
            rows.append([academy.name, academy.urn, "all", tag] + _cells_figures(row["cells"]))
        for row in page["groups"] + page["timing"]:
            rows.append([name, None, row["label"], None] + _cells_figures([row["cell"]]))
    return [[safe_text(v) for v in row] for row in rows]


def _inclusion_figures(headline: list[dict]) -> list[Any]:
    return _cells_figures([r["cell"] for r in headline])


def _cells_figures(cells: list[Cell]) -> list[Any]:
    """Figures of ``cells`` in the order of ``inclusion.HEADLINE`` (missing ones empty)."""
    by_measure = {c.measure: c for c in cells}
    out: list[Any] = []
    for measure in inclusion.HEADLINE:
        out += _cell_values(by_measure.get(measure))
    return out


def _inclusion_sheet(book: Any, context: dict) -> None:
    sheet = book.create_sheet(SECTION_KEYS[1])
    columns = [SheetColumn("Unit"), SheetColumn("URN", "0"), SheetColumn("Group")]
    columns += [SheetColumn("Status")] + sheet_columns(list(inclusion.HEADLINE))[5:]
    for row in inclusion_rows(context):
        sheet.append(row)
    for index, column in enumerate(columns, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, (int, float)):
                cell.number_format = column.number_format
    sheet.freeze_panes = "B2"


def section_rows(section: dict) -> list[list[Any]]:
    """One app section as rows: a trust column, the section's headings, its rows (numbers as
    numbers), each table's notes after a blank row."""
    rows: list[list[Any]] = []
    for table in section["tables"]:
        if not rows:
            rows.append(["Trust", *table["columns"]])
        rows += [[table["trust"].name, *row] for row in table["rows"]]
    if not any(t["rows"] for t in section["tables"]):
        rows.append([None, "Nothing recorded yet."])
    notes = [n for t in section["tables"] for n in t.get("notes", [])]
    if notes:
        rows += [[]] + [[n] for n in dict.fromkeys(notes)]
    return [[safe_text(v) for v in row] for row in rows]


def _section_sheet(book: Any, section: dict) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(section["key"])
    for row in section_rows(section):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"


def _notes(context: dict) -> list[str]:
    return [
        f"Board pack for {context['date']:%d %B %Y}, generated {context['generated']}.",
        f"Figures for groups of fewer than {context['threshold']} pupils are suppressed: c (GSS symbol).",
        "x: not available; z: not applicable. Intervals are 95% confidence intervals (lower and upper in their own columns).",
        "n is in its own column, whose heading says what it counts: pupils; places for admissions, lessons for cover,",
        "staff for staff absence, budget lines for the in-year balance, referrals for safeguarding.",
        "Figures are numbers rounded as on screen; percentages are stored as 0-100 (58 means 58%).",
        "Progress 8 uses the DfE's national estimates; in-year value added is relative to the trust's own results.",
        "Status: the worst of the rated measures; the reason names each red or amber measure with its interval.",
        "Sheets: outcomes, inclusion, quality, stages, support, impact (one per section of the pack), then these notes.",
        "England's figures (where loaded with import-dfe) are in the outcomes status reasons; each rating names its rule.",
        "inclusion sheet: unexplained exits (no onward school recorded) and moves off roll between the Year 10 and",
        "Year 11 January censuses, per cent of pupils on roll; the status is the funnel position around the trust's rate.",
    ]
