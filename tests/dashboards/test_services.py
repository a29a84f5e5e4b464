"""The bridge to the analytics layer: precomputed figures equal the measures layer's own, for
the same inputs, at every level; incremental rebuilds; RAG reasons; suppression."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from tests.dashboards.conftest import SLUG
from trustlens.analytics import engine
from trustlens.analytics.measures import attendance, progress8, value_added
from trustlens.analytics.summaries.outcomes import p8_parameters
from trustlens.dashboards import services
from trustlens.dashboards.formatting import Cell, suppress_cells

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def con():
    return engine.connect()


def table(con, dash, name: str) -> ibis.Table:
    """The dataset as the store holds it (typed by the data standard)."""
    from django.conf import settings

    from trustlens.ingest.store import AnalyticalStore

    return AnalyticalStore(settings.STORE_DIR).table(con, SLUG, name)


def facts(dash) -> pd.DataFrame:
    return services.summaries_for(SLUG).facts


def test_rebuild_covers_every_measure_without_problems(dash):
    assert dash.meta["problems"] == {}
    measures = set(facts(dash)["measure"])
    for code in (
        "p8",
        "a8",
        "em4",
        "ks2_rwm",
        "ks2_maths",
        "va",
        "attendance",
        "persistent_absence",
        "suspensions",
        "sen_share",
        "first_preferences",
        "cover_share",
        "staff_absence",
        "finance_balance",
        "safeguarding",
    ):
        assert code in measures, code


def test_progress8_equals_the_measures_layer(dash, con):
    ks4 = dash.data.tables["ks4"]
    year = sorted(ks4["academic_year"].unique())[-1]
    expected = engine.execute(
        progress8.progress8(
            engine.load(con, "ks4y", ks4[ks4["academic_year"] == year]), p8_parameters(year)[0]
        )
    )
    for row in expected.itertuples(index=False):
        headline = services.academy_headline(dash.academies[int(row.urn)])["p8"]
        assert headline["score"] == pytest.approx(row.score, abs=1e-12)
        assert headline["ci_low"] == pytest.approx(row.ci_low, abs=1e-12)
        assert headline["pupils"] == row.pupils


def test_attendance_equals_the_measures_layer_for_trust_and_cluster(dash, con):
    table_ = table(con, dash, "attendance")
    trust = engine.execute(attendance.attendance_rate(table_, by=("academic_year",)))
    orgs = services.academy_frame(SLUG)[["urn", "cluster"]]
    clusters = engine.execute(
        attendance.attendance_rate(
            table_, by=("cluster", "academic_year"), academies=ibis.memtable(orgs)
        )
    )
    summaries = services.summaries_for(SLUG)
    for row in trust.itertuples(index=False):
        got = [
            r
            for r in summaries.series("trust", "trust", "attendance")
            if r["period"] == row.academic_year
        ][0]
        assert got["score"] == pytest.approx(row.score, abs=1e-12) and got[
            "ci_high"
        ] == pytest.approx(row.ci_high, abs=1e-12)
    for row in clusters.itertuples(index=False):
        got = [
            r
            for r in summaries.series("cluster", row.cluster, "attendance")
            if r["period"] == row.academic_year
        ][0]
        assert got["score"] == pytest.approx(row.score, abs=1e-12) and got["pupils"] == row.pupils


def test_value_added_equals_the_measures_layer_for_academies_and_subjects(dash, con):
    pupil_va = value_added.pupil_value_added(
        table(con, dash, "assessment_results"), table(con, dash, "prior_attainment")
    )
    academies = engine.execute(value_added.value_added(pupil_va))
    latest = academies.sort_values(["academic_year", "term"]).iloc[-1]
    subjects = engine.execute(
        value_added.value_added(
            pupil_va.filter(
                (pupil_va.academic_year == latest.academic_year) & (pupil_va.term == latest.term)
            ),
            by=("urn", "academic_year", "term", "subject"),
        )
    )
    summaries = services.summaries_for(SLUG)
    for row in academies.itertuples(index=False):
        period = f"{row.academic_year} {row.term}"
        got = [r for r in summaries.series("academy", str(row.urn), "va") if r["period"] == period][
            0
        ]
        assert got["score"] == pytest.approx(row.score, abs=1e-9)
        assert got["ci_low"] == pytest.approx(row.ci_low, abs=1e-9) and got["pupils"] == row.pupils
    for row in subjects.itertuples(index=False):
        got = summaries.series("academy", str(row.urn), "va", "subject", row.subject)[-1]
        assert got["score"] == pytest.approx(row.score, abs=1e-9) and got[
            "ci_high"
        ] == pytest.approx(row.ci_high, abs=1e-9)


def test_planted_weak_academy_is_flagged_with_its_reason(dash):
    headline = services.academy_headline(dash.academies[190002])
    assert headline["va"]["rag"] in ("red", "amber")
    reason = headline["va"]["reason"]
    assert "95% CI" in reason and "n=" in reason and "below" in reason
    assert services.academy_headline(dash.academies[190001])["va"]["rag"] == "green"


def test_class_summaries_exist_for_the_teachers_class(dash):
    rows = services.summaries_for(SLUG).series("class", str(dash.teacher_class.pk), "va")
    assert rows and rows[-1]["pupils"] == 20


def test_incremental_rebuild_recomputes_only_what_an_import_touches(dash):
    before = facts(dash)
    meta = services.rebuild_summaries(SLUG, datasets=["attendance"])
    after = facts(dash)
    assert meta["rebuilt"] == ["attendance_facts"]  # the same years: roll and exclusions stand
    assert set(meta["timings"]) == set(meta["rebuilt"])
    assert services.rebuild_summaries(SLUG)["rebuilt"] == []  # nothing changed in the store
    assert services.rebuild_summaries(SLUG, datasets=["finance"])["rebuilt"] == [
        "operational_facts"
    ]
    key = ["level", "unit", "measure", "period", "breakdown", "group"]
    merged = before.merge(after, on=key, suffixes=("_b", "_a"))
    assert len(merged) == len(before) == len(after)
    assert (merged["score_b"].fillna(-999) - merged["score_a"].fillna(-999)).abs().max() < 1e-9


def test_suppression_withholds_small_groups_with_the_gss_symbol():
    cells = [
        Cell(measure="attendance", score=91.0, pupils=4, ci_low=80.0, ci_high=95.0),
        Cell(measure="attendance", score=94.0, pupils=40, ci_low=93.0, ci_high=95.0),
    ]
    suppress_cells(cells, threshold=6)
    assert cells[0].text == "c" and cells[0].score is None and cells[0].interval_text == ""
    assert cells[1].text == "94.0%"


def test_persistent_absence_and_exclusions_equal_the_measures_layer(dash, con):
    from trustlens.analytics.measures import behaviour

    summaries = services.summaries_for(SLUG)
    absent = engine.execute(attendance.persistent_absence(table(con, dash, "attendance")))
    years = sorted(dash.data.tables["attendance"]["academic_year"].unique())
    rates = engine.execute(
        behaviour.exclusions(table(con, dash, "suspensions"), table(con, dash, "enrolments"), years)
    )
    for row in absent.itertuples(index=False):
        got = [
            r
            for r in summaries.series("academy", str(row.urn), "persistent_absence")
            if r["period"] == row.academic_year
        ][0]
        assert got["score"] == pytest.approx(row.score, abs=1e-9) and got[
            "ci_low"
        ] == pytest.approx(row.ci_low, abs=1e-9)
    for row in rates.itertuples(index=False):
        code = "suspensions" if row.measure.startswith("suspensions") else "permanent_exclusions"
        got = [
            r
            for r in summaries.series("academy", str(row.urn), code)
            if r["period"] == row.academic_year
        ][0]
        assert got["score"] == pytest.approx(row.score, abs=1e-9) and got[
            "ci_high"
        ] == pytest.approx(row.ci_high, abs=1e-9)
        assert got["pupils"] == row.pupils


def test_a_re_imported_window_recomputes_only_that_windows_value_added(dash):
    import polars as pl

    from tests.dashboards.conftest import write_store

    results = dash.data.tables["assessment_results"]
    window = (
        (results["academic_year"] == "2023/24")
        & (results["term"] == "summer")
        & (results["urn"] == 190003)
    )
    changed = results[window].assign(value=lambda f: (f["value"] + 4.0).clip(70, 141))
    try:
        write_store(SLUG, {"assessment_results": changed})
        meta = services.rebuild_summaries(SLUG)
        assert meta["rebuilt"] == ["value_added_facts"] and meta["va_windows"] == [
            ("2023/24", "summer")
        ]
        incremental = (
            facts(dash)
            .query("measure == 'va'")
            .sort_values(["level", "unit", "period", "breakdown", "group"])
        )
        (services.summary_dir(SLUG) / services.META_FILE).unlink()  # forces a full rebuild
        services.rebuild_summaries(SLUG)
        full = (
            facts(dash)
            .query("measure == 'va'")
            .sort_values(["level", "unit", "period", "breakdown", "group"])
        )
        assert len(incremental) == len(full)
        assert (incremental["score"].to_numpy() - full["score"].to_numpy()).__abs__().max() < 1e-9
    finally:
        write_store(SLUG, {"assessment_results": results[window]})
        services.rebuild_summaries(SLUG)
    del pl


def test_one_function_decides_whose_small_groups_are_withheld(dash):
    """``audience_for``: trustees always, anyone's export (board pack), nobody else's screen;
    ``disclose`` withholds a small pupil group and leaves a large one."""
    from trustlens.dashboards.audience import audience_for

    screen, export = (
        audience_for(dash.users["exec"]),
        audience_for(dash.users["exec"], leaves_screen=True),
    )
    assert audience_for(dash.users["trustee"]).suppressed and export.suppressed
    assert not screen.suppressed
    small, large = Cell(measure="va", score=0.4, pupils=3), Cell(measure="va", score=0.2, pupils=60)
    screen.disclose([small])
    assert small.symbol == "" and small.score == 0.4
    export.disclose([small, large])
    assert small.symbol == "c" and small.score is None
    assert large.symbol == "" and large.score == 0.2
