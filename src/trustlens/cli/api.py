"""``trustlens api-token USER``: issue an API token for a user (printed once, on the last line)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from trustlens.cli._django import setup_django

err_console = Console(stderr=True)


def api_token(
    username: Annotated[str, typer.Argument(help="The user the token acts as (their scope).")],
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="Days it lasts.")] = 90,
    name: Annotated[str, typer.Option("--name", help="What it is for.")] = "API",
) -> None:
    """Create an API token for USER; the token is printed on the last line, once only."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from trustlens.api.services import issue_token

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        err_console.print(f"[red]No user[/red] {username!r}")
        raise typer.Exit(1)
    try:
        issued = issue_token(user, name=name, days=days)
    except ValidationError as error:
        err_console.print(f"[red]Not issued[/red]: {'; '.join(error.messages)}")
        raise typer.Exit(1) from None
    token = issued.token
    typer.echo(
        f"Token {token.prefix}… for {username}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}."
    )
    typer.echo("Store it now: it is shown only once. Send it as 'Authorization: Bearer <token>'.")
    typer.echo(issued.secret)


def register(app: typer.Typer) -> None:
    app.command("api-token")(api_token)
