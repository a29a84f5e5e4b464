"""England's published figures for each dashboard measure, from the DfE tables ``import-dfe`` loads.

Sources (DfE performance tables, as published; ``../shared/data/real/SOURCES.md``):

- KS4 (``ks4``): the state-funded national row (RECTYPE 7): Attainment 8 ``ATT8SCR``,
  Progress 8 ``P8MEA``, English and maths 4+ / 5+ ``PTL2BASICS_94`` / ``_95``, EBacc entry
  ``PTEBACC_E_PTQ_EE`` and EBacc average point score ``EBACCAPS``; n = ``TPUP``.
- KS2 (``ks2``): the national row (RECTYPE 5, else 4): reading, writing and maths at the
  expected standard ``PTRWM_EXP`` and at the higher standard ``PTRWM_HIGH``; n = ``TELIG``.
  KS2 progress is 0 nationally by construction and the national row leaves it blank, so no
  national progress figure is made up.
- Census (``census``): the national rows (``LA = NAT``) per school type: SEN
  (``PSENELSE + PSENELK``), disadvantaged (``PNUMFSMEVER``), EAL (``PNUMEAL``); n = ``NOR``.
- Absence (``absence``): the national rows (``LA = NAT``): attendance = 100 - ``PERCTOT``
  (overall absence, % of sessions), persistent absence ``PPERSABS10``. ``import-dfe`` keeps
  no phase for those rows (their ESTAB is the text ``PRI``/``SEC``/``SPE``), so each published
  row is matched to the phase whose schools' pupil-weighted mean absence (weights: census
  ``NOR``, school type from the census) it is nearest to; the figure itself is the published one.

Each phase-specific figure is also given for ``all`` (primary and secondary state-funded,
weighted by pupils on roll) so the trust's own row, which mixes phases, has a reference.
Measures with no published national figure in the loaded tables (suspensions, exclusions,
in-year value added, staffing, finance) have none: the dashboards say so rather than invent one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import polars as pl

KS4_FIELDS = {
    "a8": "att8scr",
    "p8": "p8mea",
    "em4": "ptl2basics_94",
    "em5": "ptl2basics_95",
    "ebacc_entry": "ptebacc_e_ptq_ee",
    "ebacc_aps": "ebaccaps",
}
KS2_FIELDS = {"ks2_rwm": "ptrwm_exp", "ks2_rwm_high": "ptrwm_high"}
CENSUS_TYPES = {"State-funded primary": "primary", "State-funded secondary": "secondary"}
PHASES = ("primary", "secondary")


@dataclass(frozen=True)
class Benchmark:
    """One published national figure."""

    measure: str
    phase: str  #: "primary", "secondary" or "all"
    academic_year: str
    score: float
    pupils: float | None
    source: str

    @property
    def label(self) -> str:
        return f"England {self.academic_year}"


def from_store(store: Any) -> list[Benchmark]:
    """Every benchmark the store's national tables hold (none when nothing is loaded)."""
    tables = {}
    for name in ("ks4", "ks2", "census", "absence"):
        try:
            tables[name] = store.national_polars(name)
        except Exception:  # noqa: BLE001 - a table never loaded is simply absent
            continue
    return benchmarks(tables)


def benchmarks(tables: dict[str, pl.DataFrame]) -> list[Benchmark]:
    """The published national figures in ``tables`` (national table name -> frame)."""
    found: list[Benchmark] = []
    if _usable(tables.get("ks4")):
        found += _ks4(tables["ks4"])
    if _usable(tables.get("ks2")):
        found += _ks2(tables["ks2"])
    census = tables.get("census")
    if _usable(census):
        found += _census(census)
    if _usable(tables.get("absence")) and _usable(census):
        found += _absence(tables["absence"], census)
    return found


def _usable(frame: pl.DataFrame | None) -> bool:
    return frame is not None and frame.height > 0


def _national_row(frame: pl.DataFrame, rectypes: tuple[int, ...]) -> dict[str, dict]:
    """academic year -> the national row of the first record type present."""
    rows: dict[str, dict] = {}
    for rectype in reversed(rectypes):
        for row in frame.filter(pl.col("rectype") == rectype).iter_rows(named=True):
            rows[row["academic_year"]] = row
    return rows


def _ks4(frame: pl.DataFrame) -> list[Benchmark]:
    out = []
    for year, row in _national_row(frame, (7, 5)).items():
        source = f"DfE KS4 performance tables {year} ({row.get('status') or 'final'}), state-funded England (RECTYPE {row['rectype']})"
        for measure, column in KS4_FIELDS.items():
            if row.get(column) is not None:
                out.append(
                    Benchmark(measure, "secondary", year, row[column], row.get("tpup"), source)
                )
    return _with_all(out)


def _ks2(frame: pl.DataFrame) -> list[Benchmark]:
    out = []
    for year, row in _national_row(frame, (5, 4)).items():
        source = f"DfE KS2 performance tables {year} ({row.get('status') or 'final'}), England (RECTYPE {row['rectype']})"
        for measure, column in KS2_FIELDS.items():
            if row.get(column) is not None:
                out.append(
                    Benchmark(measure, "primary", year, row[column], row.get("telig"), source)
                )
    return _with_all(out)


