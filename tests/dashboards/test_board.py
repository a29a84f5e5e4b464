"""The board summary page and the fuller board pack (sections, sheets, CLI)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.dashboards.conftest import SLUG
from trustlens.dashboards.board_sections import SECTION_KEYS
from trustlens.dashboards.reading import summaries_for

pytestmark = pytest.mark.django_db


def test_trustee_reads_the_board_summary_aggregates_only(dash):
    response = dash.client("trustee").get(reverse("dashboards:board"))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in ("What changed", "Outliers", "Risks", "Aggregates only"):
        assert heading in html
    assert dash.surname not in html


def test_changes_are_beyond_their_uncertainty_with_n_and_interval(dash):
    from trustlens.dashboards.contexts.board import board_context

    context = board_context(dash.users["exec"])
    assert context["academy_count"] == len(dash.academies)
    for change in context["changes"]:
        assert abs(change["z"]) > 1.96
        low, high = change["interval"].split(" to ")
        assert change["n"] and low and high  # each change carries n and its interval
    for outlier in context["outliers"]:
        assert outlier["cell"].rag == "red" and outlier["cell"].n_text


def test_xlsx_has_one_sheet_per_section_named_exactly(dash):
    response = dash.client("exec").get(reverse("dashboards:board_pack"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[: len(SECTION_KEYS)] == list(SECTION_KEYS)
    outcomes = book["outcomes"]
    numbers = [c.value for row in outcomes.iter_rows(min_row=2) for c in row[5:]]
    assert any(isinstance(v, (int, float)) for v in numbers)
    assert not any(isinstance(v, str) and v.replace(".", "").lstrip("-").isdigit() for v in numbers)
    assert book["stages"]["A1"].value == "Trust"


def test_pdf_has_the_board_summary_and_every_section(dash):
    from tests.dashboards.pdf_text import pdf_text

    response = dash.client("exec").get(reverse("dashboards:board_pack"), {"format": "pdf"})
    text = pdf_text(response.content)
    for words in (
        "Board summary",
        "What changed",
        "Outcomes",
        "Quality assurance themes",
        "Improvement stages",
        "Support",
        "Intervention impact",
    ):
        assert words in text, words


def test_cli_writes_the_pack(dash, tmp_path):
    from typer.testing import CliRunner

    from trustlens.cli import build_app

    out = tmp_path / "pack.xlsx"
    result = CliRunner().invoke(build_app(), ["board-pack", "--trust", SLUG, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[:6] == list(SECTION_KEYS)
    bad = CliRunner().invoke(
        build_app(), ["board-pack", "--trust", SLUG, "--out", str(tmp_path / "x.doc")]
    )
    assert bad.exit_code == 2 and "must end in .pdf or .xlsx" in bad.output


def test_glance_grid_puts_outliers_first_with_letters_and_reasons(dash):
    from trustlens.dashboards.contexts.glance import glance_context

    context = glance_context(dash.users["exec"])
    keys = [(-r["reds"], -r["ambers"], r["academy"].name) for r in context["rows"]]
    assert keys == sorted(keys) and len(keys) == len(dash.academies)
    squares = [s for r in context["rows"] for s in r["squares"]]
    assert all(s["letter"] in "RAG–" and s["reason"] for s in squares)
    assert any(s["spark"] for s in squares)
    html = dash.client("trustee").get(reverse("dashboards:glance")).content.decode()
    assert "tl-grid-square" in html and "The detailed tables" in html
    assert dash.surname not in html


def test_sections_count_what_the_other_apps_recorded(dash):
    """Quality, stages, support and impact come from their apps through core.hooks."""
    import datetime as dt

    from trustlens.dashboards.board_sections import app_sections
    from trustlens.improvement.factories import StageChangeFactory, SupportFactory
    from trustlens.interventions.factories import EvaluationFactory, InterventionFactory
    from trustlens.quality.choices import ActivityStatus
    from trustlens.quality.factories import ActivityFactory, FindingFactory

    first, second = list(dash.academies.values())[:2]
    StageChangeFactory(academy=first, stage="improve")
    StageChangeFactory(academy=second, stage="improve")
    SupportFactory(academy=first, days=2, cost=800)
    SupportFactory(academy=second, days=3, cost=1200)
    activity = ActivityFactory(
        academy=first, status=ActivityStatus.DONE, scheduled_on=dt.date(2024, 3, 1)
    )
    FindingFactory(activity=activity, kind="concern")
    big = InterventionFactory(trust=dash.trust, academies=[first], name="Big reading group")
    EvaluationFactory(intervention=big, n_intervention=38, effect_size=0.21)
    small = InterventionFactory(trust=dash.trust, academies=[first], name="Tiny group")
    EvaluationFactory(intervention=small, n_intervention=4, effect_size=0.9)
    sections = {
        s["key"]: s["tables"][0] for s in app_sections(dash.users["exec"], [dash.trust], None)
    }
    stages = dict((r[0], r[1]) for r in sections["stages"]["rows"])
    assert stages["No stage recorded"] == len(dash.academies) - 2 and sum(stages.values()) == len(
        dash.academies
    )
    support = sections["support"]["rows"]
    assert sum(r[2] for r in support) == 2 and sum(r[3] for r in support) == 5.0
    assert sum(r[4] for r in support) == 2000.0
    quality = sections["quality"]["rows"]
    assert quality and quality[0][1] == 1 and quality[0][4] == 1  # 1 academy, 1 concern
    impact = {r[0]: r for r in sections["impact"]["rows"]}
    assert impact["Big reading group"][2] == 0.21
    assert impact["Tiny group"][2] == "c"  # 4 pupils: withheld


def test_board_shows_the_mat_measure_and_time_in_trust(dash):
    from trustlens.dashboards.contexts.board import board_context

    measures = board_context(dash.users["exec"])["trust_measures"][0]
    years = measures["years"]
    assert years, "P8 by years in the trust is built with the summaries"
    total = sum(r["cell"].pupils for r in years if r["cell"].pupils)
    latest = years[0]["cell"].period
    known = [
        r
        for k, v in summaries_for(SLUG).index.items()
        if k[0] == "academy" and k[2] == "p8" and k[3] == "all" and k[1] in ("190001", "190002")
        for r in v
        if r["period"] == latest
    ]
    assert total == sum(r["pupils"] for r in known)  # each academy with a join date, once
    # Harbour Point joined in 2015 (5+ full years), Millbrook in September 2021 (3 by 2023/24)
    assert {r["label"] for r in years} == {"3 full years", "5+ full years"}
    html = dash.client("trustee").get(reverse("dashboards:board")).content.decode()
    assert "Progress 8 by full years in the trust" in html
