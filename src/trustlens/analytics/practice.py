"""Practice and performance: each practice area's score against pupils' outcomes, multilevel.

The model, fitted once per area ``a`` (pupils ``i`` within academies ``j``)::

    outcome_ij = b0 + b1 * prior_ij + b2 * disadvantaged_ij + g_a * score_aj + u_j + e_ij,
    u_j ~ N(0, tau^2),  e_ij ~ N(0, sigma^2)

is the random-intercept linear mixed model (Laird & Ware 1982; Snijders & Bosker, *Multilevel
Analysis*, 2nd ed. 2012, ch. 4-6) that statsmodels' ``MixedLM`` fits, estimated by restricted
maximum likelihood (REML; Patterson & Thompson 1971). ``g_a`` is the association: outcome
points per one point of area score (1-5 scale), other things in the model equal.

It is fitted from per-academy sufficient statistics (n, sums and cross-products of the pupil
covariates and the outcome), which the engine computes as one small Ibis aggregate: with a
random intercept, ``V_j^-1 = (I - c_j 11') / sigma^2``, ``c_j = lambda / (1 + n_j lambda)``,
``lambda = tau^2 / sigma^2``, so the GLS normal equations and the profiled REML likelihood need
only those sums (Searle, Casella & McCulloch, *Variance Components*, 1992, ch. 6). REML is
profiled over ``lambda`` (one bounded scalar search); ``tests/analytics/test_practice.py``
checks the estimates against ``statsmodels.regression.mixed_linear_model.MixedLM``.

The interval for ``g_a`` uses Student's t with ``J - 2`` degrees of freedom (J academies; the
intercept and the area score are academy-level), the "between-within" / containment rule for
a cluster-level predictor (SAS PROC MIXED ``DDFM=BW``; Li & Redden 2015, *BMC Med Res Methodol*
15:38, on small numbers of clusters): with 10-20 academies the normal interval MixedLM reports
is too narrow. p values over the ten areas are adjusted by Benjamini & Hochberg (1995).

Fewer than ``MIN_ACADEMIES`` academies with both a profile and outcomes: no fit, a reason.

Pure Python (numpy, scipy, pandas): no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

#: The ten areas (code, title), in the seeds' order: "the known unknowns" of trust practice.
AREAS: tuple[tuple[str, str], ...] = (
    ("tl_vision", "Teaching and learning vision"),
    ("learning_needs", "The spectrum of learning needs"),
    ("behaviour", "Behaviour systems"),
    ("improvement_support", "Supporting academies to improve"),
    ("consistency", "Consistency and local identity"),
    ("quality_assurance", "Quality assurance"),
    ("leadership", "Leadership deployment and development"),
    ("staff_development", "Professional development and performance management"),
    ("pedagogy", "Specific pedagogical approaches"),
    ("variation", "Variation in performance within the trust"),
)
#: Short labels for charts.
AREA_SHORT = {
    "tl_vision": "T&L vision",
    "learning_needs": "Learning needs",
    "behaviour": "Behaviour systems",
    "improvement_support": "Improvement support",
    "consistency": "Consistency / identity",
    "quality_assurance": "Quality assurance",
    "leadership": "Leadership",
    "staff_development": "CPD and performance mgmt",
    "pedagogy": "Pedagogical approaches",
    "variation": "Within-trust variation",
}
AREA_CODES = tuple(code for code, _title in AREAS)
AREA_TITLES = dict(AREAS)
MIN_ACADEMIES = 10
#: Pupil-level terms of the design (besides the intercept); the area score is added last.
PUPIL_TERMS = ("prior", "disadv")
#: Per-academy sums the fit needs (see :func:`trustlens.analytics.practice_data.academy_sums`).
SUM_COLUMNS = (
    "n",
    "s_y",
    "s_yy",
    "s_prior",
    "s_disadv",
    "s_prior_prior",
    "s_prior_disadv",
    "s_disadv_disadv",
    "s_prior_y",
    "s_disadv_y",
)
OUTCOMES = {
    "va": "in-year value added (SD units)",
    "p8": "Progress 8 (P8 points)",
    "attendance": "attendance (percentage points)",
}


@dataclass(frozen=True)
class ClusterStats:
    """Per-academy sufficient statistics of one design: X'X (J,p,p), X'y (J,p), X'1 (J,p),
    1'y, y'y and n (J,)."""

    xtx: np.ndarray
    xty: np.ndarray
    xsum: np.ndarray
    ysum: np.ndarray
    yy: np.ndarray
    n: np.ndarray


@dataclass(frozen=True)
class MixedFit:
    """REML fit of the random-intercept model: ``beta``, its covariance, the variances."""

    beta: np.ndarray
    cov: np.ndarray
    sigma2: float
    tau2: float
    n_academies: int
    n_pupils: int


def cluster_stats(sums: Mapping, score: np.ndarray) -> ClusterStats:
    """The design [1, prior, disadv, score] per academy from its pupil sums (a frame or a
    mapping of arrays, :data:`SUM_COLUMNS`) and its area score."""
    col = {name: np.asarray(sums[name], dtype=float) for name in SUM_COLUMNS}
    n, sp, sd = col["n"], col["s_prior"], col["s_disadv"]
    pp, pd_, dd = col["s_prior_prior"], col["s_prior_disadv"], col["s_disadv_disadv"]
    xsum = np.stack([n, sp, sd, n * score], axis=1)
    pupil_block = np.stack(
        [np.stack([n, sp, sd], 1), np.stack([sp, pp, pd_], 1), np.stack([sd, pd_, dd], 1)], 1
    )
    xtx = np.zeros((len(n), 4, 4))
    xtx[:, :3, :3] = pupil_block
    xtx[:, 3, :3] = xtx[:, :3, 3] = xsum[:, :3] * score[:, None]
    xtx[:, 3, 3] = n * score**2
    ysum, py, dy = col["s_y"], col["s_prior_y"], col["s_disadv_y"]
    xty = np.stack([ysum, py, dy, score * ysum], axis=1)
    return ClusterStats(xtx, xty, xsum, ysum, col["s_yy"], n)


def _gls(st: ClusterStats, lam: float) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(A, beta, RSS, sum log(1 + n_j lambda)) at variance ratio ``lam`` (sigma^2 factored out)."""
    c = lam / (1.0 + st.n * lam)
    a = st.xtx.sum(0) - np.einsum("j,ji,jk->ik", c, st.xsum, st.xsum)
    b = st.xty.sum(0) - np.einsum("j,ji->i", c * st.ysum, st.xsum)
    beta = np.linalg.solve(a, b)
    rss = float(st.yy.sum() - (c * st.ysum**2).sum() - b @ beta)
    return a, beta, rss, float(np.log1p(st.n * lam).sum())


