"""CLI commands of the synth area: ``trustlens synth``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from trustlens.synth import DATASETS, TrustTruth, generate_trust
from trustlens.synth import parameters as params

console = Console()


def _columns() -> tuple:
    return (
        TextColumn("{task.description:<24}"),
        BarColumn(bar_width=24),
        TextColumn("{task.fields[rows]:>10}"),
        TimeElapsedColumn(),
    )


OutOpt = Annotated[
    Path, typer.Option("--out", help="Folder to write the CSV files and truth.json into.")
]
AcademiesOpt = Annotated[
    int,
    typer.Option(
        min=params.MIN_ACADEMIES,
        max=params.MAX_ACADEMIES,
        help="Number of academies (about 70% primary).",
    ),
]
SeedOpt = Annotated[
    int, typer.Option(min=0, help="Random seed: the same arguments give byte-identical files.")
]
RollOpt = Annotated[
    int | None,
    typer.Option(
        min=35,
        max=3000,
        help="Mean roll per academy (default: typical primary and secondary sizes).",
    ),
]
YearsOpt = Annotated[
    int,
    typer.Option(min=1, max=10, help="Complete academic years of history before the current one."),
]


def synth(
    out: OutOpt,
    academies: AcademiesOpt = 12,
    seed: SeedOpt = 1,
    pupils_per_academy: RollOpt = None,
    years: YearsOpt = params.DEFAULT_YEARS,
) -> None:
    """Generate a deterministic synthetic trust with planted effects (see docs/synthetic-trust.md)."""
    started = time.perf_counter()
    with Progress(*_columns(), console=console, transient=False) as progress:
        tasks = {name: progress.add_task(f"{name}.csv", total=1, rows="") for name in DATASETS}

        def done(name: str, rows: int) -> None:
            progress.update(tasks[name], completed=1, rows=f"{rows:,} rows")

        truth = generate_trust(
            out, academies, seed, years=years, pupils_per_academy=pupils_per_academy, progress=done
        )
    _summary(truth, out, time.perf_counter() - started)


def _summary(truth: TrustTruth, out: Path, seconds: float) -> None:
    rows = sum(truth.files.values())
    console.print(
        f"[green]Synthetic trust written[/green] to {out} in {seconds:.1f} s ({rows:,} rows)."
    )
    console.print(f"Planted effects: {out / 'truth.json'}")
    for role, urn in truth.roles.items():
        console.print(f"  {role:<17} URN {urn}")
    console.print(f"  late submitters   URNs {', '.join(str(u) for u in truth.late_submitters)}")
    console.print(f"  interventions     {len(truth.interventions)}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command()(synth)
