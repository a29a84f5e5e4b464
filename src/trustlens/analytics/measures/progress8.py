"""Progress 8 as the DfE computes it: estimates, pupil and element scores, capping, CIs, bands.

Sources:
- DfE, *Secondary accountability measures: guide for maintained secondary schools, academies and
  free schools* (2018-2024 editions): pupil P8 = (A8 - estimate) / 10; English and maths element
  scores / 2, EBacc and open / 3; school P8 = mean of pupil scores; 95% CI = P8 +- 1.96 x SD /
  sqrt(n) with the national SD of pupil P8; bands from the score and the CI.
- DfE KS4 ready-reckoner (dfe-analytical-services/KS4-ready-reckoners): the national estimates
  per prior attainment group, the national SDs, and the SQL that makes them: estimates are
  ``round(avg(att8), 2)`` per group; capping ("KS4 outliers.sql"): z = (P8 - group mean P8) /
  group SD; pupils with z below the cut (-2.8948556948 in 2022, about 1% of pupils) get
  ``cut x group SD``. Adjusted (headline) school P8 uses capped scores; ``_orig`` the uncapped.
- DfE KS4 performance tables metadata (``ks4_meta_methodology.csv``): capping since 2018.

With national parameters the group SDs behind the cap are not published, so the national
all-pupil SD stands in for every group (``cap_basis = "national SD"``). Without national
parameters the estimates, group SDs and interval SD all come from the supplied cohort
(``estimate_source = "cohort"``), which reproduces the DfE method exactly on a national cohort.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import ibis
from ibis import _

from trustlens.analytics.measures.prior import ks2_fine_level, p8_group, with_ks4_prior
from trustlens.analytics.measures.summary import add_interval, with_interval
from trustlens.analytics.national import CAP_Z_2022, NationalParameters, load_national
from trustlens.analytics.stats import intervals
from trustlens.analytics.stats.bands import band as dfe_band

#: Element -> (KS4 column, divisor) as in the DfE guidance.
ELEMENTS = {
    "overall": ("attainment8", 10.0),
    "english": ("a8_english", 2.0),
    "maths": ("a8_maths", 2.0),
    "ebacc": ("a8_ebacc", 3.0),
    "open": ("a8_open", 3.0),
}
#: Below this many pupils a prior attainment group's own SD is not used for capping.
CAP_MIN_GROUP = 30

National = NationalParameters | int | None


def resolve_national(national: National, status: str | None = None) -> NationalParameters | None:
    """Accept parameters, an exam year (``2023``) or None (estimates from the cohort)."""
    if national is None or isinstance(national, NationalParameters):
        return national
    return load_national(int(national), status)


def _eligible(ks4: ibis.Table) -> ibis.Table:
    """Pupils in the P8 measure: a KS2 prior attainment group and an Attainment 8 score.

    The filter comes first (a group exists exactly when a KS2 score does), so the engine never
    computes the group of a pupil it then drops."""
    table = ks4.filter(_has_prior(ks4) & ks4.attainment8.notnull())
    return with_ks4_prior(table, "ks2_reading_scaled", "ks2_maths_scaled")


def _has_prior(ks4: ibis.Table) -> ibis.Value:
    return ks4.ks2_reading_scaled.notnull() | ks4.ks2_maths_scaled.notnull()


def _eligible_lean(ks4: ibis.Table, keep: Sequence[str]) -> ibis.Table:
    """Only what the school summary needs: ``keep`` columns, ``pa_group`` and ``attainment8``.

    No fine level, prior band or KS2 columns travel on: the engine materialises the eligible
    pupils once (they feed both the group estimates and the join), so every column costs."""
    table = ks4.filter(_has_prior(ks4) & ks4.attainment8.notnull())
    fine = ks2_fine_level(table.ks2_reading_scaled, table.ks2_maths_scaled)
    table = table.mutate(ks2_fine_level=fine)
    return table.select(*keep, "attainment8", pa_group=p8_group(table.ks2_fine_level))


def _national_groups(params: NationalParameters) -> ibis.Table:
    """The shipped estimates as a small table, with the cap's group SD and mean."""
    frame = params.estimates.copy()
    frame["group_mean_p8"] = 0.0
    frame["group_sd_p8"] = params.sd["overall"]
    return ibis.memtable(frame)


