"""Plain pandas/numpy reference computations the engine results are checked against (to 1e-9).

Written independently of trustlens.analytics (same published rules, different code), so a test
comparing the two checks the Ibis expressions on each backend, not the formulas against
themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

CUT = -2.8948556948
Z = stats.norm.ppf(0.975)


def fine_level(r: pd.Series, m: pd.Series) -> pd.Series:
    return pd.concat([r, m], axis=1).mean(axis=1)


def pa_group(f: pd.Series) -> pd.Series:
    bounds = [82, 86, 87.5, 89, 90.5, 92]
    out = []
    for x in f:
        if np.isnan(x):
            out.append(np.nan)
            continue
        for g, b in enumerate(bounds, 1):
            if x <= b:
                out.append(g)
                break
        else:
            out.append(min(int(np.ceil(x)) - 86, 34))
    return pd.Series(out, index=f.index)


def pupil_p8(
    ks4: pd.DataFrame, estimates: pd.DataFrame | None, national_sd: float | None
) -> pd.DataFrame:
    d = ks4.copy()
    d["pa_group"] = pa_group(fine_level(d.ks2_reading_scaled, d.ks2_maths_scaled))
    d = d[d.pa_group.notna() & d.attainment8.notna()].copy()
    d["pa_group"] = d.pa_group.astype(int)
    if estimates is not None:
        est = estimates.set_index("pa_group")["est_overall"]
        d["est"] = d.pa_group.map(est)
        d["p8"] = (d.attainment8 - d.est) / 10
        d["gmean"], d["gsd"] = 0.0, national_sd
    else:
        grp = d.groupby(["academic_year", "pa_group"]).attainment8
        d["est"] = grp.transform("mean").round(2)
        d["p8"] = (d.attainment8 - d.est) / 10
        d["gmean"] = (grp.transform("mean") - d.est) / 10
        d["gsd"] = grp.transform("std") / 10
        small = grp.transform("count") < 30
        year_sd = d.groupby("academic_year").p8.transform("std")
        d.loc[small, "gsd"] = year_sd[small]
    d["capped"] = (d.p8 - d.gmean) / d.gsd < CUT
    d["p8_capped"] = np.where(d.capped, d.gsd * CUT, d.p8)
    return d


def school_p8(pupils: pd.DataFrame, by: list[str], sigma: float | None) -> pd.DataFrame:
    out = pupils.groupby(by, as_index=False).agg(
        pupils=("p8_capped", "size"),
        score=("p8_capped", "mean"),
        score_orig=("p8", "mean"),
        capped_pupils=("capped", "sum"),
    )
    if sigma is None:
        sd = pupils.groupby("academic_year").p8_capped.std()
        sd_orig = pupils.groupby("academic_year").p8.std()
        s, so = out.academic_year.map(sd), out.academic_year.map(sd_orig)
    else:
        s = so = sigma
    half, half_o = Z * s / np.sqrt(out.pupils), Z * so / np.sqrt(out.pupils)
    out["ci_low"], out["ci_high"] = out.score - half, out.score + half
    out["ci_low_orig"], out["ci_high_orig"] = out.score_orig - half_o, out.score_orig + half_o
    return out


def t_mean(values: pd.Series) -> tuple[float, float, float, int]:
    v = values.dropna().to_numpy(float)
    n = len(v)
    m = v.mean()
    half = stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n)
    return m, m - half, m + half, n


def wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    denom = 1 + Z**2 / n
    centre = (p + Z**2 / (2 * n)) / denom
    half = Z * np.sqrt(p * (1 - p) / n + Z**2 / (4 * n * n)) / denom
    return centre - half, centre + half


def ratio_ci(y: np.ndarray, x: np.ndarray) -> tuple[float, float, float]:
    r = y.sum() / x.sum()
    n = len(y)
    se = np.sqrt(np.sum((y - r * x) ** 2) / (n * (n - 1))) / x.mean()
    return r, r - Z * se, r + Z * se


def ols_residuals(frame: pd.DataFrame, terms: list[str], cell: list[str]) -> pd.DataFrame:
    """Per cell: least-squares fit of ``outcome`` on ``terms``; residual / residual SD."""
    parts = []
    for _, part in frame.groupby(cell):
        x = part[terms].to_numpy(float)
        y = part.outcome.to_numpy(float)
        beta, *_ = np.linalg.lstsq(x, y, rcond=None)
        resid = y - x @ beta
        sigma = np.sqrt(resid @ resid / (len(y) - np.linalg.matrix_rank(x)))
        parts.append(part.assign(residual=resid, va=resid / sigma))
    return pd.concat(parts)


# --- unexplained exits and moves off roll --------------------------------------------------------

EXIT_EXPLAINED = {"transfer_state", "transfer_independent", "emigrated"}


def census(year: int) -> pd.Timestamp:
    """Third Thursday of January."""
    thursdays = pd.date_range(f"{year}-01-01", f"{year}-01-31", freq="W-THU")
    return thursdays[2]


def _fate(enrolments: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    e = enrolments.copy()
    e["start_date"], e["end_date"] = pd.to_datetime(e.start_date), pd.to_datetime(e.end_date)
    spells = e[(e.start_date <= last) & (e.end_date.isna() | (e.end_date >= first))]
    cohort = spells[spells.start_date <= first][["pupil_id", "urn"]].drop_duplicates()
    last_spell = spells.sort_values("start_date").groupby(["pupil_id", "urn"]).tail(1)
    d = cohort.merge(last_spell, on=["pupil_id", "urn"])
    d["left"] = d.end_date.notna() & (d.end_date <= last)
    reason = d.leaving_reason.fillna("")
    d["outcome"] = np.select(
        [
            ~d.left,
            reason.isin(EXIT_EXPLAINED),
            reason == "permanent_exclusion",
            reason == "end_of_phase",
        ],
        ["stayed", "explained", "excluded", "end_of_phase"],
        "unexplained",
    )
    return d


def _pupil_frame(d: pd.DataFrame, pupils, prior, start: int) -> pd.DataFrame:
    d = d.merge(pupils, on="pupil_id", how="left").merge(prior, on="pupil_id", how="left")
    birth = d.birth_year - (d.birth_month < 9).astype(float)
    end_start = d.end_date.dt.year - (d.end_date.dt.month < 9)
    recorded = (d.year_group - (end_start - start)).where(d.end_date.notna())
    d["nc_year"] = (start - birth - 5).fillna(recorded)
    fine = d[["ks2_reading_scaled", "ks2_maths_scaled"]].mean(axis=1)
    d["low_prior"] = np.where(fine.notna(), fine < 100, d.ks1_aps < 12)
    return d


def exits_reference(enrolments, pupils, prior, years: list[str], by: list[str]) -> pd.DataFrame:
    """Exits and moves off roll, every group, in plain pandas (rates in %, Wilson 95%)."""
    frames = []
    for year in years:
        start = int(year[:4])
        first, last = pd.Timestamp(start, 9, 1), pd.Timestamp(start + 1, 8, 31)
        d = _pupil_frame(_fate(enrolments, first, last), pupils, prior, start)
        d["academic_year"], d["measure"] = year, "unexplained exits"
        d["before"] = d.left & (d.end_date < census(start + 1))
        frames += _group_rows(d, timing=True)
        y10, y11 = census(start), census(start + 1)
        m = _pupil_frame(_fate(enrolments, y10, y11 - pd.Timedelta(days=1)), pupils, prior, start)
        m = m[(m.nc_year == 11) & (m.outcome != "end_of_phase")].copy()
        m["academic_year"], m["measure"] = year, "moves off roll Y10 to Y11"
        frames += _group_rows(m, timing=False)
    long = pd.concat(frames, ignore_index=True)
    keys = [*by, "measure", "group"]
    out = long.groupby(keys, as_index=False).agg(
        pupils=("pupil_id", "size"),
        exits=("u", "sum"),
        explained_moves=("x", "sum"),
        permanent_exclusions=("p", "sum"),
    )
    n, k = out.pupils.astype(float), out.exits.astype(float)
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * np.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    out["score"] = 100 * p
    out["ci_low"], out["ci_high"] = (
        (100 * (centre - half)).clip(0),
        (100 * (centre + half)).clip(upper=100),
    )
    return out


def _group_rows(d: pd.DataFrame, timing: bool) -> list[pd.DataFrame]:
    members = {
        "all": pd.Series(True, index=d.index),
        "SEN support": d.sen == "K",
        "EHC plan": d.sen == "E",
        "disadvantaged": d.disadvantaged.fillna(False).astype(bool),
        "looked after": d.looked_after.fillna(False).astype(bool),
        "low prior attainment": d.low_prior.astype(bool),
    }
    counted = {name: d.left for name in members}
    if timing:
        for year in (10, 11):
            members[f"Year {year}"], counted[f"Year {year}"] = d.nc_year == year, d.left
        before = "Year 11, left before the January census"
        members[before], counted[before] = d.nc_year == 11, d.before
    rows = []
    for name, member in members.items():
        member = member.fillna(False).astype(bool).to_numpy()
        g = d[member].copy()
        c = counted[name].fillna(False).astype(bool)[member]
        g["u"] = (c & (g.outcome == "unexplained")).astype(int)
        g["x"] = (c & (g.outcome == "explained")).astype(int)
        g["p"] = (c & (g.outcome == "excluded")).astype(int)
        rows.append(g.assign(group=name))
    return rows
