"""Workflow demo data: ``trustlens demo-workflow`` seeds QA and improvement records."""

from __future__ import annotations

import typer
from rich.console import Console

from trustlens.cli._django import setup_django

console = Console()


def demo_workflow(
    trust: str = typer.Option("demo", help="Slug of the (imported) trust to seed."),
    seed: int = typer.Option(1, help="Random seed: the same seed gives the same records."),
) -> None:
    """Seed demo QA activities, findings, actions, plans, stages, support and moderation, and
    evaluate every intervention whose post-test window has closed.

    Run after `trustlens import` (before or after `trustlens demo-users`); safe to run twice.
    """
    setup_django()
    from trustlens.improvement.demo import seed_demo
    from trustlens.organisations.models import Trust

    if not Trust.objects.unscoped().filter(slug=trust).exists():
        console.print(f"[red]No trust {trust!r}[/red]: run `trustlens import DIR --trust {trust}`.")
        raise typer.Exit(1)
    report = seed_demo(trust, seed)
    if not report.created:
        console.print(f"Demo workflow records for {trust!r} already there: nothing to add.")
    else:
        console.print(
            f"[green]Demo workflow records for {trust!r}[/green] (author: {report.author})"
        )
        for name, n in report.created.items():
            console.print(f"  {name:<20} {n:>5}")
    _evaluate(trust)


def _evaluate(trust: str) -> None:
    """Evaluate the interventions whose windows have passed (once), saying what it did."""
    from trustlens.interventions.demo import evaluate_due

    with console.status("Evaluating interventions whose post-test window has closed..."):
        outcome = evaluate_due(trust)
    if outcome.evaluated:
        console.print(f"  {'evaluation':<20} {len(outcome.evaluated):>5}")
    for reference, reason in outcome.failed.items():
        console.print(f"[yellow]Could not evaluate {reference}:[/yellow] {reason}")


def register(app: typer.Typer) -> None:
    app.command("demo-workflow")(demo_workflow)
