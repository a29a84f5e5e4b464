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
