"""The board pack: the overview's figures for a chosen date as a PDF (WeasyPrint) and XLSX.

Both are built from the same context as the screen (``services.overview_context``) with
suppression forced on: a board pack leaves the screen, so groups under the threshold show
``c`` whoever downloads it. The PDF reuses the page's SVG charts.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from trustlens.dashboards import pages, services
from trustlens.dashboards.choices import MEASURES


def pack_context(user: Any, as_of: dt.date | None) -> dict:
    context = services.overview_context(user, as_of=as_of, suppress=True)
    context["user"] = user
    context["charts"] = pages.overview_charts(context)
    context["date"] = as_of or dt.date.today()
    context["generated"] = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    context["threshold"] = settings.SUPPRESSION_THRESHOLD
    return context


def render_pdf(context: dict, request: Any = None) -> bytes:
    """The pack as PDF: HTML from ``dashboards/board_pack.html`` through WeasyPrint."""
    from weasyprint import CSS, HTML

    html = render_to_string("dashboards/board_pack.html", context, request=request)
    stylesheets = []
    css = finders.find("dashboards/board_pack.css")
    if css:
        stylesheets.append(CSS(filename=css))
    return HTML(string=html, base_url=str(settings.STATIC_ROOT)).write_pdf(stylesheets=stylesheets)


def sheet_rows(context: dict) -> list[list[Any]]:
    """The overview as rows: header, trust rows, then academies (values as on screen)."""
    header = ["Academy", "URN", "Phase", "Status", "Status reason"]
    columns = context["columns"]
    for _column, label in columns:
        header += [
            label,
            f"{label}: measure",
            f"{label}: n",
            f"{label}: 95% interval",
            f"{label}: period",
        ]
    rows = [header]
    for entry in context["trusts"]:
        rows.append(_row(entry["trust"].name, "", "trust", "", "", entry["cells"], columns))
    for row in context["rows"]:
        academy = row["academy"]
        rows.append(
            _row(
                academy.name,
                academy.urn,
                academy.get_phase_display(),
                row["status_tag"],
                row["status_reason"],
                row["cells"],
                columns,
            )
        )
    return rows


def _row(
    name: str, urn: Any, phase: str, status: str, reason: str, cells: dict, columns: list
) -> list[Any]:
    out = [name, urn, phase, status, reason]
    for column, _label in columns:
        items = cells.get(column, [])
        out += [
            "; ".join(c.text for c in items),
            "; ".join(MEASURES[c.measure].label for c in items),
            "; ".join(c.n_text for c in items),
            "; ".join(c.interval_text for c in items),
            "; ".join(c.period for c in items),
        ]
    return out


def render_xlsx(context: dict) -> bytes:
    """The pack as XLSX: an overview sheet (same text as the screen) and a notes sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Overview"
    for row in sheet_rows(context):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    notes = book.create_sheet("Notes")
    for line in _notes(context):
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes(context: dict) -> list[str]:
    return [
        f"Board pack for {context['date']:%d %B %Y}, generated {context['generated']}.",
        f"Figures for groups of fewer than {context['threshold']} pupils are suppressed: c (GSS symbol).",
        "x: not available; z: not applicable. Intervals are 95% confidence intervals; n is the number of pupils",
        "(places for admissions, lessons for cover, staff for staff absence).",
        "Progress 8 uses the DfE's national estimates; in-year value added is relative to the trust's own results.",
        "Status: the worst of the rated measures; the reason names each red or amber measure with its interval.",
    ]
