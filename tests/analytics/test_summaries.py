"""The dashboards' summary builders (``trustlens.analytics.summaries``) in the backend matrix:
the same facts on DuckDB and PySpark (to 1e-9), attendance against a plain pandas
computation, the DfE MAT measure, and the CLI's rows (``trust_measures``) from the same builders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustlens.analytics import engine, rollup
from trustlens.analytics.measures import attendance, exits, progress8
from trustlens.analytics.summaries import Inputs, compute
from trustlens.analytics.summaries.mat import MAT_MEASURE, mat_rows
from trustlens.analytics.summaries.outcomes import p8_parameters
from trustlens.analytics.summaries.pastoral import attendance_facts
from trustlens.analytics.trust_measures import Options, exits_rows, trust_measure

KEYS = ["level", "unit", "measure", "period", "breakdown", "group"]


def _inputs(con, trust, prefix: str) -> Inputs:
    tables = {
        name: engine.load(con, f"{prefix}_{name}", frame)
        for name, frame in trust.tables.items()
        if name != "academies"
    }
    academies = trust.tables["academies"].astype({"cluster": str, "region": str})
    return Inputs(tables=tables, academies=academies, con=con)


@pytest.fixture(scope="module")
def facts(con, trust) -> pd.DataFrame:
    """Every builder's facts for the planted trust on the current backend."""
    found, meta = compute(_inputs(con, trust, f"summ_{con.name}"))
    assert meta["problems"] == {}
    return found.sort_values(KEYS).reset_index(drop=True)


@pytest.fixture(scope="module")
def duck_facts(duck, trust) -> pd.DataFrame:
    found, _meta = compute(_inputs(duck, trust, "summ_ref"))
    return found.sort_values(KEYS).reset_index(drop=True)


def test_every_builder_gives_the_same_facts_on_each_engine(facts, duck_facts):
    """DuckDB's facts are the reference; the PySpark run must match them to 1e-9."""
    assert set(facts["measure"]) >= {"p8", "p8_mat", "a8", "ks2_rwm", "va", "attendance"}
    assert set(facts["measure"]) >= {"exits", "exits_moves", "exits_explained", "exits_excluded"}
    assert list(facts.columns) == list(duck_facts.columns)
    assert facts[KEYS].astype(str).equals(duck_facts[KEYS].astype(str))
    for column in ("pupils", "score", "ci_low", "ci_high", "se", "sd"):
        assert np.allclose(facts[column], duck_facts[column], rtol=0, atol=1e-9, equal_nan=True)
    for column in ("band", "flag", "note"):
        assert facts[column].fillna("").equals(duck_facts[column].fillna("")), column


def test_attendance_facts_equal_a_plain_pandas_computation(con, trust):
    """Attendance rate = sessions attended / possible x 100 per academy and for the trust;
    persistent absence = share of pupils attending 90% or less of their sessions."""
    frame = trust.tables["attendance"]
    rate, absent = attendance_facts(_inputs(con, trust, f"att_{con.name}"))
    per_pupil = frame.groupby(["pupil_id", "urn", "academic_year"], as_index=False)[
        ["possible_sessions", "attended_sessions"]
    ].sum()
    per_pupil["persistent"] = per_pupil["attended_sessions"] <= 0.9 * per_pupil["possible_sessions"]
    for level, keys in (("academy", ["urn", "academic_year"]), ("trust", ["academic_year"])):
        expected = per_pupil.groupby(keys).agg(
            attended=("attended_sessions", "sum"),
            possible=("possible_sessions", "sum"),
            pupils=("pupil_id", "count"),
            persistent=("persistent", "mean"),
        )
        for key, row in expected.iterrows():
            unit = str(key[0]) if level == "academy" else "trust"
            year = key[-1] if isinstance(key, tuple) else key
            got = _one(rate, level, unit, year)
            assert got["score"] == pytest.approx(row.attended * 100 / row.possible, abs=1e-9)
            assert got["pupils"] == row.pupils
            assert got["ci_low"] < got["score"] < got["ci_high"]
            got = _one(absent, level, unit, year)
            assert got["score"] == pytest.approx(row.persistent * 100, abs=1e-9)


def _one(frame: pd.DataFrame, level: str, unit: str, period: str) -> pd.Series:
    rows = frame[
        (frame["level"] == level)
        & (frame["unit"] == unit)
        & (frame["period"] == period)
        & (frame["breakdown"] == "all")
    ]
    assert len(rows) == 1, (level, unit, period)
    return rows.iloc[0]


def test_the_mat_measure_fact_is_the_clis_mat_row(facts, con, trust):
    """The trust's ``p8_mat`` fact equals ``rollup.mat_measure`` on the school P8 the CLI
    computes (``progress8.progress8`` with the same national estimates)."""
    mat = facts[facts["measure"] == MAT_MEASURE]
    assert len(mat) and set(mat["level"]) == {"trust"}
    academies = trust.tables["academies"]
    ks4 = engine.load(con, f"mat_{con.name}_ks4", trust.tables["ks4"])
    for row in mat.itertuples(index=False):
        params = p8_parameters(row.period)[0]
        schools = engine.execute(
            progress8.progress8(ks4.filter(ks4.academic_year == row.period), params)
        )
        sigma = params.sd["overall"] if params else None
        expected = rollup.mat_measure(schools, academies, row.period, sigma=sigma)
        assert row.score == pytest.approx(expected["score"], abs=1e-9)
        assert row.ci_low == pytest.approx(expected["ci_low"], abs=1e-9)
        assert row.pupils == expected["pupils"]
        urns = row.note.split("; academies ")[1].split("; ")[0]
        assert set(urns.split(";")) == set(expected["included_urns"].split(";"))
        cli = mat_rows(schools, academies, sigma)
        assert cli["score"].iloc[0] == pytest.approx(row.score, abs=1e-12)


