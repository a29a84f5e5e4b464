"""Trust-level figures two ways, and the "time in trust" view.

Sources:
- DfE, *Multi-academy trust performance measures* (SFR02/2017 and later releases; methodology on
  explore-education-statistics "Multi-academy trust performance measures (Key stages 2, 4 and
  5)"): a trust is measured when it has at least 3 academies that have been in it for at least
  3 full academic years and have results; the measure is calculated at pupil level with each
  academy weighted by its cohort size and its time in the trust (3 for three full years, 4 for
  four or more in the first release; ``year_cap`` sets the cap).
- A plain pupil-weighted mean of every current academy, shown beside it, because the MAT measure
  leaves out recent joiners (which is often most of what a growing trust is working on).

These run on executed school summaries (pandas: ``urn``, ``pupils``, ``total`` and ``score``)
with the organisation table (``urn``, ``joined_trust``): numpy only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from trustlens.analytics.stats.bands import band as dfe_band
from trustlens.analytics.stats.intervals import z_value

MIN_ACADEMIES = 3
MIN_FULL_YEARS = 3
YEAR_CAP = 4


def full_years_in_trust(joined: pd.Series, academic_year: str) -> pd.Series:
    """Full academic years an academy has been in the trust by the end of ``academic_year``.

    An academy that joined on or before 1 September of a year has that whole year.
    """
    end_year = int(academic_year[:4]) + 1
    dates = pd.to_datetime(joined)
    after_start = (dates.dt.month > 9) | ((dates.dt.month == 9) & (dates.dt.day > 1))
    first_full = dates.dt.year + after_start.astype(float)  # NaT (not recorded) stays missing
    return (end_year - first_full).clip(lower=0).astype("Int64")


def _weighted(
    frame: pd.DataFrame, weights: np.ndarray, sigma: float | None, level: float
) -> dict[str, float]:
    n = frame["pupils"].to_numpy(float)
    total = frame["total"].to_numpy(float)
    wn = float(np.sum(weights * n))
    score = float(np.sum(weights * total) / wn) if wn > 0 else np.nan
    spread = sigma if sigma is not None else _pooled_sd(frame)
    se = spread * float(np.sqrt(np.sum(weights**2 * n))) / wn if wn > 0 else np.nan
    z = z_value(level)
    return {
        "pupils": int(n.sum()),
        "academies": len(frame),
        "score": score,
        "se": se,
        "ci_low": score - z * se,
        "ci_high": score + z * se,
    }


def _pooled_sd(frame: pd.DataFrame) -> float:
    if "total_sq" not in frame:
        return np.nan
    n, s, ss = (frame[c].to_numpy(float) for c in ("pupils", "total", "total_sq"))
    big_n = n.sum()
    return float(np.sqrt((ss.sum() - s.sum() ** 2 / big_n) / (big_n - 1)))


def mat_measure(
    schools: pd.DataFrame,
    academies: pd.DataFrame,
    academic_year: str,
    *,
    sigma: float | None = None,
    min_academies: int = MIN_ACADEMIES,
    min_full_years: int = MIN_FULL_YEARS,
    year_cap: int = YEAR_CAP,
    level: float = 0.95,
) -> dict[str, object]:
    """The DfE MAT-measure style trust figure for one year (a dict: one output row).

    ``schools``: one row per academy for ``academic_year`` with ``urn``, ``pupils``, ``total``
    (sum of pupil scores) and, when ``sigma`` is None, ``total_sq``. ``eligible`` is False (and the
    score still shown, labelled) when fewer than ``min_academies`` qualify.
    """
    frame = schools.merge(academies[["urn", "joined_trust"]], on="urn", how="left")
    frame["full_years"] = full_years_in_trust(frame["joined_trust"], academic_year)
    included = frame[(frame["full_years"] >= min_full_years) & (frame["pupils"] > 0)]
    weights = np.minimum(included["full_years"].to_numpy(float), year_cap)
    row = _weighted(included, weights, sigma, level) if len(included) else {"academies": 0}
    return {
        "method": "DfE MAT measure (>= 3 full years, weighted by pupils x years)",
        "academic_year": academic_year,
        "eligible": len(included) >= min_academies,
        "included_urns": ";".join(str(u) for u in included["urn"]),
        **row,
    }


def pupil_weighted(
    schools: pd.DataFrame, academic_year: str, *, sigma: float | None = None, level: float = 0.95
) -> dict[str, object]:
    """Plain pupil-weighted mean of every academy with results (a dict: one output row)."""
    frame = schools[schools["pupils"] > 0]
    row = _weighted(frame, np.ones(len(frame)), sigma, level)
    return {"method": "pupil-weighted mean of all academies", "academic_year": academic_year, **row}


def trust_two_ways(
    schools: pd.DataFrame,
    academies: pd.DataFrame,
    academic_year: str,
    *,
    sigma: float | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Both trust figures side by side, one row each (``method`` says which)."""
    rows = [
        mat_measure(schools, academies, academic_year, sigma=sigma, level=level),
        pupil_weighted(schools, academic_year, sigma=sigma, level=level),
    ]
    return pd.DataFrame(rows)


