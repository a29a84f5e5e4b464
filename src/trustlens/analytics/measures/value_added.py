"""In-year value added on any assessment window, comparable across academies.

Method (the DfE's value-added logic applied to a trust's own assessments, as DESIGN.md section 4
describes): within each model cell (academic year, term, subject, year group, scale) the
expected score is a regression on prior attainment - the KS2 fine level for secondary year
groups, KS1 APS for primary - with a quadratic term; optionally ("contextualised", labelled as
such) also disadvantaged, SEN support / EHC plan, EAL and month of birth, as contextual value
added did (DfE CVA 2006-2010; FFT Aspire's contextual estimates). Residuals are standardised by
the cell's residual SD, so scores are in SD units and comparable across subjects and scales,
then aggregated like P8: mean residual per group, interval from the cohort SD of the
aggregated units.

The regression is fitted on group summaries: the engine returns X'X and X'y per cell (one small
aggregate) and numpy solves the normal equations; the residuals are then an Ibis expression
again. Fit on a reference set (e.g. previous years) with :func:`fit_expected` and apply it with
:func:`pupil_value_added` to get value added against the trust's history.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import numpy as np
import pandas as pd
from ibis import _

from trustlens.analytics.measures.groups import with_groups, with_pupils
from trustlens.analytics.measures.prior import ks1_band, ks2_band, ks2_fine_level
from trustlens.analytics.measures.summary import with_interval
from trustlens.analytics.stats.intervals import f64

CELL_KEYS = ("academic_year", "term", "subject", "year_group", "scale")
BAND_POINTS = {"WTS": 1.0, "EXS": 2.0, "GDS": 3.0}
BASE_TERMS = ("one", "prior", "prior_sq")
CONTEXT_TERMS = ("disadv", "sen_k", "sen_e", "eal", "summer")
PRIOR_LABEL = "prior attainment"
CONTEXT_LABEL = "prior attainment + context (disadvantaged, SEN, EAL, month of birth)"


def assessment_frame(
    results: ibis.Table, prior: ibis.Table, pupils: ibis.Table | None = None
) -> ibis.Table:
    """Results with a numeric ``outcome``, centred ``prior`` (KS2 for Y7+, KS1 for Y1-6),
    ``prior_band`` and, when ``pupils`` is given, the context terms."""
    table = results.inner_join(prior, "pupil_id")
    secondary = table.year_group >= 7
    fine = ks2_fine_level(table.ks2_reading_scaled, table.ks2_maths_scaled)
    outcome = (table.scale == "band").ifelse(
        table.band.substitute(
            {band: f64(points) for band, points in BAND_POINTS.items()},
            else_=ibis.null().cast("float64"),
        ),
        table.value,
    )
    table = table.mutate(
        outcome=outcome,
        prior=secondary.ifelse(fine - 100.0, table.ks1_aps - 15.0),
        prior_band=secondary.ifelse(ks2_band(fine), ks1_band(table.ks1_aps)),
    )
    table = table.filter(_.outcome.notnull() & _.prior.notnull())
    table = table.mutate(one=f64(1.0), prior_sq=_.prior * _.prior)
    return _with_context(table, pupils) if pupils is not None else table


def _with_context(table: ibis.Table, pupils: ibis.Table) -> ibis.Table:
    table = with_pupils(table, pupils)
    return table.mutate(
        disadv=table.disadvantaged.fill_null(False).cast("float64"),
        sen_k=(table.sen == "K").fill_null(False).cast("float64"),
        sen_e=(table.sen == "E").fill_null(False).cast("float64"),
        eal=table.eal.fill_null(False).cast("float64"),
        summer=((table.birth_month + 3) % 12).fill_null(6).cast("float64") / 11.0,
    )


def _terms(context: bool) -> tuple[str, ...]:
    return BASE_TERMS + CONTEXT_TERMS if context else BASE_TERMS


def normal_equations(
    frame: ibis.Table, context: bool = False, cell_keys: Sequence[str] = CELL_KEYS
) -> ibis.Table:
    """Per model cell: n, sum y^2, X'y and the upper triangle of X'X (an Ibis aggregate)."""
    terms = _terms(context)
    sums = {"n": frame.outcome.count(), "yy": (frame.outcome * frame.outcome).sum()}
    for i, a in enumerate(terms):
        sums[f"xy_{a}"] = (frame[a] * frame.outcome).sum()
        for b in terms[i:]:
            sums[f"xx_{a}_{b}"] = (frame[a] * frame[b]).sum()
    return frame.group_by(list(cell_keys)).agg(**sums)


def solve_cells(sums: pd.DataFrame, context: bool = False) -> pd.DataFrame:
    """Coefficients ``b_<term>`` and residual SD ``sigma`` per cell (numpy, least squares)."""
    terms = _terms(context)
    k = len(terms)
    rows = []
    for _i, row in sums.iterrows():
        xtx = np.empty((k, k))
        for i, a in enumerate(terms):
            for j, b in enumerate(terms):
                key = f"xx_{a}_{b}" if i <= j else f"xx_{b}_{a}"
                xtx[i, j] = row[key]
        xty = np.array([row[f"xy_{a}"] for a in terms], dtype=float)
        beta = np.linalg.lstsq(xtx, xty, rcond=1e-10)[0]
        rank = np.linalg.matrix_rank(xtx)
        dof = row["n"] - rank
        rss = row["yy"] - float(beta @ xty)
        sigma = np.sqrt(max(rss, 0.0) / dof) if dof > 0 else np.nan
        rows.append({**{f"b_{t}": beta[i] for i, t in enumerate(terms)}, "sigma": sigma})
    keys = [c for c in sums.columns if not c.startswith(("xx_", "xy_")) and c not in ("n", "yy")]
    columns = [*[f"b_{t}" for t in terms], "sigma"]
    solved = pd.DataFrame(rows, columns=columns, dtype=float)
    coef = pd.concat([sums[keys].reset_index(drop=True), solved], axis=1)
    coef["model_pupils"] = sums["n"].to_numpy()
    coef["model"] = CONTEXT_LABEL if context else PRIOR_LABEL
    return coef


def fit_expected(
    frame: ibis.Table, context: bool = False, cell_keys: Sequence[str] = CELL_KEYS
) -> pd.DataFrame:
    """Fit the expected-score model on ``frame`` (executes one small aggregate)."""
    sums = normal_equations(frame, context, cell_keys).to_pyarrow().to_pandas()
    return solve_cells(sums, context)


def pupil_value_added(
    results: ibis.Table,
    prior: ibis.Table,
    pupils: ibis.Table | None = None,
    *,
    context: bool = False,
    coefficients: pd.DataFrame | None = None,
    cell_keys: Sequence[str] = CELL_KEYS,
) -> ibis.Table:
    """Pupil rows with ``expected``, ``residual`` and ``va`` (residual in SD units) and ``model``.

    Without ``coefficients`` the model is fitted on the same results (value added relative to the
    trust's own cohort; the fit executes one small aggregate). ``pupils`` is needed for context.
    """
    if context and pupils is None:
        raise ValueError("contextual value added needs the pupils table")
    frame = assessment_frame(results, prior, pupils if context else None)
    if coefficients is None:
        coefficients = fit_expected(frame, context, cell_keys)
    terms = [c[2:] for c in coefficients.columns if c.startswith("b_")]
    coef = ibis.memtable(coefficients[[*cell_keys, *[f"b_{t}" for t in terms], "sigma", "model"]])
    joined = frame.inner_join(coef, list(cell_keys)).filter(_.sigma > 0)
    expected = sum((joined[t] * joined[f"b_{t}"] for t in terms[1:]), joined[f"b_{terms[0]}"])
    out = joined.mutate(expected=expected)
    out = out.mutate(residual=out.outcome - out.expected)
    out = out.mutate(va=out.residual / out.sigma)
    return out.drop(*[f"b_{t}" for t in terms])


def value_added(
    pupil_va: ibis.Table,
    *,
    by: Sequence[str] = ("urn", "academic_year", "term"),
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Mean value added (SD units) per group with its interval and band.

    When ``subject`` is not a key, each pupil's residuals are first averaged across subjects so
    a pupil counts once (``pupils`` is then a count of pupils, not of results). The interval uses
    the cohort SD of those units within each window (``academic_year``, ``term``).
    """
    table = with_groups(pupil_va, by, pupils, academies)
    keys = list(by)
    if "subject" not in keys:
        unit_keys = [*keys, "pupil_id"]
        table = table.group_by(unit_keys).agg(va=_.va.mean(), model=_.model.max())
    agg = table.group_by(keys).agg(
        pupils=_.va.count(), total=_.va.sum(), total_sq=(_.va * _.va).sum(), model=_.model.max()
    )
    window_keys = [k for k in ("academic_year", "term") if k in keys]
    return with_interval(agg, sigma="cohort", cohort_keys=window_keys, level=level).mutate(
        unit=ibis.literal("SD")
    )
