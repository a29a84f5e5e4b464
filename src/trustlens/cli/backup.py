"""CLI commands for operators: ``backup`` and ``restore`` (see ``trustlens.core.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trustlens.cli._django import setup_django

console = Console()


def backup(
    file: Annotated[Path, typer.Argument(help="Archive to write (tar.gz).")],
) -> None:
    """Write the database, the analytical store and uploaded files to one archive (safe while
    the app runs)."""
    setup_django()
    from trustlens.core.backup import create_backup

    result = create_backup(file)
    console.print(
        f"[green]Backup written[/green]: {result.path} ({result.rows:,} database rows, "
        f"{result.files:,} files, trusts: {', '.join(result.trusts) or 'none'})"
    )


def restore(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Archive from `trustlens backup`.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Empty a non-empty installation first.")
    ] = False,
) -> None:
    """Restore an archive into an empty data directory and database."""
    setup_django()
    from trustlens.core.backup import BackupError, restore_backup

    try:
        meta = restore_backup(file, force=force)
    except BackupError as exc:
        console.print(f"[red]Not restored[/red]: {exc}")
        raise typer.Exit(1) from exc
    console.print(
        f"[green]Restored[/green] the backup of {meta['created_at']} "
        f"(trusts: {', '.join(meta['trusts']) or 'none'})"
    )


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
