"""``trustlens measure practice``: each practice area's association with pupils' outcomes.

Reads the trust's ``practice_profile`` and pupil data from the analytical store and prints one
row per area (:mod:`trustlens.analytics.practice`): area, n_academies, n_pupils, coefficient,
ci_low, ci_high, p_adjusted, caution, plus the house columns (urn null, academy = the trust,
academic_year). Fewer than 10 academies: the reason, and exit 1. Profiles from fewer than 5
respondents are left out. Imports without Django unless the store's location comes from the
settings (no ``--store``).
"""

from __future__ import annotations

import enum
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from trustlens.cli.measures import (
    FormatOpt,
    OutputFormat,
    StoreOpt,
    TrustOpt,
    YearOpt,
    _store_root,
    _validate_year,
    err_console,
    measure_app,
)

MIN_RESPONDENTS = 5
COLUMNS = (
    "urn",
    "academy",
    "academic_year",
    "area",
    "n_academies",
    "n_pupils",
    "coefficient",
    "ci_low",
    "ci_high",
    "p_adjusted",
    "caution",
)


class PracticeOutcome(enum.StrEnum):
    va = "va"
    p8 = "p8"
    attendance = "attendance"


OutcomeOpt = Annotated[
    PracticeOutcome,
    typer.Option("--outcome", help="va (in-year value added), p8 or attendance."),
]


def practice_rows(source, trust: str, year: str, outcome: str):
    """(rows as a DataFrame, refusal or None) for the trust's year (pure analytics)."""
    from trustlens.analytics import engine
    from trustlens.analytics.practice import analyse
    from trustlens.analytics.practice_data import outcome_sums

    profile = engine.execute(source("practice_profile"))
    profile = profile[(profile.academic_year == year) & (profile.respondents >= MIN_RESPONDENTS)]
    result = analyse(outcome_sums(source, year, outcome), profile, outcome)
    rows = result.rows.assign(urn=None, academy=trust, academic_year=year)
    return rows[list(COLUMNS)], result.refused


@measure_app.command("practice")
def practice_command(
    trust: TrustOpt,
    year: YearOpt,
    outcome: OutcomeOpt = PracticeOutcome.va,
    fmt: FormatOpt = OutputFormat.table,
    store: StoreOpt = None,
) -> None:
    """Each of the ten practice areas against pupils' outcomes (multilevel, BH-adjusted)."""
    from trustlens.analytics import engine
    from trustlens.analytics.practice_data import DATASETS
    from trustlens.ingest.store import AnalyticalStore

    _validate_year(year)
    reader = AnalyticalStore(_store_root(store))
    held = set(reader.datasets(trust))
    needed = {"practice_profile", *DATASETS[outcome.value]}
    if not needed <= held:
        missing = ", ".join(sorted(needed - held))
        err_console.print(f"[red]The store has no {missing} for trust {trust!r}[/red]")
        raise typer.Exit(1)
    con = engine.connect("duckdb")
    rows, refused = practice_rows(
        lambda name: reader.table(con, trust, name), trust, year, outcome.value
    )
    if refused:
        err_console.print(f"[yellow]{refused}[/yellow]")
        raise typer.Exit(1)
    if fmt is OutputFormat.json:
        print(json.dumps(_records(rows), indent=1, default=str))
    elif fmt is OutputFormat.csv:
        from trustlens.core.exports import safe_frame

        safe_frame(rows).to_csv(__import__("sys").stdout, index=False)
    else:
        Console().print(_table(rows, f"Practice and {outcome.value}: {trust}, {year}"))


def _records(rows) -> list[dict]:
    out = []
    for record in rows.to_dict("records"):
        out.append({k: _plain(v) for k, v in record.items()})
    return out


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _table(rows, title: str) -> Table:
    table = Table(
        title=title,
        caption="Coefficient: outcome points per one point of area score (1-5); 95% t "
        "intervals (academies - 2 df); p adjusted by Benjamini-Hochberg over ten areas. "
        "Associations, not causes.",
    )
    for column in ("area", "academies", "pupils", "coefficient", "95% CI", "p adjusted"):
        table.add_column(column, justify="left" if column == "area" else "right")
    for r in rows.to_dict("records"):
        table.add_row(
            r["area"],
            str(r["n_academies"]),
            str(r["n_pupils"]),
            f"{r['coefficient']:.3f}",
            f"{r['ci_low']:.3f} to {r['ci_high']:.3f}",
            f"{r['p_adjusted']:.3f}",
        )
    return table


def register(app: typer.Typer) -> None:
    """The command is on ``measure_app``, which the measures module adds to ``app``."""
    return None