def _reml_deviance(st: ClusterStats, lam: float) -> float:
    """-2 x profiled REML log-likelihood, up to a constant."""
    a, _beta, rss, logdet_v = _gls(st, lam)
    dof = st.n.sum() - a.shape[0]
    return float(dof * np.log(max(rss, 1e-300) / dof) + logdet_v + np.linalg.slogdet(a)[1])


def fit_mixed(st: ClusterStats, max_log_ratio: float = 6.0) -> MixedFit:
    """REML fit: bounded search over log(lambda), the boundary lambda = 0 checked too."""
    found = optimize.minimize_scalar(
        lambda t: _reml_deviance(st, float(np.exp(t))),
        bounds=(-14.0, max_log_ratio),
        method="bounded",
        options={"xatol": 1e-5},
    )
    lam = float(np.exp(found.x))
    if _reml_deviance(st, 0.0) <= found.fun:
        lam = 0.0
    a, beta, rss, _ = _gls(st, lam)
    dof = st.n.sum() - a.shape[0]
    sigma2 = rss / dof
    return MixedFit(
        beta, sigma2 * np.linalg.inv(a), sigma2, lam * sigma2, len(st.n), int(st.n.sum())
    )


def bh_adjust(p_values: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg (1995) adjusted p values (step-up; NaN kept as NaN)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    order = np.argsort(p[ok])
    ranked = p[ok][order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    values = np.empty(m)
    values[order] = adjusted
    out[ok] = values
    return out


@dataclass(frozen=True)
class AreaEstimate:
    """One area's association: coefficient, interval, raw p (t with J - 2 df)."""

    area: str
    coefficient: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_academies: int
    n_pupils: int
    score_sd: float


def estimate_area(
    area: str, sums: pd.DataFrame, scores: pd.Series, level: float = 0.95
) -> AreaEstimate | None:
    """Fit one area on the academies that have both sums and a score (None: fewer than 3,
    or every academy scored the same). ``sums`` is indexed by urn."""
    aligned = scores.reindex(sums.index).to_numpy(float)
    keep = ~np.isnan(aligned)
    score = aligned[keep]
    if keep.sum() < 3 or np.ptp(score) == 0:
        return None
    arrays = {name: sums[name].to_numpy(float)[keep] for name in SUM_COLUMNS}
    fit = fit_mixed(cluster_stats(arrays, score - score.mean()))
    coef, se = float(fit.beta[3]), float(np.sqrt(fit.cov[3, 3]))
    dof = max(fit.n_academies - 2, 1)
    half = stats.t.ppf(0.5 + level / 2, dof) * se
    p = float(2 * stats.t.sf(abs(coef / se), dof)) if se > 0 else float("nan")
    return AreaEstimate(
        area, coef, se, coef - half, coef + half, p, fit.n_academies, fit.n_pupils, score.std()
    )


@dataclass(frozen=True)
class PracticeAnalysis:
    """The ten rows (empty when refused) and, when refused, why."""

    rows: pd.DataFrame
    refused: str | None
    outcome: str
    n_academies: int


ROW_COLUMNS = (
    "area",
    "title",
    "n_academies",
    "n_pupils",
    "coefficient",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "caution",
)


def refusal(n_academies: int, minimum: int = MIN_ACADEMIES) -> str | None:
    """Why no model is fitted, or None when there are enough academies."""
    if n_academies >= minimum:
        return None
    have = "academy has" if n_academies == 1 else "academies have"
    return (
        f"Not fitted: only {n_academies} {have} both a practice profile and pupil "
        f"outcomes; the model needs at least {minimum}. With fewer, an academy-level score "
        "cannot be separated from everything else that differs between academies, and the "
        "interval would be too wide to tell anything."
    )


def analyse(
    sums: pd.DataFrame,
    profile: pd.DataFrame,
    outcome: str = "va",
    *,
    minimum: int = MIN_ACADEMIES,
    level: float = 0.95,
) -> PracticeAnalysis:
    """One row per area from per-academy ``sums`` (``urn`` + :data:`SUM_COLUMNS`) and the
    ``profile`` (``urn``, ``area``, ``score``); refused below ``minimum`` academies."""
    sums = sums[sums["n"] > 0].set_index("urn")
    profiled = set(profile["urn"]) & set(sums.index)
    reason = refusal(len(profiled), minimum)
    if reason:
        return PracticeAnalysis(
            pd.DataFrame(columns=list(ROW_COLUMNS)), reason, outcome, len(profiled)
        )
    wide = profile.pivot_table(index="urn", columns="area", values="score", aggfunc="mean")
    found = [
        e
        for code in AREA_CODES
        if code in wide and (e := estimate_area(code, sums, wide[code], level)) is not None
    ]
    rows = pd.DataFrame([e.__dict__ for e in found])
    if rows.empty:
        return PracticeAnalysis(pd.DataFrame(columns=list(ROW_COLUMNS)), reason, outcome, 0)
    rows["p_adjusted"] = bh_adjust(rows["p_value"].to_numpy())
    rows["title"] = rows["area"].map(AREA_TITLES)
    rows["caution"] = [caution(r, outcome) for r in rows.to_dict("records")]
    return PracticeAnalysis(rows[list(ROW_COLUMNS)], None, outcome, len(profiled))


def verdict(row: Mapping) -> str:
    """What the interval and the adjusted p say, in words."""
    if row["ci_low"] <= 0 <= row["ci_high"]:
        return "The interval includes no association."
    if row.get("p_adjusted", 1) < 0.05:
        return "The interval excludes no association, even after adjusting for ten comparisons."
    return "The interval excludes no association, but not after adjusting for ten comparisons."


def caution(row: Mapping, outcome: str) -> str:
    """The words every row carries: association not cause, how many academies, what else."""
    n = int(row["n_academies"])
    strength = verdict(row)
    few = " With so few academies one academy can move the estimate a lot." if n < 20 else ""
    return (
        f"An association across {n} academies, not a cause: academies that score higher on "
        f"this area may differ in intake, phase, size, leadership or other practices, and the "
        f"ten areas are correlated. {strength}{few} Outcome: {OUTCOMES.get(outcome, outcome)}."
    )