def _cohort_groups(table: ibis.Table, min_group: int, elements: Sequence[str]) -> ibis.Table:
    """Estimates from the cohort (DfE: ``round(avg(att8), 2)``) plus P8 mean/SD per group."""
    keys = ["academic_year", "pa_group"]
    ests = {f"est_{e}": table[ELEMENTS[e][0]].mean().round(2) for e in elements}
    a8 = table.attainment8
    groups = table.group_by(keys).agg(
        n=a8.count(), a8_sum=a8.sum(), a8_sq=(a8 * a8).sum(), a8_sd=a8.std(), **ests
    )
    est = groups.est_overall
    p8_sum = (groups.a8_sum - groups.n * est) / 10.0
    p8_sq = (groups.a8_sq - 2.0 * est * groups.a8_sum + groups.n * est * est) / 100.0
    groups = groups.mutate(p8_sum=p8_sum, p8_sq=p8_sq)
    year = ibis.window(group_by="academic_year")
    year_sd = intervals.sample_sd(
        groups.n.sum().over(year).cast("float64"),
        groups.p8_sum.sum().over(year),
        groups.p8_sq.sum().over(year),
    )
    small = groups.n < min_group
    return groups.mutate(
        group_mean_p8=(groups.a8_sum / groups.n - est) / 10.0,
        group_sd_p8=small.ifelse(year_sd, groups.a8_sd / 10.0),
    ).drop("n", "a8_sum", "a8_sq", "a8_sd", "p8_sum", "p8_sq")


def pupil_progress8(
    ks4: ibis.Table,
    national: National = None,
    *,
    status: str | None = None,
    cap_z: float | None = None,
    cap_min_group: int = CAP_MIN_GROUP,
    elements: bool = True,
) -> ibis.Table:
    """Pupil P8 and element scores, capped and uncapped, one row per eligible pupil.

    ``national``: parameters, an exam year such as ``2023`` (revised preferred, or ``status``),
    or None for estimates from the supplied cohort (per ``academic_year``). Adds
    ``ks2_fine_level``, ``pa_group``, ``prior_band``, ``estimate`` (A8), ``p8``, ``p8_capped``,
    ``capped``, ``p8_english``/``_maths``/``_ebacc``/``_open`` (unless ``elements=False``, when
    only the A8 columns are needed) and ``estimate_source``.
    """
    params = resolve_national(national, status)
    wanted = list(ELEMENTS) if elements else ["overall"]
    out, source = _scored(_eligible(ks4), params, cap_z, cap_min_group, wanted)
    out = out.mutate(estimate=out.est_overall, estimate_source=ibis.literal(source))
    drop = [c for c in out.columns if c.startswith("est_")]
    return out.drop(*drop, "group_mean_p8", "group_sd_p8")


def _scored(
    table: ibis.Table,
    params: NationalParameters | None,
    cap_z: float | None,
    cap_min_group: int,
    wanted: Sequence[str],
) -> tuple[ibis.Table, str]:
    """Eligible pupils joined to their group's estimates (a small per-group table, never a
    window over pupils), with ``p8`` (and element scores), ``capped`` and ``p8_capped``."""
    if params is not None:
        groups, keys, source = _national_groups(params), ["pa_group"], params.label
        cut = params.cap_z if cap_z is None else cap_z
    else:
        groups = _cohort_groups(table, cap_min_group, wanted)
        keys, source = ["academic_year", "pa_group"], "cohort"
        cut = CAP_Z_2022 if cap_z is None else cap_z
    return _score(table.inner_join(groups, keys), cut, wanted), source


