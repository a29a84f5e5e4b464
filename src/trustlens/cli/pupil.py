"""``trustlens pupil``: subject access export, erasure and the retention list for one trust."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from trustlens.cli._django import setup_django

console = Console()
pupil_app = typer.Typer(
    help="Subject access (export), erasure and retention of pupils' records.",
    no_args_is_help=True,
)
Trust = Annotated[str, typer.Option("--trust", help="Slug of the pupil's trust.")]
PupilId = Annotated[str, typer.Argument(help="The trust's pupil_id (pupils.csv).")]


def _missing(pupil_id: str, trust: str) -> typer.Exit:
    console.print(f"[red]No pupil[/red] {pupil_id!r} in trust {trust!r}")
    return typer.Exit(1)


@pupil_app.command("export")
def export(pupil_id: PupilId, trust: Trust) -> None:
    """Print everything held on one pupil as JSON (records database and analytical store)."""
    setup_django()
    from trustlens.pupils.models import Pupil
    from trustlens.pupils.services import subject_access_export

    try:
        held = subject_access_export(trust, pupil_id)
    except Pupil.DoesNotExist:
        raise _missing(pupil_id, trust) from None
    typer.echo(json.dumps(held, indent=1, default=str, sort_keys=True))


@pupil_app.command("erase")
def erase(
    pupil_id: PupilId,
    trust: Trust,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in the audit log).")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: erasure cannot be undone.")] = False,
) -> None:
    """Erase one pupil from the records database and the analytical store (cannot be undone)."""
    if not yes:
        console.print("[red]Not erased[/red]: pass --yes to confirm (erasure cannot be undone)")
        raise typer.Exit(1)
    if not reason.strip():
        console.print("[red]Not erased[/red]: give a --reason")
        raise typer.Exit(1)
    setup_django()
    from trustlens.pupils.models import Pupil
    from trustlens.pupils.services import erase_pupil

    try:
        done = erase_pupil(trust, pupil_id, reason)
    except Pupil.DoesNotExist:
        raise _missing(pupil_id, trust) from None
    console.print(
        f"[green]Erased[/green] pupil (audit reference {done.pupil_hash[:16]}): "
        f"{sum(done.database_rows.values())} database rows, "
        f"{sum(done.store_rows.values())} store rows, "
        f"{done.audit_rows_pseudonymised} audit rows pseudonymised"
    )


@pupil_app.command("retention")
def retention(trust: Trust) -> None:
    """List pupils past the retention period (left more than TRUSTLENS_LEAVER_RETENTION_YEARS ago)."""
    setup_django()
    from django.conf import settings

    from trustlens.pupils.services import leaver_cutoff, past_retention

    rows = list(past_retention(trust))
    console.print(
        f"{len(rows)} pupil(s) of {trust!r} left before {leaver_cutoff():%d %B %Y} "
        f"({settings.LEAVER_RETENTION_YEARS} years): review under the trust's retention schedule"
    )
    for pupil in rows:
        typer.echo(f"{pupil.pupil_id}\tleft {pupil.left:%Y-%m-%d}")


def register(app: typer.Typer) -> None:
    app.add_typer(pupil_app, name="pupil")
