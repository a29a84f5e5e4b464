"""CLI commands of the interventions area: ``trustlens evaluate``."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from trustlens.cli._django import setup_django

console = Console()
progress_console = Console(stderr=True)

#: Keys printed by ``--format table`` (every key of the evaluation is in ``--format json``).
TABLE_KEYS = (
    "intervention_id",
    "name",
    "design",
    "n_registered",
    "n_intervention",
    "n_comparison",
    "effect_size",
    "ci_low",
    "ci_high",
    "months",
    "impact",
    "verdict",
    "cost_per_pupil",
    "cost_per_month",
    "cost_note",
)


def _find(intervention_id: str, trust: str | None):
    """The intervention with this reference (in ``trust`` when given), or a clear error."""
    from trustlens.interventions.models import Intervention

    found = Intervention.objects.unscoped().filter(intervention_id=intervention_id)
    if trust:
        found = found.filter(trust__slug=trust)
    matches = list(found.select_related("trust")[:2])
    if not matches and intervention_id.isdigit():
        matches = list(
            Intervention.objects.unscoped().filter(pk=int(intervention_id)).select_related("trust")
        )
    if not matches:
        raise typer.BadParameter(
            f"no intervention {intervention_id!r}" + (f" in trust {trust!r}" if trust else "")
        )
    if len(matches) > 1:
        raise typer.BadParameter(f"{intervention_id!r} is in several trusts: give --trust")
    return matches[0]


def evaluate(
    intervention_id: str = typer.Argument(
        ..., help="The intervention's reference (intervention_id), or its number."
    ),
    trust: str = typer.Option(
        None, help="Slug of the trust, when the reference is used in several."
    ),
    output_format: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Evaluate an intervention against a matched comparison group and store the result."""
    if output_format not in ("table", "json"):
        raise typer.BadParameter("--format must be table or json")
    setup_django()
    from trustlens.interventions.services import evaluate_intervention

    intervention = _find(intervention_id, trust)
    with progress_console.status(f"Evaluating {intervention.intervention_id}...", spinner="dots"):
        evaluation = evaluate_intervention(intervention, user=None)
    data = {
        "intervention_id": intervention.intervention_id,
        "name": intervention.name,
        "trust": intervention.trust.slug,
    }
    data |= evaluation.result
    if output_format == "json":
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    _print_table(data)


def _print_table(data: dict) -> None:
    table = Table(title=f"{data['name']} ({data['intervention_id']})", show_header=False)
    for key in TABLE_KEYS:
        table.add_row(key, "" if data.get(key) is None else str(data[key]))
    console.print(table)
    console.print(data["summary"])
    for caution in data["cautions"]:
        console.print(f"[yellow]{caution['severity']}[/yellow]: {caution['text']}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command()(evaluate)
