"""The board pack: one click gives a PDF and an XLSX with the same figures as the screen."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from tests.dashboards.pdf_text import pdf_text
from trustlens.core.exports import safe_text
from trustlens.core.models import AuditEvent
from trustlens.dashboards import boardpack, services
from trustlens.dashboards.choices import MEASURES
from trustlens.dashboards.formatting import fmt

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


def _overview_sheet(dash, role: str):
    response = dash.client(role).get("/schools/board-pack/?format=xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))["outcomes"]


def test_xlsx_cells_equal_the_screen(dash):
    """Each measure's value column, formatted as the screen formats it, gives the screen's
    text (suppressed figures: the symbol)."""
    sheet = _overview_sheet(dash, "trustee")
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    measures = {i: _measure_of(name) for i, name in enumerate(header) if _measure_of(name)}
    screen = _screen_rows(dash, "trustee")
    found = 0
    for row in rows[1:]:
        if row[0] in screen:
            shown = [
                v if isinstance(v, str) else fmt(measures[i], v)
                for i, v in enumerate(row)
                if i in measures and v is not None
            ]
            assert shown == screen[row[0]], row[0]
            found += 1
    assert found == len(dash.academies)
    assert AuditEvent.objects.filter(user=dash.users["trustee"], action="export").exists()


def _measure_of(heading: str) -> str | None:
    """The measure code of a value column ("Attainment 8 (points)"), else None."""
    for code, spec in MEASURES.items():
        rest = heading[len(spec.label) :] if heading.startswith(spec.label) else ":"
        if rest == "" or (rest.startswith(" (") and ":" not in rest):
            return code
    return None


def test_xlsx_stores_numbers_as_numbers_one_measure_per_column(dash):
    """Issue 12 item 5: no "58%; 47.6" text; value, CI lower, CI upper and n are numeric cells
    with number formats, each measure in its own columns."""
    sheet = _overview_sheet(dash, "exec")
    header = [c.value for c in sheet[1]]
    rwm = "Reading, writing and maths: expected standard (%)"
    assert "Attainment 8 (points)" in header and rwm in header
    a8 = header.index("Attainment 8 (points)")
    assert header[a8 + 1 : a8 + 5] == [
        "Attainment 8: 95% CI lower",
        "Attainment 8: 95% CI upper",
        "Attainment 8: n (pupils)",
        "Attainment 8: period",
    ]
    assert "In-year balance: n (budget lines)" in header
    assert "Lessons covered by cover or temporary staff: n (lessons)" in header
    harbour = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Harbour Point Academy")
    value, low, high, n = harbour[a8 : a8 + 4]
    for cell in (value, low, high, n):
        assert cell.data_type == "n" and isinstance(cell.value, (int, float)), cell.coordinate
    assert value.number_format == "0.0" and n.number_format == "#,##0"
    assert low.value < value.value < high.value and n.value >= 6
    assert isinstance(harbour[1].value, int)  # the URN
    larkspur = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Larkspur Primary")
    percent = larkspur[header.index(rwm)]
    assert percent.data_type == "n" and percent.number_format == '0"%"'
    assert "Safeguarding concerns (count)" in header  # the unit is not said twice
    texts = {c.value for row in sheet.iter_rows(min_row=2) for c in row[5:] if c.data_type == "s"}
    periods = {t for t in texts if re.fullmatch(r"\d{4}/\d{2}( autumn| spring| summer)?", t)}
    assert texts - periods <= {"c", "x", "z"}, texts - periods  # no "58%; 47.6" packed text


def test_xlsx_neutralises_formula_like_text(dash):
    """An academy name a spreadsheet would run (=HYPERLINK...) is written as text."""
    from trustlens.organisations.models import Academy

    Academy.objects.unscoped().filter(urn=190002).update(name='=HYPERLINK("http://x","y")')
    sheet = _overview_sheet(dash, "exec")
    names = {r[0].value: r[0] for r in sheet.iter_rows(min_row=2)}
    cell = names['\'=HYPERLINK("http://x","y")']
    assert cell.data_type == "s"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Harbour", "Harbour"),
        (-4.2, -4.2),
    ],
)
def test_safe_text(text, safe):
    assert safe_text(text) == safe


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


def test_safe_frame_neutralises_text_columns_of_a_csv_export():
    """The CLI's ``--format csv`` writes through ``safe_frame``: text is neutralised, numbers
    (negative ones too) stay numbers."""
    import pandas as pd

    from trustlens.core.exports import safe_frame

    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Harbour"], "score": [-0.25, 0.1]})
    out = safe_frame(frame)
    assert list(out["name"]) == ["'=cmd|' /C calc'!A0", "Harbour"]
    assert list(out["score"]) == [-0.25, 0.1] and frame["name"][0].startswith("=")
    assert out.to_csv(index=False).splitlines()[1].startswith("'=cmd")
