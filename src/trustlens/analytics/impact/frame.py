"""Build the pupil-level frame an evaluation needs from the analytical store (Ibis).

The heavy part (filtering a trust's assessment results to one subject and window, one row per
pupil) is an Ibis expression that runs on DuckDB or PySpark; what comes back is one year
group's pupils across the trust (a few thousand rows), joined in pandas for the statistics.

``tables`` is any callable ``dataset -> ibis.Table | None`` (the Django side passes the
analytical store's ``table``; tests pass in-memory tables), so this module never touches
Django or the store's files.

Prior attainment (used when there is no pre-test, and as a second baseline when there is):
the KS2 scaled score of the outcome's subject (reading for reading/English/phonics, maths for
maths), else the mean of KS2 reading and maths, else the KS1 average point score: the first
held for at least 80% of participants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

Tables = Callable[[str], "ibis.Table | None"]
PRIOR_COVERAGE = 0.8
READING_WORDS = ("read", "english", "phonic", "literacy", "spelling", "gps", "writing")


@dataclass(frozen=True)
class OutcomeSpec:
    """Which assessment results measure the outcome: subject, scale and the two windows."""

    subject: str
    post_year: str
    post_term: str
    pre_year: str | None = None
    pre_term: str | None = None
    scale: str | None = None

    @property
    def has_pre(self) -> bool:
        return bool(self.pre_year and self.pre_term)


@dataclass
class EvaluationFrame:
    """The frame for ``evaluate`` and what was used to build it."""

    frame: pd.DataFrame
    prior_measure: str | None
    n_registered: int
    n_not_in_store: int


def _window(results: ibis.Table, spec: OutcomeSpec, year: str, term: str) -> ibis.Table:
    """One row per pupil: mean numeric result in ``subject`` for one window."""
    rows = results.filter(
        results.subject.lower() == spec.subject.lower(),
        results.academic_year == year,
        results.term == term,
        results.value.notnull(),
    )
    if spec.scale:
        rows = rows.filter(rows.scale == spec.scale)
    return rows.group_by("pupil_id").aggregate(
        value=rows.value.mean(), year_group=rows.year_group.max(), urn=rows.urn.max()
    )


def _execute(expr: ibis.Table) -> pd.DataFrame:
    return expr.to_pandas()


def _year_groups(window: ibis.Table, participants: list[str]) -> list[int]:
    found = _execute(window.filter(window.pupil_id.isin(participants)).select("year_group"))
    return sorted({int(y) for y in found["year_group"].dropna()})


def _cohort(
    window: ibis.Table, years: list[int], exclude_urns: Iterable[int], participants: list[str]
) -> pd.DataFrame:
    """Everyone in those year groups with the outcome, less pupils of excluded academies."""
    rows = window.filter(window.year_group.isin(years))
    excluded = [int(u) for u in exclude_urns]
    if excluded:
        rows = rows.filter(~rows.urn.isin(excluded) | rows.pupil_id.isin(participants))
    return _execute(rows)


def _add_academy_means(frame: pd.DataFrame, pre: ibis.Table) -> pd.DataFrame:
    """``academy_pre_mean``: the mean pre-test of *every* pupil of the pupil's academy and year
    group (excluded academies' pupils included), the contextual measure of an academy's level
    that the programme comparison adjusts for when it cannot use academy indicators."""
    if "urn" not in frame or frame["urn"].isna().all():
        return frame
    means = _execute(
        pre.group_by(["urn", "year_group"]).aggregate(academy_pre_mean=pre.value.mean())
    )
    means = means.astype({"urn": float, "year_group": float})
    keyed = frame.assign(_urn=frame["urn"].astype(float), _year=frame["year_group"].astype(float))
    merged = keyed.merge(
        means.rename(columns={"urn": "_urn", "year_group": "_year"}),
        on=["_urn", "_year"],
        how="left",
    )
    return merged.drop(columns=["_urn", "_year"])


def _lookup(
    tables: Tables, dataset: str, pupil_ids: list[str], columns: list[str]
) -> pd.DataFrame | None:
    table = tables(dataset)
    if table is None or not set(columns) <= set(table.columns):
        return None
    return _execute(table.filter(table.pupil_id.isin(pupil_ids)).select("pupil_id", *columns))


def prior_candidates(subject: str) -> list[str]:
    """Prior attainment measures to try, most relevant to the outcome subject first."""
    text = subject.lower()
    first = (
        ["ks2_maths"]
        if "math" in text
        else ["ks2_reading"]
        if any(w in text for w in READING_WORDS)
        else []
    )
    return [*first, "ks2_mean", "ks1_aps"]


def _add_prior(
    frame: pd.DataFrame, prior: pd.DataFrame | None, subject: str
) -> tuple[pd.DataFrame, str | None]:
    if prior is None or prior.empty:
        return frame.assign(prior=np.nan), None
    prior = prior.groupby("pupil_id", as_index=False).first()
    prior = prior.assign(
        ks2_reading=prior["ks2_reading_scaled"],
        ks2_maths=prior["ks2_maths_scaled"],
        ks2_mean=prior[["ks2_reading_scaled", "ks2_maths_scaled"]].mean(axis=1, skipna=False),
    )
    merged = frame.merge(prior, on="pupil_id", how="left")
    treated = merged["treated"].to_numpy(bool)
    coverage = {
        c: merged.loc[treated, c].notna().mean() if treated.any() else 0.0
        for c in prior_candidates(subject)
    }
    chosen = next(
        (c for c, share in coverage.items() if share >= PRIOR_COVERAGE),
        max(coverage, key=coverage.get),
    )
    return frame.assign(prior=merged[chosen].to_numpy(float)), chosen


def _characteristics(pupils: pd.DataFrame | None) -> pd.DataFrame | None:
    if pupils is None or pupils.empty:
        return None
    pupils = pupils.groupby("pupil_id", as_index=False).first()
    return pd.DataFrame(
        {
            "pupil_id": pupils["pupil_id"],
            "disadvantaged": pupils["disadvantaged"].astype("boolean").fillna(False).astype(float),
            "sen": pupils["sen"].isin(["K", "E"]).astype(float),
            "eal": pupils["eal"].astype("boolean").fillna(False).astype(float),
            "female": (pupils["sex"] == "F").astype(float),
        }
    )


def _attendance(
    tables: Tables, pupil_ids: list[str], year: str | None, term: str | None
) -> pd.Series | None:
    """Percentage of possible sessions attended, per pupil, in one term."""
    table = tables("attendance")
    if table is None or not year or not term:
        return None
    rows = table.filter(
        table.pupil_id.isin(pupil_ids), table.academic_year == year, table.term == term
    )
    summed = _execute(
        rows.group_by("pupil_id").aggregate(
            attended=rows.attended_sessions.sum(), possible=rows.possible_sessions.sum()
        )
    )
    summed = summed[summed["possible"] > 0]
    return pd.Series(
        100 * summed["attended"].to_numpy(float) / summed["possible"].to_numpy(float),
        index=summed["pupil_id"],
    )


def evaluation_frame(
    tables: Tables,
    spec: OutcomeSpec,
    participant_ids: Iterable[str],
    exclude_urns: Iterable[int] = (),
) -> EvaluationFrame:
    """Participants and every potential comparison pupil, one row each, ready for ``evaluate``.

    Comparison pupils are the trust's pupils in the participants' year groups with a result in
    the post-test window, less those of ``exclude_urns`` (academies that use the programme,
    for the programme comparison). Participants without a result stay in with ``post`` NaN.
    """
    participants = sorted(set(participant_ids))
    results = tables("assessment_results")
    empty = pd.DataFrame(
        {"pupil_id": participants, "treated": True, "year_group": np.nan, "post": np.nan}
    )
    if results is None or not participants:
        return EvaluationFrame(empty, None, len(participants), len(participants))
    post = _window(results, spec, spec.post_year, spec.post_term)
    pre = _window(results, spec, spec.pre_year, spec.pre_term) if spec.has_pre else None
    years = _year_groups(post, participants) or (
        _year_groups(pre, participants) if pre is not None else []
    )
    cohort = _cohort(post, years, exclude_urns, participants).rename(columns={"value": "post"})
    missing = [p for p in participants if p not in set(cohort["pupil_id"])]
    frame = pd.concat([cohort, pd.DataFrame({"pupil_id": missing})], ignore_index=True)
    frame["treated"] = frame["pupil_id"].isin(participants)
    return _enrich(tables, spec, frame, pre, participants)


def _enrich(
    tables: Tables,
    spec: OutcomeSpec,
    frame: pd.DataFrame,
    pre: ibis.Table | None,
    participants: list[str],
) -> EvaluationFrame:
    """Join the pre-test, prior attainment, characteristics and attendance to the cohort."""
    ids = frame["pupil_id"].tolist()
    if pre is not None:
        pre_values = _execute(pre.filter(pre.pupil_id.isin(ids)))
        frame = frame.merge(
            pre_values[["pupil_id", "value"]].rename(columns={"value": "pre"}),
            on="pupil_id",
            how="left",
        )
        missing_year = frame["year_group"].isna()
        if missing_year.any():
            years = pre_values.set_index("pupil_id")["year_group"]
            frame.loc[missing_year, "year_group"] = frame.loc[missing_year, "pupil_id"].map(years)
        frame = _add_academy_means(frame, pre)
    prior = _lookup(
        tables, "prior_attainment", ids, ["ks2_reading_scaled", "ks2_maths_scaled", "ks1_aps"]
    )
    frame, measure = _add_prior(frame, prior, spec.subject)
    characteristics = _characteristics(
        _lookup(tables, "pupils", ids, ["sex", "disadvantaged", "sen", "eal"])
    )
    if characteristics is not None:
        frame = frame.merge(characteristics, on="pupil_id", how="left")
    for column, (year, term) in {
        "attendance_pre": (spec.pre_year, spec.pre_term),
        "attendance_post": (spec.post_year, spec.post_term),
    }.items():
        rates = _attendance(tables, ids, year, term)
        if rates is not None and not rates.empty:
            frame[column] = frame["pupil_id"].map(rates)
    not_in_store = int((frame["treated"] & frame["year_group"].isna()).sum())
    return EvaluationFrame(frame, measure, len(participants), not_in_store)
