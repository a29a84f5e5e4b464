"""System commands: init (create or migrate the database), serve, manage, demo-users."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.console import Console

from trustlens.cli._django import setup_django

console = Console()
#: Gunicorn reads its settings from this module (``python:`` form: no file path to find).
GUNICORN_CONFIG = "python:trustlens.config.gunicorn"


def init() -> None:
    """Create or migrate the database in the configured place (safe to run twice)."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    settings.STORE_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    if not settings.DEBUG:
        call_command("collectstatic", interactive=False, verbosity=0)
    console.print(f"[green]Database ready[/green]: {settings.DATABASES['default']['NAME']}")
    console.print(f"Analytical store: {settings.STORE_DIR}")


def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    production: bool = typer.Option(
        False,
        "--production",
        help="Gunicorn (workers from the CPU count) with the production settings, not runserver.",
    ),
    workers: int = typer.Option(0, help="Gunicorn workers (default: 2 x CPUs + 1)."),
) -> None:
    """Serve the web app: Django's threaded development server, or Gunicorn with --production."""
    if production:
        os.execv(sys.executable, gunicorn_command(host, port, workers))
    setup_django()
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)


def gunicorn_command(host: str, port: int, workers: int = 0) -> list[str]:
    """The Gunicorn command line (``trustlens.config.gunicorn`` holds the settings); the
    production settings unless DJANGO_SETTINGS_MODULE says otherwise."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustlens.config.settings.production")
    command = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "--bind", f"{host}:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    return [*command, "trustlens.config.wsgi:application"]


def manage(
    args: Annotated[
        list[str] | None, typer.Argument(help="Arguments for Django's manage.py.")
    ] = None,
) -> None:
    """Run any Django management command (migrate, createsuperuser, shell...)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trustlens manage", *(args or [])])


def demo_users(
    trust: str = typer.Option("demo", help="Slug of the trust to create logins for."),
    password: str = typer.Option("trustlens-demo", help="Password for every demo login."),
) -> None:
    """Create one demo login per role in TRUST and print them."""
    setup_django()
    from trustlens.people.services import create_demo_users

    rows = create_demo_users(trust, password)
    console.print(f"\n[bold]Demo logins[/bold] (password for all: [cyan]{password}[/cyan])")
    for username, role, node in rows:
        console.print(f"  {username:<22} {role:<32} {node}")


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(serve)
    app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(manage)
    app.command("demo-users")(demo_users)