def _score(joined: ibis.Table, cut: float, wanted: Sequence[str]) -> ibis.Table:
    """``p8`` (and element scores), ``capped`` and ``p8_capped`` from the joined estimates."""
    scores = {
        f"p8_{e}" if e != "overall" else "p8": (joined[ELEMENTS[e][0]] - joined[f"est_{e}"])
        / ELEMENTS[e][1]
        for e in wanted
    }
    out = joined.mutate(**scores)
    z = (out.p8 - out.group_mean_p8) / out.group_sd_p8
    capped = (z < cut).fill_null(False)
    return out.mutate(capped=capped, p8_capped=capped.ifelse(out.group_sd_p8 * cut, out.p8))


def _cohort_cells(table: ibis.Table, min_group: int) -> ibis.Table:
    """Per academic year and KS2 fine level (a few hundred cells): the level's prior attainment
    group and that group's estimate (``round(mean A8, 2)``), P8 mean and P8 SD.

    Built from sums per cell, so the pupils need no group of their own: they join this table
    on (year, fine level), and the 34-way banding runs on the cells, not on every pupil. The
    group SD comes from the summed squares (the sample SD formula), as the year SD does."""
    a8 = table.attainment8
    cells = table.group_by(["academic_year", "ks2_fine_level"]).agg(
        n=a8.count(), a8_sum=a8.sum(), a8_sq=(a8 * a8).sum()
    )
    cells = cells.mutate(pa_group=p8_group(cells.ks2_fine_level))
    keys = ["academic_year", "pa_group"]
    groups = cells.group_by(keys).agg(
        n=cells.n.sum().cast("float64"), a8_sum=cells.a8_sum.sum(), a8_sq=cells.a8_sq.sum()
    )
    mean = groups.a8_sum / groups.n
    est = mean.round(2)
    groups = groups.mutate(
        est_overall=est,
        p8_sum=(groups.a8_sum - groups.n * est) / 10.0,
        p8_sq=(groups.a8_sq - 2.0 * est * groups.a8_sum + groups.n * est * est) / 100.0,
        group_mean_p8=(mean - est) / 10.0,
        own_sd=intervals.sample_sd(groups.n, groups.a8_sum, groups.a8_sq) / 10.0,
    )
    year = ibis.window(group_by="academic_year")
    year_sd = intervals.sample_sd(
        groups.n.sum().over(year), groups.p8_sum.sum().over(year), groups.p8_sq.sum().over(year)
    )
    groups = groups.mutate(group_sd_p8=(groups.n < min_group).ifelse(year_sd, groups.own_sd))
    groups = groups.select(*keys, "est_overall", "group_mean_p8", "group_sd_p8")
    joined = cells.inner_join(groups, keys)
    return joined.select(
        "academic_year", "ks2_fine_level", "est_overall", "group_mean_p8", "group_sd_p8"
    )


def _sigmas(params: NationalParameters | None) -> tuple[float | str, float | str]:
    """SD for the adjusted and the unadjusted interval."""
    if params is None:
        return "cohort", "cohort"
    return params.sd["overall"], params.sd["overall"]


def summarise_progress8(
    pupils: ibis.Table,
    by: Sequence[str],
    params: NationalParameters | None,
    level: float = 0.95,
    *,
    source: str | None = None,
) -> ibis.Table:
    """School (or any group's) P8 from pupil scores: adjusted headline and ``_orig``.

    ``source`` (the estimate source) is written as a constant when given; otherwise it is read
    from the pupils' ``estimate_source`` column."""
    keys = list(by)
    label = {} if source else {"estimate_source": _.estimate_source.max()}
    agg = pupils.group_by(keys).agg(
        pupils=_.p8_capped.count(),
        total=_.p8_capped.sum(),
        total_sq=(_.p8_capped * _.p8_capped).sum(),
        total_orig=_.p8.sum(),
        total_sq_orig=(_.p8 * _.p8).sum(),
        capped_pupils=_.capped.cast("int64").sum(),
        attainment8=_.attainment8.mean(),
        **label,
    )
    if source:
        agg = agg.mutate(estimate_source=ibis.literal(source))
    sigma, sigma_orig = _sigmas(params)
    cohort_keys = [k for k in ("academic_year",) if k in keys]
    out = with_interval(agg, sigma=sigma, cohort_keys=cohort_keys, level=level, well_threshold=0.5)
    out = add_interval(
        out,
        total="total_orig",
        total_sq="total_sq_orig",
        sigma=sigma_orig,
        cohort_keys=cohort_keys,
        level=level,
        suffix="_orig",
    )
    out = out.mutate(band_orig=dfe_band(out.score_orig, out.ci_low_orig, out.ci_high_orig, 0.5))
    return out.drop("sd_orig", "se_orig")


