"""Reporting units: one pupil-level table "exploded" into every unit the dashboards report on.

A pupil row is copied once per unit it belongs to: its academy, cluster, region and the trust,
and (for recent periods) its pupil group at academy and trust level. Each copy carries
``level``, ``unit_key``, ``breakdown`` and ``grp`` columns, so one analytics call grouped by those
columns computes every unit in a single query instead of one query per level and group. The
figures are identical to separate calls wherever the interval uses a national SD or the
group's own data (P8, attainment, attendance, proportions, rates); for measures whose interval
uses the SD of the whole cohort (value added, KS2 progress) the callers pass the level and
breakdown as cohort keys so the pooled SD is taken within each level, exactly as a separate
call per level would.

Measures whose analytics function fixes its own grouping (attendance, exclusions group by
``urn`` internally) get a composite ``urn`` (``level|unit|breakdown|group``) that is split
again afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis
import numpy as np
import pandas as pd

FACT_COLUMNS = (
    "level",
    "unit",
    "measure",
    "period",
    "period_order",
    "breakdown",
    "group",
    "pupils",
    "score",
    "ci_low",
    "ci_high",
    "se",
    "sd",
    "band",
    "flag",
    "note",
)
UNIT_KEYS = (
    "level",
    "unit_key",
    "breakdown",
    "grp",
)  # "unit" would clash with analytics' unit column
TERM_ORDER = {"autumn": 1, "spring": 2, "summer": 3}
ANNUAL = 4  #: an academic-year figure sorts after that year's summer window
PUPIL_BREAKDOWNS = ("disadvantaged", "sen", "eal", "sex")
#: Organisation levels: (level, column of the organisation table; None for the trust).
LEVELS = (("academy", "urn"), ("cluster", "cluster"), ("region", "region"), ("trust", None))
SEP = "|"


@dataclass
class Inputs:
    """What a rebuild needs: the trust's store tables and a few records-database frames."""

    tables: dict[str, ibis.Table]
    academies: pd.DataFrame  #: urn, name, phase, joined_trust, cluster (id str), region (id str)
    memberships: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["class_id", "pupil_id", "subject"])
    )
    con: object | None = None
    breakdown_years: int = 2  #: pupil-group breakdowns for the latest N years (windows for VA)
    cache: dict = field(default_factory=dict)  #: intermediates shared between builders
    #: VA windows loaded for this rebuild ((academic_year, term)); None: every window.
    va_windows: set[tuple[str, str]] | None = None
    #: cells kept from the previous build (name -> frame), for incremental rebuilds
    previous: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: cells to keep for the next build (name -> frame), written by the services
    artifacts: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: academic year -> (national P8 parameters or None for the trust's cohort, method note);
    #: None: the shipped estimates nearest each year (``outcomes.p8_parameters``)
    p8_estimates: Callable[[str], tuple[Any, str]] | None = None
    #: contextualised value added (disadvantaged, SEN, EAL, month of birth) instead of prior only
    va_context: bool = False

    def has(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def org(self) -> ibis.Table:
        """urn -> cluster id, region id (strings; empty when the academy has none)."""
        frame = self.academies[["urn", "cluster", "region"]].copy()
        frame["urn"] = frame["urn"].astype("int64")
        frame["cluster"] = frame["cluster"].fillna("").astype(str)
        frame["region"] = frame["region"].fillna("").astype(str)
        return ibis.memtable(
            frame.rename(columns={"cluster": "org_cluster", "region": "org_region"})
        )

    def materialise(self, expr: ibis.Table, name: str) -> ibis.Table:
        """Compute an intermediate once (a DuckDB temp table) so later queries are cheap."""
        if self.con is None or getattr(self.con, "name", "") != "duckdb":
            return expr
        return self.con.create_table(name, expr, temp=True, overwrite=True)


def period_order(academic_year: str, term: str | None = None) -> int:
    """Sort key: 2023/24 autumn -> 20231; the year 2023/24 itself -> 20234."""
    return int(str(academic_year)[:4]) * 10 + TERM_ORDER.get(term or "", ANNUAL)


def explode(
    table: ibis.Table,
    inputs: Inputs,
    *,
    breakdowns: Sequence[str] = (),
    recent: ibis.Value | None = None,
    levels: Sequence[tuple[str, str | None]] = LEVELS,
) -> ibis.Table:
    """Copies of ``table`` (which has ``urn``) for every organisation level, plus pupil-group
    copies at academy and trust level for the ``breakdowns`` (columns already on ``table``),
    those limited to rows where ``recent`` is true when given.

    Built as one cross join with a small table of (level, breakdown) pairs, so the expression
    stays small however many units there are (Ibis compiles it quickly).
    """
    pairs = [(level, "all") for level, _key in levels]
    pairs += [(level, b) for b in breakdowns for level in ("academy", "trust")]
    specs = ibis.memtable(pd.DataFrame(pairs, columns=["level", "breakdown"]))
    joined = table.left_join(inputs.org(), "urn").drop("urn_right").cross_join(specs)
    unit = ibis.cases(
        (joined.level == "academy", joined.urn.cast("string")),
        (joined.level == "cluster", joined.org_cluster),
        (joined.level == "region", joined.org_region),
        else_=ibis.literal("trust"),
    )
    grp = (
        ibis.cases(
            *[(joined.breakdown == b, joined[b].cast("string")) for b in breakdowns],
            else_=ibis.literal("all"),
        )
        if breakdowns
        else ibis.literal("all")
    )
    out = joined.mutate(unit_key=unit.fill_null(""), grp=grp)
    keep = (out.unit_key != "") & out.grp.notnull()
    if recent is not None and breakdowns:
        keep = keep & ((out.breakdown == "all") | recent)
    return out.filter(keep).drop("org_cluster", "org_region")


def composite_urn(table: ibis.Table) -> ibis.Table:
    """Replace ``urn`` by ``level|unit|breakdown|grp`` (for functions that group by urn)."""
    key = table.level.concat(SEP, table.unit_key, SEP, table.breakdown, SEP, table.grp)
    return table.mutate(urn=key).drop(*UNIT_KEYS)


def split_composite(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`composite_urn` on an executed summary."""
    parts = frame["urn"].astype(str).str.split(SEP, n=3, expand=True)
    out = frame.drop(columns=["urn"]).copy()
    for i, column in enumerate(UNIT_KEYS):
        out[column] = parts[i].to_numpy()
    return out


def run(expr: ibis.Table) -> pd.DataFrame:
    """Execute on the expression's backend (pandas with numpy dtypes)."""
    return expr.to_pyarrow().to_pandas()


def facts(frame: pd.DataFrame, measure: str, note: str = "") -> pd.DataFrame:
    """An analytics summary keyed by the unit columns -> rows in the FACT_COLUMNS shape."""
    if frame.empty:
        return pd.DataFrame(columns=FACT_COLUMNS)
    out = pd.DataFrame(index=frame.index)
    out["level"] = frame["level"].astype(str)
    out["unit"] = frame["unit_key"].astype(str)
    out["breakdown"] = frame["breakdown"].astype(str)
    out["group"] = frame["grp"].astype(str).replace({"true": "True", "false": "False"})
    out["measure"] = measure
    years = frame["academic_year"].astype(str)
    terms = frame["term"].astype(str) if "term" in frame else None
    out["period"] = years if terms is None else years + " " + terms
    out["period_order"] = [
        period_order(y, t)
        for y, t in zip(years, terms if terms is not None else [None] * len(years), strict=True)
    ]
    for column in ("pupils", "score", "ci_low", "ci_high", "se", "sd"):
        out[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else np.nan
    out["band"] = frame["band"].astype(object) if "band" in frame else None
    out["flag"] = None
    out["note"] = frame["note"].astype(str) if "note" in frame else note
    return out[list(FACT_COLUMNS)]


def years_of(table: ibis.Table, column: str = "academic_year") -> list[str]:
    """The distinct academic years in a table, oldest first."""
    return sorted(str(y) for y in run(table.select(column).distinct())[column].dropna())


def latest_years(years: Sequence[str], count: int) -> list[str]:
    return sorted(years)[-count:]


def rollup(
    cells: pd.DataFrame,
    inputs: Inputs,
    sums: Sequence[str],
    period: Sequence[str],
    breakdowns: Sequence[str] = (),
    recent: pd.Series | None = None,
) -> pd.DataFrame:
    """Add up per-academy cells (sufficient statistics: counts, sums, sums of squares...) into
    every reporting unit: academy, cluster, region and trust, plus pupil-group breakdowns at
    academy and trust level (for ``recent`` rows only when given). Sums are additive, so the
    figures equal a pupil-level computation per unit; the small result then goes through the
    analytics interval formulas. Groups with a missing key are left out."""
    org = inputs.academies[["urn", "cluster", "region"]].astype({"urn": "int64"})
    cells = cells.astype({"urn": "int64"}).merge(org, on="urn", how="left")
    cells["urn"] = cells["urn"].astype(str)
    parts = []
    for level, key in LEVELS:
        data = cells if key is None else cells[cells[key].notna() & (cells[key].astype(str) != "")]
        parts.append(_sum(data, key, list(period), list(sums), level, "all", None))
    rows = cells if recent is None else cells[recent.to_numpy()]
    for breakdown in breakdowns:
        data = rows[rows[breakdown].notna()]
        for level, key in (("academy", "urn"), ("trust", None)):
            parts.append(_sum(data, key, list(period), list(sums), level, breakdown, breakdown))
    return pd.concat([p for p in parts if not p.empty], ignore_index=True)


def _sum(
    data: pd.DataFrame,
    key: str | None,
    period: list[str],
    sums: list[str],
    level: str,
    breakdown: str,
    column: str | None,
) -> pd.DataFrame:
    keys = ([key] if key else []) + period + ([column] if column else [])
    out = data.groupby(keys, as_index=False, sort=False)[sums].sum()
    out["level"] = level
    out["unit_key"] = out[key].astype(str) if key else "trust"
    out["breakdown"] = breakdown
    out["grp"] = out[column].map(_group_text) if column else "all"
    return out.drop(columns=[c for c in (key, column) if c and c not in period])


def _group_text(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
