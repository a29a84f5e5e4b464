"""``trustlens network``: create, join, leave, benchmark (JSON rows), refusals; the partner
role sees network outputs only."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from trustlens.cli import app, build_app
from trustlens.core.models import AuditEvent
from trustlens.networks.models import Membership, Network

pytestmark = pytest.mark.django_db
build_app()


def _run(*args):
    return CliRunner().invoke(app, ["network", *args])


def test_create_join_benchmark_leave(pair):
    assert _run("create", "vale", "--name", "Vale Network").exit_code == 0
    assert _run("create", "vale", "--name", "Again").exit_code == 2
    joined = _run("join", "vale", "--trust", "north", "--share", "attendance,exclusions")
    assert joined.exit_code == 0 and "sharing attendance, exclusions" in joined.output
    assert _run("join", "vale", "--trust", "south", "--share", "attendance").exit_code == 0
    bad = _run("join", "vale", "--trust", "south", "--share", "attendance,shoe_size")
    assert bad.exit_code == 2 and "shoe_size" in bad.output
    network = Network.objects.unscoped().get(slug="vale")
    assert AuditEvent.objects.filter(object_type="networks.membership").count() >= 2
    from trustlens.networks.benchmarks import years_held

    year = years_held(network, "attendance")[1]
    out = _run(
        "benchmark",
        "vale",
        "--as-trust",
        "north",
        "--measure",
        "attendance",
        "--year",
        year,
        "--format",
        "json",
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert {"trust", "urn", "academy", "group", "pupils", "score", "ci_low", "ci_high"} <= set(
        rows[0]
    )
    assert {r["level"] for r in rows} == {"academy", "trust", "network"}
    assert all(r["urn"] is None for r in rows if r["level"] != "academy")
    refused = _run(
        "benchmark", "vale", "--as-trust", "loner", "--measure", "attendance", "--year", year
    )
    assert refused.exit_code == 1 and "not a member" in refused.output
    assert _run("leave", "vale", "--trust", "south").exit_code == 0
    assert not Membership.objects.unscoped().get(network=network, trust__slug="south").active
    assert _run("leave", "vale", "--trust", "south").exit_code == 1
    gone = _run(
        "benchmark", "vale", "--as-trust", "south", "--measure", "attendance", "--year", year
    )
    assert gone.exit_code == 1


def test_a_partner_sees_network_outputs_and_nothing_else(pair, network, client_for):
    client = client_for(pair.users["partner"])
    index = client.get(reverse("networks:index")).content.decode()
    assert network.name in index and "Network partner: County Council" in index
    assert client.get(reverse("networks:benchmark", args=[network.slug])).status_code == 200
    for name in ("dashboards:overview", "pupils:list", "quality:index", "improvement:index"):
        response = client.get(reverse(name))
        body = response.content.decode()
        assert response.status_code in (403, 404) or pair.trusts["north"].name not in body, name
    page = client.get(reverse("networks:membership", args=[network.slug]))
    assert page.status_code == 403


def test_academy_staff_and_other_networks_partners_are_refused(
    pair, network, client_for, world, head_a
):
    assert (
        client_for(head_a).get(reverse("networks:detail", args=[network.slug])).status_code == 404
    )
    from trustlens.networks import services

    other = services.create_network("elsewhere", "Elsewhere")
    assert (
        client_for(pair.users["partner"])
        .get(reverse("networks:detail", args=[other.slug]))
        .status_code
        == 404
    )


def test_an_executive_changes_what_the_trust_shares(pair, network, client_for):
    client = client_for(pair.users["south_exec"])
    url = reverse("networks:membership", args=[network.slug])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"shares": ["attendance"], "contact_name": ""})
    assert bad.status_code == 400 and "Named contact" in bad.content.decode()
    done = client.post(url, {"shares": ["attendance", "exclusions"], "contact_name": "New contact"})
    assert done.status_code == 302
    member = Membership.objects.unscoped().get(network=network, trust=pair.trusts["south"])
    assert member.shares == ["attendance", "exclusions"] and member.contact_name == "New contact"
    trustee = client_for(pair.users["south_trustee"])
    assert trustee.get(url).status_code == 403


def test_an_executive_leaves_on_the_page(pair, network, client_for):
    client = client_for(pair.users["south_exec"])
    url = reverse("networks:membership", args=[network.slug])
    assert "Leave Dales Network" in client.get(url).content.decode()
    assert client.post(url, {"leave": "1"}).status_code == 302
    assert not Membership.objects.unscoped().get(network=network, trust=pair.trusts["south"]).active
    assert client.get(reverse("networks:detail", args=[network.slug])).status_code == 404


def test_the_network_entry_shows_to_partners_and_members_only(
    pair, network, client_for, world, head_a
):
    """A partner (no role grant) finds the network from the home page and the navigation; an
    academy's head, whose trust is not a member, is never offered it."""
    url = reverse("networks:index")
    home = client_for(pair.users["partner"]).get(reverse("home")).content.decode()
    assert f'href="{url}"' in home and "You have no role yet" not in home
    member = client_for(pair.users["north_exec"]).get(reverse("home"))
    assert f'href="{url}"' in member.content.decode()
    assert any(area["url"] == url for area in member.context["areas"])  # "What you can do" too
    head = client_for(head_a).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in head