def progress8(
    ks4: ibis.Table,
    national: National = None,
    *,
    by: Sequence[str] = ("urn", "academic_year"),
    status: str | None = None,
    cap_z: float | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """School P8 (or any grouping's): one row per ``by`` group.

    Columns: the keys, ``pupils`` (P8PUP), ``score`` (adjusted P8, P8MEA), ``ci_low``,
    ``ci_high``, ``band`` (DfE), ``score_orig``/``ci_low_orig``/``ci_high_orig``/``band_orig``
    (uncapped), ``capped_pupils`` (TP8ADJ), ``attainment8`` (mean A8 of the P8 cohort),
    ``se``, ``sd``, ``sigma_source``, ``estimate_source``, and the sums for later pooling.
    ``by=("academic_year",)`` gives the trust's own pupil-weighted row.

    The expression is built once per (table, arguments) and reused: building and compiling
    it costs more than running it on a national cohort (see benchmarks/national_p8.py).
    """
    params = resolve_national(national, status)
    if params is None or isinstance(national, int):
        return _progress8_cached(ks4, national, tuple(by), status, cap_z, level)
    return _progress8_expr(ks4, params, tuple(by), cap_z, level)


@functools.lru_cache(maxsize=64)
def _progress8_cached(
    ks4: ibis.Table,
    national: int | None,
    by: tuple[str, ...],
    status: str | None,
    cap_z: float | None,
    level: float,
) -> ibis.Table:
    return _progress8_expr(ks4, resolve_national(national, status), by, cap_z, level)


def _progress8_expr(
    ks4: ibis.Table,
    params: NationalParameters | None,
    by: tuple[str, ...],
    cap_z: float | None,
    level: float,
) -> ibis.Table:
    if params is None:  # estimates from the cohort: pupils join their (year, fine level) cell
        keep = list(dict.fromkeys([*by, "academic_year"]))
        eligible = ks4.filter(_has_prior(ks4) & ks4.attainment8.notnull())
        fine = ks2_fine_level(eligible.ks2_reading_scaled, eligible.ks2_maths_scaled)
        eligible = eligible.select(*keep, "attainment8", ks2_fine_level=fine)
        cells = _cohort_cells(eligible, CAP_MIN_GROUP)
        joined = eligible.inner_join(cells, ["academic_year", "ks2_fine_level"])
        pupils = _score(joined, CAP_Z_2022 if cap_z is None else cap_z, ["overall"])
        return summarise_progress8(pupils, by, params, level, source="cohort")
    pupils, source = _scored(
        _eligible_lean(ks4, list(by)), params, cap_z, CAP_MIN_GROUP, ["overall"]
    )
    return summarise_progress8(pupils, by, params, level, source=source)


def progress8_elements(
    ks4: ibis.Table,
    national: National = None,
    *,
    by: Sequence[str] = ("urn", "academic_year"),
    status: str | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Element P8 scores (English, maths, EBacc, open; uncapped) in long form with an ``element``
    key, each with the element's national SD in its interval (or the cohort SD)."""
    params = resolve_national(national, status)
    pupils = pupil_progress8(ks4, params)
    parts = []
    for element in ELEMENTS:
        if element == "overall":
            continue
        column = f"p8_{element}"
        agg = pupils.group_by(list(by)).agg(
            pupils=pupils[column].count(),
            total=pupils[column].sum(),
            total_sq=(pupils[column] * pupils[column]).sum(),
        )
        sigma = params.sd[element] if params else "cohort"
        cohort_keys = [k for k in ("academic_year",) if k in by]
        part = with_interval(agg, sigma=sigma, cohort_keys=cohort_keys, level=level)
        parts.append(part.mutate(element=ibis.literal(element)))
    return ibis.union(*parts)
