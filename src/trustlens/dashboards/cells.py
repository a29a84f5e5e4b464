"""The overview's columns and the headline cells of a unit, rated against the trust.

Shared by every view context (overview, region and cluster, academy) and by
``academy_headline`` (improvement reports): which measure(s) an overview column shows for an
academy's phase, the cells of one unit, and their RAG ratings and status.
"""

from __future__ import annotations

from trustlens.analytics.national_benchmarks import Benchmark
from trustlens.dashboards.audience import Audience
from trustlens.dashboards.choices import ATTAINMENT_BY_PHASE, GAP_BY_PHASE
from trustlens.dashboards.formatting import Cell
from trustlens.dashboards.rag import Rules, overall, rate
from trustlens.dashboards.reading import Summaries

Columns = list[tuple[str, str]]
CellMap = dict[str, list[Cell]]

OVERVIEW_MEASURES = (
    ("attainment", "Attainment"),
    ("progress", "Progress"),
    ("va", "In-year value added"),
    ("gap", "Disadvantaged gap"),
    ("attendance", "Attendance"),
    ("persistent_absence", "Persistent absence"),
    ("suspensions", "Suspensions"),
    ("permanent_exclusions", "Permanent exclusions"),
    ("exits", "Inclusion (unexplained exits)"),
    ("sen_share", "SEN"),
    ("first_preferences", "1st preferences per place"),
    ("cover_share", "Cover"),
    ("staff_absence", "Staff absence"),
    ("finance_balance", "In-year balance"),
    ("safeguarding", "Safeguarding referrals"),
)
#: The overview's two tables: outcomes (with the status), then pupils, staff and finance.
OUTCOME_COLUMNS = ("attainment", "progress", "va", "gap")
RATED_FOR_STATUS = {
    "attainment",
    "progress",
    "va",
    "attendance",
    "persistent_absence",
    "suspensions",
    "finance_balance",
    "exits",  #: inclusion: the unexplained exit rate's funnel rating counts too
}


def columns_for(audience: Audience | None) -> Columns:
    """Overview columns; safeguarding only for trust roles (None: every column but that)."""
    shows = audience is not None and audience.safeguarding
    return [(c, label) for c, label in OVERVIEW_MEASURES if c != "safeguarding" or shows]


def column_groups(columns: Columns) -> list[dict]:
    """The overview columns split into two tables so that each fits the page."""
    outcomes = [c for c in columns if c[0] in OUTCOME_COLUMNS]
    others = [c for c in columns if c[0] not in OUTCOME_COLUMNS]
    return [
        {"key": "outcomes", "title": "Outcomes", "columns": outcomes, "status": True},
        {
            "key": "context",
            "title": "Pupils, staff and finance",
            "columns": others,
            "status": False,
        },
    ]


def column_measures(column: str, phase: str, summaries: Summaries | None, urn: str) -> list[str]:
    """The measure code(s) behind an overview column for an academy of ``phase``."""
    if column == "attainment":
        order = [ATTAINMENT_BY_PHASE.get(phase, "a8"), "a8", "ks2_rwm"]
        return [_first_present(summaries, urn, order)]
    if column == "progress":
        if _has(summaries, urn, "p8") or phase == "secondary":
            return ["p8"]
        return ["ks2_reading", "ks2_writing", "ks2_maths"]
    if column == "gap":
        order = [f"{GAP_BY_PHASE.get(phase, 'p8')}_gap", "p8_gap", "ks2_rwm_gap"]
        return [_first_present(summaries, urn, order)]
    return [column]


def _has(summaries: Summaries | None, urn: str, measure: str) -> bool:
    return bool(summaries and summaries.series("academy", urn, measure))


def _first_present(summaries: Summaries | None, urn: str, measures: list[str]) -> str:
    return next((m for m in measures if _has(summaries, urn, m)), measures[0])


def unit_cells(
    summaries: Summaries | None,
    level: str,
    unit: str,
    phase: str,
    columns: Columns,
    as_of: int | None,
) -> CellMap:
    """Each column's cells for one unit (``x`` everywhere before the first build)."""
    cells: CellMap = {}
    for column, _label in columns:
        measures = column_measures(column, phase, summaries, unit)
        if summaries is None:
            cells[column] = [Cell(measure=m, symbol="x") for m in measures]
        else:
            cells[column] = [summaries.cell(level, unit, m, as_of=as_of) for m in measures]
    return cells


def rate_cells(
    cells: CellMap,
    trust: CellMap | None,
    summaries: Summaries | None = None,
    phase: str = "all",
    rules: Rules | None = None,
) -> CellMap:
    """RAG-rate every cell against England's published figure for its phase (when the
    summaries carry one) and the trust's same measure (same period; gaps on their own)."""
    for column, items in cells.items():
        for cell in items:
            rate(
                cell,
                _reference(cell, (trust or {}).get(column)),
                national_for(summaries, cell, phase),
                rules,
            )
    return cells


def national_for(summaries: Summaries | None, cell: Cell, phase: str) -> Benchmark | None:
    """England's figure for ``cell`` (its phase, the year of its period or the nearest)."""
    if summaries is None or cell.measure.endswith("_gap"):
        return None
    return summaries.national(cell.measure, phase or "all", cell.period)


def _reference(cell: Cell, trust: list[Cell] | None) -> Cell | None:
    if not trust or cell.measure.endswith("_gap"):
        return None
    reference = next((t for t in trust if t.measure == cell.measure), None)
    if reference is not None and reference.period and cell.period:
        return reference if reference.period == cell.period else None
    return reference


def rated_cells(
    summaries: Summaries | None,
    level: str,
    unit: str,
    phase: str,
    columns: Columns,
    as_of: int | None = None,
    rules: Rules | None = None,
) -> tuple[CellMap, CellMap]:
    """(the unit's cells rated against England and the trust, the trust's own rated cells)."""
    trust = unit_cells(summaries, "trust", "trust", phase, columns, as_of)
    rate_cells(trust, None, summaries, "all", rules)
    cells = unit_cells(summaries, level, unit, phase, columns, as_of)
    own_phase = phase if level == "academy" else "all"
    reference = trust if level != "trust" else None
    return rate_cells(cells, reference, summaries, own_phase, rules), trust


def status(cells: CellMap) -> tuple[str, str]:
    """The worst rating of the measures that count for the status, and why."""
    return overall([c for k, items in cells.items() if k in RATED_FOR_STATUS for c in items])
