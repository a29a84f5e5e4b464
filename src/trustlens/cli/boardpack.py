"""CLI command of the dashboards area: ``trustlens board-pack --trust SLUG --out FILE``.

The pack is built as the board sees it: the trust's every academy, aggregates only, small
groups withheld (``c``), the same context and renderers as ``/schools/board-pack/``. The
export is audited like the web download.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trustlens.cli._django import setup_django

console = Console()

TrustOpt = Annotated[str, typer.Option("--trust", help="The trust's slug.")]
OutOpt = Annotated[
    Path, typer.Option("--out", help="Where to write the pack: a .pdf or .xlsx file.")
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="Figures published by this date (YYYY-MM-DD).")
]


class BoardReader:
    """The board's view of one trust (every academy, aggregates only), for the command line."""

    is_authenticated = True
    is_active = True
    pk = id = None

    def __init__(self, trust_id: int, academy_ids: frozenset[int]) -> None:
        from trustlens.core.scoping import Scope

        self._trustlens_scope = Scope(
            user_id=None,
            trust_ids=frozenset({trust_id}),
            academy_ids=academy_ids,
            roles=frozenset({"trustee"}),
            description=("board pack from the command line",),
        )


def board_pack(trust: TrustOpt, out: OutOpt, date: DateOpt = None) -> None:
    """Write the trust's board pack (outcomes, inclusion, quality, stages, support, impact)."""
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "xlsx"):
        console.print(f"[red]--out must end in .pdf or .xlsx, not {out.name!r}[/red]")
        raise typer.Exit(2)
    try:
        as_of = dt.date.fromisoformat(date) if date else None
    except ValueError:
        console.print(f"[red]--date {date!r} is not a date like 2025-03-31[/red]")
        raise typer.Exit(2) from None
    setup_django()
    from trustlens.core.audit import log_event
    from trustlens.dashboards import boardpack
    from trustlens.organisations.models import Academy, Trust

    found = Trust.objects.unscoped().filter(slug=trust).first()
    if found is None:
        console.print(f"[red]no trust {trust!r}[/red]")
        raise typer.Exit(1)
    ids = frozenset(Academy.objects.unscoped().filter(trust=found).values_list("pk", flat=True))
    context = boardpack.pack_context(BoardReader(found.pk, ids), as_of)
    body = boardpack.render_pdf(context) if kind == "pdf" else boardpack.render_xlsx(context)
    out.write_bytes(body)
    label = (as_of or dt.date.today()).isoformat()
    log_event(
        None,
        "export",
        "dashboards.boardpack",
        f"board pack {kind} for {label} (command line)",
        format=kind,
        date=label,
        trust=trust,
        academies=len(context["rows"]),
    )
    console.print(
        f"[green]Wrote[/green] {out} ({len(body):,} bytes, {len(context['rows'])} academies)"
    )


def register(app: typer.Typer) -> None:
    app.command("board-pack")(board_pack)
