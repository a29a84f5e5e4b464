"""``trustlens network create|join|leave|partner|benchmark``: networks of trusts.

``benchmark`` prints the network benchmark as a member trust sees it: every academy and trust
of the members that share the measure, the network and the national figure, suppressed
(``c``) for fewer than ``SUPPRESSION_THRESHOLD`` pupils with secondary suppression. A trust
that is not a member (or does not share the measure) is refused with exit status 1.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from trustlens.cli._django import setup_django

err_console = Console(stderr=True)
network_app = typer.Typer(
    help="Networks of trusts: membership, sharing and shared benchmarks.", no_args_is_help=True
)

SlugArg = Annotated[str, typer.Argument(help="The network's slug.")]
TrustOpt = Annotated[str, typer.Option("--trust", help="Slug of the member trust.")]
#: The columns ``--format json`` prints, in order.
JSON_COLUMNS = ("trust", "urn", "academy", "group", "level", "measure", "subject", "term")
JSON_COLUMNS += ("pupils", "score", "ci_low", "ci_high")


def _fail(message: str, code: int = 1) -> None:
    err_console.print(f"[red]{message}[/red]")
    raise typer.Exit(code)


def _network(slug: str):
    from trustlens.networks.models import Network

    network = Network.objects.unscoped().filter(slug=slug).first()
    if network is None:
        _fail(f"No network called {slug!r}.")
    return network


def _trust(slug: str):
    from trustlens.organisations.models import Trust

    trust = Trust.objects.unscoped().filter(slug=slug).first()
    if trust is None:
        _fail(f"No trust called {slug!r}.")
    return trust


def _errors(error) -> str:
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())


@network_app.command("create")
def create(slug: SlugArg, name: Annotated[str, typer.Option("--name")]) -> None:
    """Create a network."""
    setup_django()
    from django.core.exceptions import ValidationError

    from trustlens.networks.services import create_network

    try:
        network = create_network(slug, name)
    except ValidationError as error:
        _fail(_errors(error), 2)
    print(f"Created network {network.slug}: {network.name}")


@network_app.command("join")
def join(
    slug: SlugArg,
    trust: TrustOpt,
    share: Annotated[
        str,
        typer.Option("--share", help="Comma-separated: attendance,exclusions,ks2,progress8,roll"),
    ],
    contact: Annotated[
        str, typer.Option("--contact", help="The trust's named contact.")
    ] = "Data lead",
    email: Annotated[str, typer.Option("--email")] = "",
) -> None:
    """Join a network (or change what the trust shares)."""
    setup_django()
    from django.core.exceptions import ValidationError

    from trustlens.networks.services import join as join_network

    network, member = _network(slug), _trust(trust)
    try:
        membership = join_network(network, member, share.split(","), contact, email)
    except ValidationError as error:
        _fail(_errors(error), 2)
    print(f"{member.name} is a member of {network.name}, sharing {', '.join(membership.shares)}")


@network_app.command("leave")
def leave(slug: SlugArg, trust: TrustOpt) -> None:
    """Leave a network: the trust's data leaves every later output."""
    setup_django()
    from django.core.exceptions import ValidationError

    from trustlens.networks.services import leave as leave_network

    network, member = _network(slug), _trust(trust)
    try:
        leave_network(network, member)
    except ValidationError as error:
        _fail(_errors(error))
    print(f"{member.name} has left {network.name}")


@network_app.command("partner")
def partner(
    slug: SlugArg,
    username: Annotated[str, typer.Option("--username", help="The partner's login.")],
    organisation: Annotated[str, typer.Option("--organisation")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="local_authority, maintained_school, teaching_school_hub, other"
        ),
    ] = "other",
) -> None:
    """Give an existing login the network-partner role (sees this network's outputs only)."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from trustlens.networks.services import add_partner

    network = _network(slug)
    login = get_user_model().objects.filter(username=username).first()
    if login is None:
        _fail(f"No login called {username!r}.")
    try:
        add_partner(network, login, organisation, kind)
    except ValidationError as error:
        _fail(_errors(error), 2)
    print(f"{username} ({organisation}) is a partner of {network.name}")


@network_app.command("benchmark")
def benchmark(
    slug: SlugArg,
    as_trust: Annotated[str, typer.Option("--as-trust", help="The member trust asking.")],
    measure: Annotated[
        str, typer.Option("--measure", help="attendance, exclusions, ks2, progress8")
    ],
    year: Annotated[str, typer.Option("--year", help='Academic year, e.g. "2023/24".')],
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """The network benchmark as a member trust sees it (suppressed values are 'c')."""
    from trustlens.networks.choices import BENCHMARK_MEASURES

    if measure not in BENCHMARK_MEASURES:
        _fail(f"--measure must be one of {', '.join(BENCHMARK_MEASURES)}, not {measure!r}", 2)
    setup_django()
    from trustlens.networks.benchmarks import NotAMemberError
    from trustlens.networks.benchmarks import benchmark as network_benchmark

    network, trust = _network(slug), _trust(as_trust)
    try:
        result = network_benchmark(network, measure, year, as_trust=trust)
    except NotAMemberError as refusal:
        _fail(f"Refused: {refusal}")
    if result.rows.empty:
        _fail(f"No {measure} figures for {year} from the members sharing it.")
    records = [{k: r[k] for k in JSON_COLUMNS} for r in result.records()]
    if fmt == "json":
        print(json.dumps(records, indent=1, default=str))
        return
    Console().print(_table(records, f"{network.name}: {measure}, {year}"))


def _table(records: list[dict], title: str) -> Table:
    table = Table(
        title=title, caption="95% intervals; c = fewer than the threshold (or would reveal one)"
    )
    for column in (
        "trust",
        "academy",
        "level",
        "measure",
        "subject",
        "pupils",
        "score",
        "ci_low",
        "ci_high",
    ):
        table.add_column(
            column,
            justify="right" if column in ("pupils", "score", "ci_low", "ci_high") else "left",
        )
    for r in records:
        table.add_row(
            *[
                _cell(r[c])
                for c in (
                    "trust",
                    "academy",
                    "level",
                    "measure",
                    "subject",
                    "pupils",
                    "score",
                    "ci_low",
                    "ci_high",
                )
            ]
        )
    return table


def _cell(value: object) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def register(app: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
