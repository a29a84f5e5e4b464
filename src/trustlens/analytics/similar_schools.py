"""Similar schools: the mainstream schools in England nearest to an academy in prior attainment,
disadvantage and size, and the range of their published results.

Method (ours, stated plainly; it is *not* the DfE's retired "similar schools" table, which
grouped schools by KS2 prior attainment alone and whose rules we cannot cite from a source held
here): each school is described by three features,

- **prior attainment**: the school's expected Attainment 8 from its pupils' KS2 results. The
  headline KS4 file publishes no KS2 average, so its best published proxy is used:
  ``ATT8SCR - 10 x P8MEA_ORIG`` (DfE guidance: pupil P8 = (A8 - estimate) / 10, so a school's
  mean estimate is its A8 minus 10 x its unadjusted P8; approximate because ATT8SCR covers all
  ``TPUP`` pupils and P8 only the ``P8PUP`` pupils with a KS2 result);
- **disadvantage**: ``PNUMFSMEVER`` from the census file (% of pupils eligible for free school
  meals in the last six years);
- **size**: ``log(NOR)`` from the census file (pupils on roll; logged so that 2,000 vs 1,000
  pupils counts as much as 500 vs 250);

standardised to z-scores over the candidate schools (RECTYPE 1, mainstream, with every feature
and a published P8), and the ``k = 20`` nearest by Euclidean distance are the similar schools
(the academy itself, when it is in the file, is left out). For the academy, the same features
come from its own data: the mean DfE KS4 estimate of its latest KS4 cohort's KS2 prior
attainment groups, its share of disadvantaged pupils on roll and its number on roll.

Their results are the published 2018/19 figures: Progress 8 ``P8MEA``, Attainment 8 ``ATT8SCR``,
English and maths 4+ ``PTL2BASICS_94`` and attendance ``100 - PERCTOT`` (absence file). For each,
the median, quartiles (IQR) and min-max over the neighbours with a published value.

Sources: DfE performance tables 2018/19 (``../shared/data/real/SOURCES.md``:
``kspdev_england_ks4provisional.csv``, ``kspdev_england_census.csv``, ``kspdev_england_abs.csv``,
read by ``trustlens.ingest.dfe.read_dfe``); DfE *Secondary accountability measures* guide (P8).
Django-free.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

K = 20
FEATURES = ("prior_a8", "disadvantaged_pct", "log_pupils")
FEATURE_LABELS = {
    "prior_a8": "Prior attainment (expected Attainment 8 from KS2)",
    "disadvantaged_pct": "Disadvantaged pupils (FSM in the last 6 years), %",
    "log_pupils": "Pupils on roll",
}
#: measure -> (label, column of :func:`national_schools`)
MEASURES = {
    "p8": ("Progress 8", "p8"),
    "a8": ("Attainment 8", "a8"),
    "em4": ("English and maths grade 4+, %", "em4"),
    "attendance": ("Attendance, %", "attendance"),
}


@dataclass(frozen=True)
class Features:
    """One school's features, in the units shown (``pupils`` is logged only for the distance)."""

    prior_a8: float
    disadvantaged_pct: float
    pupils: float

    def vector(self) -> dict[str, float]:
        return {
            "prior_a8": self.prior_a8,
            "disadvantaged_pct": self.disadvantaged_pct,
            "log_pupils": math.log(max(self.pupils, 1.0)),
        }


@dataclass(frozen=True)
class Spread:
    """The neighbours' distribution of one measure."""

    measure: str
    schools: int
    median: float | None
    q1: float | None
    q3: float | None
    low: float | None
    high: float | None


def national_schools(
    ks4: pl.DataFrame, census: pl.DataFrame, absence: pl.DataFrame
) -> pl.DataFrame:
    """Mainstream schools (RECTYPE 1) with their features and published results, one row per URN.

    Inputs are the national tables as ``read_dfe`` (or the store's national tables) hold them:
    lower-cased DfE column names. Schools lacking any feature or a P8 are left out."""
    schools = ks4.filter(
        (pl.col("rectype") == 1)
        & pl.col("urn").is_not_null()
        & pl.col("p8mea").is_not_null()
        & pl.col("p8mea_orig").is_not_null()
        & pl.col("att8scr").is_not_null()
    ).select(
        "urn",
        pl.col("school_name").alias("name"),
        pl.col("p8mea").alias("p8"),
        pl.col("att8scr").alias("a8"),
        pl.col("ptl2basics_94").alias("em4"),
        (pl.col("att8scr") - 10.0 * pl.col("p8mea_orig")).alias("prior_a8"),
    )
    roll = census.filter(pl.col("urn").is_not_null()).select(
        "urn",
        pl.col("pnumfsmever").alias("disadvantaged_pct"),
        pl.col("nor").cast(pl.Float64).alias("pupils"),
    )
    attendance = absence.filter(pl.col("urn").is_not_null()).select(
        "urn", (100.0 - pl.col("perctot")).alias("attendance")
    )
    out = schools.unique("urn", keep="first").join(roll.unique("urn", keep="first"), on="urn")
    out = out.join(attendance.unique("urn", keep="first"), on="urn", how="left")
    out = out.filter(
        pl.col("disadvantaged_pct").is_not_null() & (pl.col("pupils") > 0)
    ).with_columns(pl.col("pupils").log().alias("log_pupils"))
    return out.sort("urn")