def time_in_trust(
    schools: pd.DataFrame,
    academies: pd.DataFrame,
    *,
    sigma: float | None = None,
    buckets: Sequence[int] = (0, 1, 2, 3, 4, 5),
    level: float = 0.95,
) -> pd.DataFrame:
    """Pupil-weighted score by full years in the trust at the time of each result.

    ``schools`` has one row per academy and year (``academic_year``). The last bucket collects
    that many years and more. A rising line suggests academies improve the longer they are in
    the trust; it is descriptive (different academies sit in different buckets).
    """
    frame = schools.merge(academies[["urn", "joined_trust"]], on="urn", how="left")
    years = [
        full_years_in_trust(pd.Series([j]), y).iloc[0]
        for j, y in zip(frame["joined_trust"], frame["academic_year"], strict=True)
    ]
    top = max(buckets)
    frame["years_in_trust"] = np.minimum(np.asarray(years, dtype=float), top)
    rows = []
    for bucket, part in frame.groupby("years_in_trust"):
        label = f"{int(bucket)}+" if bucket == top else str(int(bucket))
        stats = _weighted(part, np.ones(len(part)), sigma, level)
        rows.append({"years_in_trust": label, "academy_years": len(part), **stats})
    return pd.DataFrame(rows).drop(columns=["academies"])


def pool(
    summary: pd.DataFrame,
    by: Sequence[str],
    *,
    sigma: float | str = "cohort",
    cohort_keys: Sequence[str] = ("academic_year",),
    level: float = 0.95,
    well_threshold: float | None = 0.5,
) -> pd.DataFrame:
    """Pool executed group summaries into coarser groups (academies -> trusts) with numpy.

    Sums ``pupils``, ``total``, ``total_sq`` (and ``total_orig``/``total_sq_orig`` when present),
    then adds ``score``, ``se``, ``ci_low``, ``ci_high`` and ``band`` (and the ``_orig`` set).
    ``sigma`` is a national SD or ``"cohort"``: the SD of all pupils per ``cohort_keys``.
    Groups come in order of first appearance; rows with a missing key are left out (as
    ``DataFrame.groupby`` does). Sums are ``np.bincount`` over factorised keys: a pandas
    groupby per column costs more than the arithmetic on a few thousand rows.
    """
    suffixes = [""] + (["_orig"] if "total_orig" in summary else [])
    sums = ["pupils"] + [f"{c}{x}" for x in suffixes for c in ("total", "total_sq")]
    codes, out = group_codes(summary, list(by))
    size = len(out[by[0]])
    columns: dict[str, object] = dict(out)
    for c in sums:
        columns[c] = np.bincount(codes, weights=summary[c].to_numpy(float), minlength=size)[:size]
    columns["pupils"] = np.rint(columns["pupils"]).astype(summary["pupils"].dtype)
    z = z_value(level)
    keys = [k for k in cohort_keys if k in out]
    n = np.asarray(columns["pupils"], dtype=float)
    for x in suffixes:
        total, squares = columns[f"total{x}"], columns[f"total_sq{x}"]
        score = total / n
        sd = _cohort_sd(out, keys, n, total, squares) if sigma == "cohort" else float(sigma)
        se = np.broadcast_to(sd / np.sqrt(n), (size,)).copy()
        low, high = score - z * se, score + z * se
        columns.update({f"score{x}": score, f"se{x}": se, f"ci_low{x}": low, f"ci_high{x}": high})
        columns[f"band{x}"] = dfe_band(score, low, high, well_threshold)
    return pd.DataFrame(columns)


def group_codes(
    frame: pd.DataFrame | dict[str, np.ndarray], keys: list[str]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Group number of each row (groups in order of first appearance) and the groups' keys."""
    arrays = {k: np.asarray(frame[k]) for k in keys}
    rows_in = len(arrays[keys[0]])
    combined = np.zeros(rows_in, dtype=np.int64)
    missing = np.zeros(rows_in, dtype=bool)
    for key in keys:
        codes, uniques = pd.factorize(arrays[key])
        missing |= codes < 0
        combined = combined * (len(uniques) + 1) + codes
    kept = np.flatnonzero(~missing)
    _, first, inverse = np.unique(combined[kept], return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    group = np.full(rows_in, len(order), dtype=np.int64)  # missing keys: a dropped group
    group[kept] = rank[inverse.ravel()]
    rows = kept[first[order]]
    return group, {k: a[rows] for k, a in arrays.items()}


def _cohort_sd(
    groups: dict[str, np.ndarray],
    keys: Sequence[str],
    n: np.ndarray,
    total: np.ndarray,
    squares: np.ndarray,
) -> np.ndarray | float:
    """SD of all pupils per ``keys`` (sample SD from the pooled sums), one value per group."""
    if not keys:
        big_n, s, ss = n.sum(), total.sum(), squares.sum()
        return float(np.sqrt(max(ss - s * s / big_n, 0.0) / (big_n - 1)))
    codes, cohorts = group_codes(groups, list(keys))
    size = len(cohorts[keys[0]])
    big_n, s, ss = (
        np.bincount(codes, weights=v, minlength=size)[:size] for v in (n, total, squares)
    )
    sd = np.sqrt(np.maximum(ss - s * s / big_n, 0.0) / (big_n - 1))
    return np.append(sd, np.nan)[codes]  # a missing cohort key: no SD


def trust_rows(summary: pd.DataFrame, trust_summary: pd.DataFrame) -> pd.DataFrame:
    """Academy rows followed by the trust's own row(s) (``urn`` null), for outputs."""
    trust = trust_summary.copy()
    trust["urn"] = None
    return pd.concat(
        [summary, trust[[c for c in summary.columns if c in trust]]], ignore_index=True
    )


def as_of(academic_year: str) -> dt.date:
    """31 August at the end of ``academic_year``."""
    return dt.date(int(academic_year[:4]) + 1, 8, 31)
