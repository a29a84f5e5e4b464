"""The board pack: one click gives a PDF and an XLSX with the same figures as the screen."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from tests.dashboards.pdf_text import pdf_text
from trustlens.core.models import AuditEvent
from trustlens.dashboards import boardpack, services

pytestmark = pytest.mark.django_db


def _screen_rows(dash, role: str) -> dict[str, list[str]]:
    """Academy name -> every figure text as the overview shows it (suppressed for trustees)."""
    context = services.overview_context(dash.users[role])
    return {
        row["academy"].name: [
            c.text for _k, label in context["columns"] for c in row["cells"].get(_k, [])
        ]
        for row in context["rows"]
    }


def test_form_page(dash):
    body = dash.client("trustee").get("/schools/board-pack/").content.decode()
    assert "Download PDF" in body and 'type="date"' in body


def test_xlsx_cells_equal_the_screen(dash):
    response = dash.client("trustee").get("/schools/board-pack/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Overview"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    value_columns = [i for i, name in enumerate(header) if i >= 5 and ":" not in name]
    screen = _screen_rows(dash, "trustee")
    found = 0
    for row in rows[1:]:
        if row[0] in screen:
            cells = [part for i in value_columns for part in (row[i] or "").split("; ") if part]
            assert cells == screen[row[0]], row[0]
            found += 1
    assert found == len(dash.academies)
    assert AuditEvent.objects.filter(user=dash.users["trustee"], action="export").exists()


def test_pdf_has_the_headline_figure_of_the_screen(dash):
    response = dash.client("exec").get("/schools/board-pack/?format=pdf&date=")
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    text = " ".join(pdf_text(response.content).split())  # cells wrap over several lines
    row = next(
        r
        for r in services.overview_context(dash.users["exec"], suppress=True)["rows"]
        if r["academy"].urn == 190002
    )
    assert "Millbrook Academy" in text
    for column in ("progress", "va"):  # its P8 and in-year value added, as on screen
        cell = row["cells"][column][0]
        assert f"{cell.text} ({cell.interval_text}) n={cell.n_text}" in text, column
    assert dash.surname not in text


def test_board_pack_for_a_date_uses_figures_published_by_then(dash):
    early = boardpack.pack_context(dash.users["exec"], dt.date(2023, 3, 1))
    cells = {row["academy"].urn: row["cells"] for row in early["rows"]}
    p8 = cells[190002]["progress"][0]
    assert p8.period == "" or p8.period < "2022/23"  # no P8 published before the 2022/23 results
    va = cells[190002]["va"][0]
    assert va.period == "2022/23 spring"


def test_bad_date_shows_an_error(dash):
    body = dash.client("exec").get("/schools/board-pack/?date=31/03/2025").content.decode()
    assert "There is a problem" in body and re.search(r"real date", body)