def standardise(schools: pl.DataFrame) -> dict[str, tuple[float, float]]:
    """feature -> (mean, SD) over the candidate schools (the z-score scale)."""
    return {f: (float(schools[f].mean()), float(schools[f].std())) for f in FEATURES}


def nearest(
    schools: pl.DataFrame, features: Features, k: int = K, exclude_urn: int | None = None
) -> pl.DataFrame:
    """The ``k`` schools nearest to ``features`` (Euclidean distance in z-scores), nearest
    first, with a ``distance`` column; ``exclude_urn`` (the academy itself) is left out."""
    scale = standardise(schools)
    target = features.vector()
    squared = sum(((pl.col(f) - target[f]) / scale[f][1]) ** 2 for f in FEATURES)
    pool = schools if exclude_urn is None else schools.filter(pl.col("urn") != exclude_urn)
    return pool.with_columns(squared.sqrt().alias("distance")).sort("distance", "urn").head(k)


def features_of(schools: pl.DataFrame, urn: int) -> Features:
    """A school's own features from the national tables (for tests and schools in the file)."""
    row = schools.filter(pl.col("urn") == urn).row(0, named=True)
    return Features(row["prior_a8"], row["disadvantaged_pct"], row["pupils"])


def spread(values: list[float] | np.ndarray, measure: str) -> Spread:
    """Median, quartiles and range of the published values (missing ones left out)."""
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if data.size == 0:
        return Spread(measure, 0, None, None, None, None, None)
    q1, median, q3 = (float(x) for x in np.percentile(data, [25, 50, 75]))
    return Spread(measure, int(data.size), median, q1, q3, float(data.min()), float(data.max()))


def spreads(neighbours: pl.DataFrame) -> dict[str, Spread]:
    """measure -> the neighbours' :class:`Spread` for each of :data:`MEASURES`."""
    return {m: spread(neighbours[col].to_list(), m) for m, (_label, col) in MEASURES.items()}


def academy_features(
    ks4_estimates: list[float], disadvantaged: list[bool], on_roll: int
) -> Features | None:
    """An academy's features from its own data: the DfE KS4 estimates (A8) of its latest KS4
    cohort's prior attainment groups, the disadvantaged flags of its pupils on roll and the
    number on roll; None when any is missing (no KS4 cohort, nobody on roll)."""
    estimates = [e for e in ks4_estimates if e is not None and np.isfinite(e)]
    if not estimates or not disadvantaged or on_roll <= 0:
        return None
    share = 100.0 * sum(bool(d) for d in disadvantaged) / len(disadvantaged)
    return Features(float(np.mean(estimates)), share, float(on_roll))


def latest_year(frame: pl.DataFrame, column: str) -> str | None:
    """The newest academic year in which ``column`` has a value (None when there is none)."""
    if frame.height == 0 or "academic_year" not in frame.columns:
        return None
    years = frame.filter(pl.col(column).is_not_null())["academic_year"].unique().sort()
    return years[-1] if len(years) else None


def from_tables(
    ks4: pl.DataFrame, census: pl.DataFrame, absence: pl.DataFrame
) -> tuple[pl.DataFrame, str | None]:
    """:func:`national_schools` for the newest KS4 year with unadjusted P8 (the proxy needs it),
    with the census and absence of that year (or their newest when that year is missing)."""
    year = latest_year(ks4, "p8mea_orig")
    if year is None or latest_year(census, "nor") is None:
        return pl.DataFrame(), None

    def of_year(frame: pl.DataFrame, column: str) -> pl.DataFrame:
        years = set(frame["academic_year"].unique().to_list()) if frame.height else set()
        chosen = year if year in years else latest_year(frame, column)
        return frame.filter(pl.col("academic_year") == chosen)

    absence = (
        of_year(absence, "perctot")
        if absence.height
        else pl.DataFrame(schema={"urn": pl.Int64, "perctot": pl.Float64})
    )
    schools = national_schools(of_year(ks4, "p8mea_orig"), of_year(census, "nor"), absence)
    return schools, year
