"""Every measure against a plain pandas reference, on every backend (DuckDB and PySpark).

The ``con`` fixture is parametrised, so each test here runs once per engine; each compares the
engine's numbers with the same reference to 1e-9, so the engines agree with each other too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import reference as ref

from trustlens.analytics import engine
from trustlens.analytics.measures import attainment, attendance, behaviour, gaps, ks2, progress8
from trustlens.analytics.measures.value_added import pupil_value_added, value_added
from trustlens.analytics.national import load_national

TOL = 1e-9


def run(expr, keys):
    return engine.execute(expr).sort_values(keys).reset_index(drop=True)


def close(a, b, tol=TOL):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assert a.shape == b.shape
    assert np.allclose(a, b, rtol=0, atol=tol, equal_nan=True), np.max(np.abs(a - b))


@pytest.mark.parametrize("national", [2023, None], ids=["national", "cohort"])
def test_school_progress8(tables, trust, national):
    keys = ["urn", "academic_year"]
    got = run(progress8.progress8(tables["ks4"], national), keys)
    params = load_national(2023) if national else None
    pupils = ref.pupil_p8(
        trust.tables["ks4"],
        params.estimates if params else None,
        params.sd["overall"] if params else None,
    )
    want = (
        ref.school_p8(pupils, keys, params.sd["overall"] if params else None)
        .sort_values(keys)
        .reset_index(drop=True)
    )
    assert got.urn.tolist() == want.urn.tolist()
    assert (got.pupils == want.pupils).all()
    assert (got.capped_pupils == want.capped_pupils).all()
    for column in ("score", "ci_low", "ci_high", "score_orig", "ci_low_orig", "ci_high_orig"):
        close(got[column], want[column])
    assert set(got.estimate_source) == {params.label if params else "cohort"}


def test_trust_row_is_pupil_weighted(tables):
    schools = engine.execute(progress8.progress8(tables["ks4"], 2023))
    trust_row = engine.execute(progress8.progress8(tables["ks4"], 2023, by=("academic_year",)))
    for _, row in trust_row.iterrows():
        part = schools[schools.academic_year == row.academic_year]
        assert row.pupils == part.pupils.sum()
        close(row.score, np.average(part.score, weights=part.pupils))
        close(row.ci_high - row.score, 1.959963984540054 * 1.414023 / np.sqrt(row.pupils))


def test_capping_only_lowers_extreme_negative_scores(tables):
    pupils = engine.execute(progress8.pupil_progress8(tables["ks4"], 2023))
    capped = pupils[pupils.capped]
    assert len(capped) > 0
    assert (capped.p8_capped > capped.p8).all()
    assert np.allclose(capped.p8_capped, 1.414023 * -2.8948556948)
    uncapped = pupils[~pupils.capped]
    assert (uncapped.p8_capped == uncapped.p8).all()


def test_element_scores(tables, trust):
    got = run(
        progress8.progress8_elements(tables["ks4"], 2023), ["element", "urn", "academic_year"]
    )
    pupils = ref.pupil_p8(trust.tables["ks4"], load_national(2023).estimates, 1.414)
    est = load_national(2023).estimates.set_index("pa_group")
    pupils["p8_maths"] = (pupils.a8_maths - pupils.pa_group.map(est.est_maths)) / 2
    maths = pupils.groupby(["urn", "academic_year"]).p8_maths.mean().to_numpy()
    close(got[got.element == "maths"].score, maths)
    assert set(got.element) == {"english", "maths", "ebacc", "open"}


def test_ks2_progress(tables, trust):
    got = run(ks2.ks2_progress(tables["ks2"]), ["subject", "urn"])
    d = trust.tables["ks2"].copy()
    d["group"] = np.clip(np.floor(d.ks1_aps), 2, 21).where(d.ks1_aps >= 3, 2)
    d["writing"] = d.writing_ta.map({"WTS": 91.0, "EXS": 103.0, "GDS": 113.0})
    for subject, column in (
        ("maths", "maths_scaled"),
        ("reading", "reading_scaled"),
        ("writing", "writing"),
    ):
        d[f"{subject}_p"] = d[column] - d.groupby(["academic_year", "group"])[column].transform(
            "mean"
        )
        want = d.groupby("urn")[f"{subject}_p"].mean().sort_index()
        part = got[got.subject == subject]
        close(part.score, want.to_numpy())
        sd = d[f"{subject}_p"].std()
        close(part.ci_high - part.score, ref.Z * sd / np.sqrt(part.pupils))


def test_attainment8_t_interval(tables, trust):
    got = run(attainment.attainment8(tables["ks4"]), ["urn", "academic_year"])
    for (urn, year), part in trust.tables["ks4"].groupby(["urn", "academic_year"]):
        m, lo, hi, n = ref.t_mean(part.attainment8)
        row = got[(got.urn == urn) & (got.academic_year == year)].iloc[0]
        assert row.pupils == n
        close(row.score, m)
        close([row.ci_low, row.ci_high], [lo, hi], tol=2e-4)  # closed-form t vs scipy


@pytest.mark.parametrize("grade", [4, 5])
def test_english_maths_by_pupil_group(tables, trust, grade):
    by = ["disadvantaged", "academic_year"]
    got = run(
        attainment.english_maths(tables["ks4"], grade=grade, by=by, pupils=tables["pupils"]), by
    )
    d = trust.tables["ks4"].merge(
        trust.tables["pupils"][["pupil_id", "disadvantaged"]], on="pupil_id"
    )
    flag = f"eng_maths_{grade}plus"
    want = d.groupby(by)[flag].agg(["sum", "size"]).reset_index().sort_values(by)
    close(got.score, 100 * want["sum"] / want["size"])
    for (_, row), (_, w) in zip(got.iterrows(), want.iterrows(), strict=True):
        lo, hi = ref.wilson(w["sum"], w["size"])
        close([row.ci_low, row.ci_high], [100 * lo, 100 * hi])


def test_ks2_rwm(tables, trust):
    got = run(attainment.ks2_rwm(tables["ks2"], standard="expected"), ["urn"])
    d = trust.tables["ks2"]
    met = (d.reading_scaled >= 100) & (d.maths_scaled >= 100) & d.writing_ta.isin(["EXS", "GDS"])
    close(got.score, 100 * met.groupby(d.urn).mean().sort_index().to_numpy())


def test_attendance_rate_and_persistent_absence(tables, trust):
    got = run(attendance.attendance_rate(tables["attendance"]), ["urn"])
    pa = run(attendance.persistent_absence(tables["attendance"]), ["urn"])
    per = (
        trust.tables["attendance"]
        .groupby(["pupil_id", "urn"], as_index=False)[["possible_sessions", "attended_sessions"]]
        .sum()
    )
    for i, (urn, part) in enumerate(per.groupby("urn")):
        r, lo, hi = ref.ratio_ci(
            part.attended_sessions.to_numpy(float), part.possible_sessions.to_numpy(float)
        )
        assert got.urn[i] == urn
        close([got.score[i], got.ci_low[i], got.ci_high[i]], [100 * r, 100 * lo, 100 * hi])
        absent = (part.possible_sessions - part.attended_sessions) / part.possible_sessions >= 0.10
        close(pa.score[i], 100 * absent.mean())


def test_exclusions_per_100_pupils(tables, trust):
    got = run(
        behaviour.exclusions(tables["suspensions"], tables["enrolments"], ["2022/23"]),
        ["measure", "urn"],
    )
    enrol = trust.tables["enrolments"]
    on_roll = (
        enrol[enrol.end_date >= pd.Timestamp("2022-09-01").date()].groupby("urn").pupil_id.nunique()
    )
    s = trust.tables["suspensions"]
    events = s[s.kind == "suspension"].groupby("urn").size().reindex(on_roll.index, fill_value=0)
    part = got[got.measure == "suspensions per 100 pupils"]
    assert part.pupils.tolist() == on_roll.tolist()
    close(part.score, 100 * events / on_roll)
    assert (part.ci_low <= part.score).all() and (part.ci_high > part.score).all()
    perm = got[got.measure == "permanent exclusions per 100 pupils"]
    assert perm.events.sum() == 4
    assert (perm.ci_high > 0).all()  # a zero count still has an upper limit


def test_disadvantaged_gap(tables, trust):
    pupils = progress8.pupil_progress8(tables["ks4"], 2023)
    got = run(
        gaps.disadvantaged_gap(pupils, "p8", by=["academic_year"], pupils=tables["pupils"]),
        ["academic_year"],
    )
    d = ref.pupil_p8(trust.tables["ks4"], load_national(2023).estimates, 1.414)
    d = d.merge(trust.tables["pupils"][["pupil_id", "disadvantaged"]], on="pupil_id")
    for i, (_, part) in enumerate(d.groupby("academic_year")):
        a, b = part[part.disadvantaged].p8, part[~part.disadvantaged].p8
        gap = a.mean() - b.mean()
        se = np.sqrt(a.var() / len(a) + b.var() / len(b))
        close(
            [got.score[i], got.ci_low[i], got.ci_high[i]], [gap, gap - ref.Z * se, gap + ref.Z * se]
        )


@pytest.mark.parametrize("context", [False, True], ids=["prior", "contextual"])
def test_value_added_matches_least_squares(tables, trust, context):
    pupils = tables["pupils"] if context else None
    va = pupil_value_added(
        tables["assessment_results"], tables["prior_attainment"], pupils, context=context
    )
    got = run(va.select("pupil_id", "term", "subject", "va"), ["term", "subject", "pupil_id"])
    d = trust.tables["assessment_results"].merge(trust.tables["prior_attainment"], on="pupil_id")
    d["outcome"], d["one"] = d.value, 1.0
    d["prior"] = (d.ks2_reading_scaled + d.ks2_maths_scaled) / 2 - 100
    d["prior_sq"] = d.prior**2
    terms = ["one", "prior", "prior_sq"]
    if context:
        p = trust.tables["pupils"].set_index("pupil_id")
        d["disadv"] = d.pupil_id.map(p.disadvantaged).astype(float)
        d["sen_k"] = (d.pupil_id.map(p.sen) == "K").astype(float)
        d["sen_e"] = (d.pupil_id.map(p.sen) == "E").astype(float)
        d["eal"] = d.pupil_id.map(p.eal).astype(float)
        d["summer"] = ((d.pupil_id.map(p.birth_month) + 3) % 12) / 11
        terms += ["disadv", "sen_k", "sen_e", "eal", "summer"]
    want = ref.ols_residuals(d, terms, ["academic_year", "term", "subject"]).sort_values(
        ["term", "subject", "pupil_id"]
    )
    close(got.va, want.va, tol=1e-8)


def test_value_added_groups_count_pupils_once(tables):
    va = pupil_value_added(tables["assessment_results"], tables["prior_attainment"])
    by_academy = run(value_added(va), ["urn", "term"])
    by_subject = run(
        value_added(va, by=("urn", "academic_year", "term", "subject")), ["urn", "term", "subject"]
    )
    per_academy = by_subject.groupby(["urn", "term"]).pupils.max().to_numpy()
    assert (by_academy.pupils.to_numpy() == per_academy).all()
    assert set(by_academy.unit) == {"SD"}
    trust_rows = run(value_added(va, by=("academic_year", "term")), ["term"])
    close(trust_rows.score, [0.0, 0.0], tol=1e-9)  # relative to the trust's own model


def test_value_added_by_cluster_and_region(tables):
    va = pupil_value_added(tables["assessment_results"], tables["prior_attainment"])
    out = engine.execute(
        value_added(va, by=("region", "cluster", "term"), academies=tables["academies"])
    )
    assert set(out.region) <= {"North", "South"}
    assert (
        out.pupils.sum()
        == 2 * engine.execute(va.filter(va.term == "autumn").select("pupil_id").distinct()).shape[0]
    )
