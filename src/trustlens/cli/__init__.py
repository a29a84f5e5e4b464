"""The ``trustlens`` command. Each area registers its commands from its own module."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    help="trustlens: school improvement for multi-academy trusts.",
    no_args_is_help=True,
    add_completion=False,
)

#: Modules under trustlens.cli that each define ``register(app)``.
COMMAND_MODULES = (
    "system",
    "synth",
    "ingest",
    "measures",
    "practice",
    "interventions",
    "workflow",
    "backup",
    "pupil",
    "governance",
    "boardpack",
    "network",
    "api",
)


def build_app() -> typer.Typer:
    for name in COMMAND_MODULES:
        importlib.import_module(f"trustlens.cli.{name}").register(app)
    return app


def main() -> None:
    build_app()()