def test_the_clis_rows_are_the_builders_facts_and_the_measures_layers_figures(con, trust, facts):
    """``trustlens measure`` reads the same builders: its attendance rows equal the measures
    layer's ``attendance_rate`` per academy and for the trust, and its P8 MAT row is the
    trust's ``p8_mat`` fact."""
    tables = {n: engine.load(con, f"cli_{con.name}_{n}", f) for n, f in trust.tables.items()}
    year = sorted(trust.tables["attendance"]["academic_year"].unique())[-1]
    options = Options(academic_year=year, suppress=False)
    rows = trust_measure("attendance", tables.__getitem__, options)
    rate = rows[rows["measure"] == "attendance rate"]
    table = tables["attendance"].filter(tables["attendance"].academic_year == year)
    schools = engine.execute(attendance.attendance_rate(table))
    whole = engine.execute(attendance.attendance_rate(table, by=("academic_year",)))
    for row in schools.itertuples(index=False):
        got = rate[rate["urn"] == row.urn].iloc[0]
        assert got["score"] == pytest.approx(row.score, abs=1e-9)
        assert got["ci_high"] == pytest.approx(row.ci_high, abs=1e-9)
    trust_row = rate[rate["level"] == "trust"].iloc[0]
    assert trust_row["score"] == pytest.approx(whole["score"].iloc[0], abs=1e-9)
    p8_year = sorted(trust.tables["ks4"]["academic_year"].unique())[-1]
    p8 = trust_measure(
        "progress8",
        tables.__getitem__,
        Options(academic_year=p8_year, national=2023, suppress=False),
    )
    mat = p8[p8["level"] == "trust (MAT measure)"].iloc[0]
    fact = facts[(facts["measure"] == MAT_MEASURE) & (facts["period"] == p8_year)].iloc[0]
    assert mat["score"] == pytest.approx(fact["score"], abs=1e-9)
    assert mat["pupils"] == fact["pupils"]


def test_exit_facts_are_the_clis_exit_rows_for_academies_and_the_trust(con, trust, facts):
    """``trustlens measure exits`` (``exits_rows``, unsuppressed) and the ``exits`` /
    ``exits_moves`` facts give the same cohort, counts, rate and Wilson interval for every
    academy, group and the trust; explained moves and exclusions are their counts' shares."""
    tables = {n: engine.load(con, f"exits_{con.name}_{n}", f) for n, f in trust.tables.items()}
    years = sorted(set(facts.loc[facts["measure"] == "exits", "period"]))
    assert years
    for year in years:
        rows = exits_rows(tables.__getitem__, Options(academic_year=year, suppress=False))
        assert len(rows)
        for row in rows.itertuples(index=False):
            code = "exits" if row.measure == exits.EXITS else "exits_moves"
            level, unit = ("trust", "trust") if pd.isna(row.urn) else ("academy", str(row.urn))
            got = _fact(facts, level, unit, code, year, row.group)
            assert got["pupils"] == row.pupils
            assert got["score"] == pytest.approx(row.score, abs=1e-9)
            assert got["ci_low"] == pytest.approx(row.ci_low, abs=1e-9)
            assert got["ci_high"] == pytest.approx(row.ci_high, abs=1e-9)
            assert (
                f"{row.exits:,} unexplained exits, {row.explained_moves:,} explained" in got["note"]
            )
            if code == "exits":
                moved = _fact(facts, level, unit, "exits_explained", year, row.group)
                assert moved["score"] == pytest.approx(100 * row.explained_moves / row.pupils)


def test_exit_funnel_flags_are_the_measures_layers_flags(con, trust, facts):
    """The academies' funnel positions in the facts are ``exits.with_flags``' positions
    (robust funnel around the trust's rate, SE at the target)."""
    tables = {n: engine.load(con, f"flag_{con.name}_{n}", f) for n, f in trust.tables.items()}
    years = sorted(set(facts.loc[facts["measure"] == "exits_moves", "period"]))
    checked = 0
    for year in years:
        kw = {"pupils": tables["pupils"], "prior": tables["prior_attainment"]}
        schools = engine.execute(exits.exit_measures(tables["enrolments"], [year], **kw))
        whole = engine.execute(
            exits.exit_measures(tables["enrolments"], [year], by=("academic_year",), **kw)
        )
        flagged = exits.with_flags(schools, whole)
        for row in flagged[flagged["group"] == exits.ALL].itertuples(index=False):
            code = "exits" if row.measure == exits.EXITS else "exits_moves"
            got = _fact(facts, "academy", str(row.urn), code, year, "all")
            assert (got["flag"] or "") == (row.funnel or ""), (code, row.urn, year)
            checked += bool(row.funnel)
    assert checked


def _fact(facts: pd.DataFrame, level: str, unit: str, code: str, year: str, group: str):
    found = facts[
        (facts["level"] == level)
        & (facts["unit"] == unit)
        & (facts["measure"] == code)
        & (facts["period"] == year)
        & (facts["group"] == group)
    ]
    assert len(found) == 1, (level, unit, code, year, group)
    return found.iloc[0]
