"""Group summaries: pupil-level scores -> one row per group with n, sums, score and interval.

This is the hand-over point between the engine and the statistics: the engine reduces pupils
to sufficient statistics (``pupils``, ``total``, ``total_sq``), and the interval formulas from
:mod:`trustlens.analytics.stats.intervals` are applied to those columns. The SD behind the
interval is, in order of preference: a national figure (DfE method), the SD of all pupils in the
supplied cohort (labelled ``cohort``), or each group's own SD with a Student-t quantile.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis

from trustlens.analytics.stats import intervals
from trustlens.analytics.stats.bands import band as dfe_band

#: How the SD behind an interval was chosen: a number (national), "cohort" or "group".
Sigma = float | str | None


def aggregate(table: ibis.Table, value: str, by: Sequence[str]) -> ibis.Table:
    """``pupils`` (non-null values), ``total`` and ``total_sq`` of ``value`` per group."""
    col = table[value]
    return table.group_by(list(by)).agg(
        pupils=col.count(), total=col.sum(), total_sq=(col * col).sum()
    )


def cohort_sd(
    summary: ibis.Table,
    keys: Sequence[str] = (),
    total: str = "total",
    total_sq: str = "total_sq",
) -> ibis.Value:
    """SD of all pupils' values across the groups of ``summary`` (per ``keys``), from the sums."""
    window = ibis.window(group_by=list(keys)) if keys else ibis.window()
    n = summary.pupils.sum().over(window)
    sums = summary[total].sum().over(window)
    squares = summary[total_sq].sum().over(window)
    return intervals.sample_sd(n.cast("float64"), sums, squares)


def add_interval(
    summary: ibis.Table,
    *,
    total: str = "total",
    total_sq: str = "total_sq",
    sigma: Sigma = "cohort",
    cohort_keys: Sequence[str] = (),
    level: float = 0.95,
    suffix: str = "",
) -> ibis.Table:
    """Add ``score``, ``sd``, ``se``, ``ci_low``, ``ci_high`` (each + ``suffix``) and
    ``sigma_source`` for the mean of ``total / pupils``.

    ``sigma``: a float (national SD: DfE method), ``"cohort"`` (SD of all pupils in the supplied
    data, per ``cohort_keys``), or ``"group"``/None (each group's own SD, Student-t quantile).
    """
    n = summary.pupils.cast("float64")
    if isinstance(sigma, int | float):
        sd, source, quantile = intervals.f64(sigma), "national", intervals.z_value(level)
    elif sigma == "cohort":
        sd = cohort_sd(summary, cohort_keys, total, total_sq)
        source, quantile = "cohort", intervals.z_value(level)
    elif sigma in (None, "group"):
        sd = intervals.sample_sd(n, summary[total], summary[total_sq])
        source, quantile = "group", intervals.t_value(n - 1, level)
    else:
        raise ValueError(f"sigma must be a number, 'cohort' or 'group', not {sigma!r}")
    name = {c: f"{c}{suffix}" for c in ("score", "sd", "se", "ci_low", "ci_high")}
    out = summary.mutate(**{name["score"]: summary[total] / n, name["sd"]: sd})
    out = out.mutate(**{name["se"]: out[name["sd"]] / out.pupils.cast("float64").sqrt()})
    half = quantile * out[name["se"]]
    out = out.mutate(
        **{name["ci_low"]: out[name["score"]] - half, name["ci_high"]: out[name["score"]] + half}
    )
    return out if suffix else out.mutate(sigma_source=ibis.literal(source))


def with_interval(
    summary: ibis.Table,
    *,
    sigma: Sigma = "cohort",
    cohort_keys: Sequence[str] = (),
    level: float = 0.95,
    well_threshold: float | None = None,
    with_band: bool = True,
) -> ibis.Table:
    """Add ``score`` (mean), ``sd``, ``se``, ``ci_low``, ``ci_high`` and ``band`` to a summary.

    See :func:`add_interval` for ``sigma``; ``sigma_source`` records which was used.
    """
    out = add_interval(summary, sigma=sigma, cohort_keys=cohort_keys, level=level)
    if with_band:
        out = out.mutate(band=dfe_band(out.score, out.ci_low, out.ci_high, well_threshold))
    return out


def summarise(
    table: ibis.Table,
    value: str,
    by: Sequence[str],
    *,
    sigma: Sigma = "cohort",
    cohort_keys: Sequence[str] = (),
    level: float = 0.95,
    well_threshold: float | None = None,
    with_band: bool = True,
) -> ibis.Table:
    """Aggregate a pupil-level ``value`` to ``by`` and add the mean's interval and band."""
    return with_interval(
        aggregate(table, value, by),
        sigma=sigma,
        cohort_keys=cohort_keys,
        level=level,
        well_threshold=well_threshold,
        with_band=with_band,
    )


def proportion_summary(
    table: ibis.Table, flag: str, by: Sequence[str], *, level: float = 0.95, scale: float = 100.0
) -> ibis.Table:
    """Share of pupils with ``flag`` true (as a percentage by default) with a Wilson interval."""
    col = table[flag]
    agg = table.group_by(list(by)).agg(pupils=col.count(), successes=col.cast("int64").sum())
    low, high = intervals.wilson_interval(
        agg.successes.cast("float64"), agg.pupils.cast("float64"), level
    )
    return agg.mutate(
        score=agg.successes.cast("float64") * scale / agg.pupils,
        ci_low=low * scale,
        ci_high=high * scale,
        band=ibis.null().cast("string"),
    )
