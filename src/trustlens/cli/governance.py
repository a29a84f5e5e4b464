"""CLI commands of how the trust works and its calendar: ``trustlens framework import`` (a
self-evaluation framework file) and ``trustlens calendar remind`` (send due reminders and
late-data alerts by e-mail, each once)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trustlens.cli._django import setup_django

console = Console()
framework_app = typer.Typer(help="Trust self-evaluation frameworks.", no_args_is_help=True)
calendar_app = typer.Typer(help="The assessment calendar.", no_args_is_help=True)


def _trust(slug: str):
    from trustlens.organisations.models import Trust

    trust = Trust.objects.unscoped().filter(slug=slug).first()
    if trust is None:
        raise typer.BadParameter(f"no trust {slug!r}")
    return trust


@framework_app.command("import")
def import_framework(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="YAML or CSV framework.")
    ],
    trust: str = typer.Option(..., "--trust", help="The trust's slug."),
    code: str = typer.Option("", help="The framework's code (CSV files)."),
    name: str = typer.Option("", help="The framework's name (CSV files)."),
) -> None:
    """Import (or update) a self-evaluation framework for a trust."""
    setup_django()
    from django.core.exceptions import ValidationError

    from trustlens.governance import selfeval

    try:
        parsed = selfeval.parse(file.read_text(encoding="utf-8-sig"), file.name, code, name)
    except ValidationError as error:
        console.print(f"[red]{'; '.join(error.messages)}[/red]")
        raise typer.Exit(1) from error
    framework, added = selfeval.import_framework(None, _trust(trust), parsed)
    console.print(f"{framework.name}: {len(parsed.items)} items ({added} new).")


@calendar_app.command("remind")
def remind(
    trust: str = typer.Option(..., "--trust", help="The trust's slug."),
    today: str = typer.Option("", help="Act as on this date (YYYY-MM-DD); default today."),
) -> None:
    """Send the reminders and late-data alerts due today that have not been sent yet."""
    setup_django()
    from trustlens.assessment.calendar import send_notices

    day = dt.date.fromisoformat(today) if today else None
    sent = send_notices(_trust(trust), today=day)
    console.print(f"Sent {sent['reminder']} reminder(s) and {sent['late']} late-data alert(s).")


def register(app: typer.Typer) -> None:
    app.add_typer(framework_app, name="framework")
    app.add_typer(calendar_app, name="calendar")