def _census_nat(census: pl.DataFrame) -> pl.DataFrame:
    return census.filter(pl.col("urn").is_null() & pl.col("schooltype").is_in(list(CENSUS_TYPES)))


def _census(census: pl.DataFrame) -> list[Benchmark]:
    out = []
    for row in _census_nat(census).unique(["academic_year", "schooltype"]).iter_rows(named=True):
        phase, year = CENSUS_TYPES[row["schooltype"]], row["academic_year"]
        source = f"DfE school census {year}, {row['schooltype']} (national row)"
        figures = {
            "sen_share": _sum(row.get("psenelse"), row.get("psenelk")),
            "disadvantaged_share": row.get("pnumfsmever"),
            "eal_share": row.get("pnumeal"),
        }
        for measure, value in figures.items():
            if value is not None:
                out.append(Benchmark(measure, phase, year, value, row.get("nor"), source))
    return _with_all(out)


def _sum(*values: float | None) -> float | None:
    return None if any(v is None for v in values) else round(sum(values), 1)


def _absence(absence: pl.DataFrame, census: pl.DataFrame) -> list[Benchmark]:
    out = []
    nat = absence.filter(pl.col("urn").is_null() & pl.col("la").is_null())
    for year, rows in nat.unique(["academic_year", "perctot", "ppersabs10"]).group_by(
        "academic_year"
    ):
        year = year[0]
        means = _phase_absence(absence, census, year)
        for phase, row in _match_phases(rows, means).items():
            source = f"DfE absence {year}, national row (matched to {phase} schools)"
            nor = means[phase][1]
            out.append(Benchmark("attendance", phase, year, 100 - row["perctot"], nor, source))
            if row.get("ppersabs10") is not None:
                out.append(
                    Benchmark("persistent_absence", phase, year, row["ppersabs10"], nor, source)
                )
    return _with_all(out)


def _phase_absence(absence: pl.DataFrame, census: pl.DataFrame, year: str) -> dict:
    """phase -> (pupil-weighted mean overall absence of its schools, pupils on roll)."""
    schools = census.filter(
        pl.col("urn").is_not_null() & pl.col("schooltype").is_in(list(CENSUS_TYPES))
    )
    joined = absence.filter(
        (pl.col("academic_year") == year)
        & pl.col("urn").is_not_null()
        & pl.col("perctot").is_not_null()
    ).join(schools.select("urn", "schooltype", "nor").unique("urn"), on="urn")
    out = {}
    for schooltype, phase in CENSUS_TYPES.items():
        rows = joined.filter((pl.col("schooltype") == schooltype) & pl.col("nor").is_not_null())
        weight = rows["nor"].sum()
        if weight:
            out[phase] = (float((rows["perctot"] * rows["nor"]).sum() / weight), float(weight))
    return out


def _match_phases(rows: pl.DataFrame, means: dict) -> dict[str, dict]:
    """Each phase's published national row: the one nearest its schools' weighted mean."""
    candidates = list(rows.iter_rows(named=True))
    matched = {}
    for phase, (mean, _nor) in means.items():
        if candidates:
            matched[phase] = min(candidates, key=lambda r: abs(r["perctot"] - mean))
    return matched


def _with_all(found: list[Benchmark]) -> list[Benchmark]:
    """Add each measure's ``all`` figure: the only phase's figure, or primary and secondary
    weighted by their pupils."""
    keyed: dict[tuple[str, str], list[Benchmark]] = {}
    for b in found:
        keyed.setdefault((b.measure, b.academic_year), []).append(b)
    out = list(found)
    for (measure, year), items in keyed.items():
        weighted = [b for b in items if b.pupils]
        if len(items) == 1:
            b = items[0]
            out.append(Benchmark(measure, "all", year, b.score, b.pupils, b.source))
        elif len(weighted) == len(items):
            total = sum(b.pupils for b in weighted)
            score = sum(b.score * b.pupils for b in weighted) / total
            source = "; ".join(b.source for b in items) + " (weighted by pupils)"
            out.append(Benchmark(measure, "all", year, round(score, 2), total, source))
    return out


def to_records(found: list[Benchmark]) -> list[dict]:
    return [asdict(b) for b in found]


def from_records(rows: list[dict]) -> list[Benchmark]:
    return [Benchmark(**row) for row in rows]


def nearest(
    found: list[Benchmark], measure: str, phase: str, academic_year: str | None
) -> Benchmark | None:
    """The figure for ``measure`` and ``phase`` of ``academic_year``; else the latest earlier
    year's; else the earliest later year's (the label always names the year used)."""
    items = [b for b in found if b.measure == measure and b.phase == phase]
    if not items:
        return None
    year = (academic_year or "")[:7]
    earlier = [b for b in items if b.academic_year <= year]
    if earlier:
        return max(earlier, key=lambda b: b.academic_year)
    return min(items, key=lambda b: b.academic_year)
