"""The rebuild's inputs: store datasets read once into the engine, with the organisation tree.

Django-free: the caller passes the analytical store, the academies frame and the class lists
(``Inputs`` in :mod:`trustlens.analytics.summaries.units`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from trustlens.analytics.summaries.plan import DATASETS
from trustlens.analytics.summaries.units import Inputs, period_order

VA_TABLE = "_dash_va"
PUPIL_COLUMNS = ["pupil_id", "urn", "academic_year", "term", "subject", "va"]


def load_inputs(
    con: Any,
    store: Any,
    trust_slug: str,
    organisation: tuple[pd.DataFrame, pd.DataFrame],
    needed: set[str] | None = None,
    va_windows: set | None = None,
) -> Inputs:
    """``Inputs`` for a rebuild: the ``needed`` datasets (None: all) of the trust's store,
    value-added results limited to ``va_windows`` when given; ``organisation`` is
    (academies, memberships)."""
    tables = {}
    if store is not None:
        present = set(store.datasets(trust_slug))
        wanted = [n for n in DATASETS if n in present and (needed is None or n in needed)]
        windows = {"assessment_results": va_windows} if va_windows is not None else {}
        tables = {name: load(con, store, trust_slug, name, windows.get(name)) for name in wanted}
    academies, memberships = organisation
    return Inputs(
        tables=tables, academies=academies, memberships=memberships, con=con, va_windows=va_windows
    )


def load(con: Any, store: Any, trust_slug: str, dataset: str, windows: set | None = None) -> Any:
    """A store dataset read once into DuckDB's memory (one scan of its Parquet partitions),
    so the rebuild's many queries do not re-open hundreds of files each; ``windows`` limits
    it to those (academic year, term) partitions. Other engines read the store's table."""
    parts = store.partitions(trust_slug, dataset)
    if windows is not None:
        parts = [p for p in parts if windows_of(p) & windows]
    files = [str(p.file) for p in parts]
    if not files or getattr(con, "name", "") != "duckdb":
        table = store.table(con, trust_slug, dataset)
        return table.limit(0) if windows is not None and not files else table
    name = f"_dash_in_{dataset}"
    listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    where = ""
    if windows is not None:  # a file may hold other windows too (one slice per term)
        pairs = ", ".join(f"('{y}', '{t}')" for y, t in sorted(windows) if "'" not in y + t)
        where = f" WHERE (CAST(academic_year AS VARCHAR), CAST(term AS VARCHAR)) IN ({pairs})"
    con.raw_sql(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM read_parquet([{listing}], union_by_name = true){where}"
    )
    return con.table(name)


def windows_of(part: Any) -> set[tuple[str, str]]:
    """The (academic year, term) windows a partition file holds (from its slices)."""
    pieces = part.slices or (part,)
    return {
        (
            str((part.values | (p.values or {})).get("academic_year", "")),
            str((part.values | (p.values or {})).get("term", "")),
        )
        for p in pieces
    }


def latest_window_loaded(inputs: Inputs) -> bool:
    """Whether this build computed pupil value added for the trust's latest window."""
    cells = inputs.artifacts.get("va_cells")
    if cells is None or cells.empty or VA_TABLE not in _tables(inputs.con):
        return False
    if inputs.va_windows is None:
        return True
    latest = max(
        zip(cells["academic_year"], cells["term"], strict=True), key=lambda w: period_order(*w)
    )
    return latest in inputs.va_windows


def pupil_latest_rows(inputs: Inputs) -> pd.DataFrame:
    """Pupil-level value added for the latest window (pseudonymised ids only), for class pages."""
    if VA_TABLE not in _tables(inputs.con):
        return pd.DataFrame(columns=PUPIL_COLUMNS)
    table = inputs.con.table(VA_TABLE)
    windows = table.select("academic_year", "term").distinct().to_pandas()
    if windows.empty:
        return pd.DataFrame()
    latest = max(
        windows.itertuples(index=False), key=lambda r: period_order(r.academic_year, r.term)
    )
    rows = table.filter((table.academic_year == latest.academic_year) & (table.term == latest.term))
    return rows.select(*PUPIL_COLUMNS).to_pyarrow().to_pandas()


def _tables(con: Any) -> list[str]:
    return getattr(con, "list_tables", lambda: [])()
