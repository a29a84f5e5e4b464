"""Network benchmarks across two imported trusts: who sees what, leaving, suppression, no
pupil-level value in any output (page, JSON, CLI)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from django.test import override_settings
from django.urls import reverse
from typer.testing import CliRunner

from trustlens.networks import benchmarks, services
from trustlens.networks.access import access_for
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db


def _year(network, measure="attendance"):
    return benchmarks.years_held(network, measure)[1]  # the last complete year


def _trusts(result) -> set[str]:
    return set(result.rows.loc[result.rows["level"].isin(["academy", "trust"]), "trust"])


def test_a_member_sees_partners_opted_in_measures_only(pair, network):
    north, south = pair.trusts["north"], pair.trusts["south"]
    year = _year(network)
    seen = benchmarks.benchmark(network, "attendance", year, as_trust=north)
    assert _trusts(seen) == {north.name, south.name}
    # south does not share exclusions: north's exclusions benchmark holds north alone
    exclusions = benchmarks.benchmark(
        network, "exclusions", _year(network, "exclusions"), as_trust=north
    )
    assert _trusts(exclusions) == {north.name}
    # and south, not sharing exclusions, is refused it (give to get)
    with pytest.raises(benchmarks.NotAMemberError):
        benchmarks.benchmark(network, "exclusions", year, as_trust=south)
    assert benchmarks.visible_measures(access_for(pair.users["south_exec"], network)) == [
        "attendance"
    ]


def test_a_non_member_sees_nothing_and_is_seen_by_no_one(pair, network, client_for):
    loner = pair.trusts["loner"]
    with pytest.raises(benchmarks.NotAMemberError):
        benchmarks.benchmark(network, "attendance", _year(network), as_trust=loner)
    assert not access_for(pair.users["loner_exec"], network).allowed
    for path in ("detail", "benchmark", "planning", "exchange", "services"):
        page = client_for(pair.users["loner_exec"]).get(
            reverse(f"networks:{path}", args=[network.slug])
        )
        assert page.status_code == 404
    loner_names = set(Academy.objects.unscoped().filter(trust=loner).values_list("name", flat=True))
    for measure in ("attendance", "exclusions"):
        result = benchmarks.benchmark(network, measure, _year(network, measure))
        assert loner.name not in set(result.rows["trust"])
        assert not loner_names & set(result.rows["academy"])
    page = client_for(pair.users["partner"]).get(reverse("networks:benchmark", args=[network.slug]))
    assert loner.name not in page.content.decode()


def test_leaving_withdraws_data_from_every_later_output(pair, network, client_for):
    south = pair.trusts["south"]
    year = _year(network)
    before = benchmarks.benchmark(network, "attendance", year)
    assert south.name in _trusts(before)
    services.leave(network, south)
    after = benchmarks.benchmark(network, "attendance", year)
    assert south.name not in set(after.rows["trust"])
    assert south.name not in benchmarks.place_plan(network).trusts
    assert not access_for(pair.users["south_exec"], network).allowed
    page = client_for(pair.users["partner"]).get(reverse("networks:detail", args=[network.slug]))
    assert south.name not in page.content.decode()
    pooled = after.rows[
        (after.rows["level"] == "network") & (after.rows["measure"] == "attendance rate")
    ]
    trust = after.rows[
        (after.rows["level"] == "trust") & (after.rows["measure"] == "attendance rate")
    ]
    assert pooled["pupils"].iloc[0] == trust["pupils"].iloc[0]


@override_settings(SUPPRESSION_THRESHOLD=60)
def test_small_groups_are_c_everywhere_including_revealing_totals(pair, network, client_for):
    """With the threshold raised to 60, some academies fall under it: they are c, and so is
    a complementary cell wherever a total would give them away; the same on the page."""
    result = benchmarks.benchmark(network, "attendance", _year(network))
    rows = result.rows[result.rows["level"] != "national"].reset_index(drop=True)
    hidden = rows[rows["score"] == "c"]
    assert len(hidden), "the raised threshold should withhold some academies"
    for _, row in rows.iterrows():
        assert row["pupils"] == "c" or row["pupils"] >= 60
    from trustlens.analytics.network import _partitions

    for parent, children in _partitions(rows):
        unknown = [c for c in children if rows.at[c, "pupils"] == "c"]
        assert not (rows.at[parent, "pupils"] != "c" and len(unknown) == 1)
        assert not (rows.at[parent, "pupils"] == "c" and children and not unknown)
    page = client_for(pair.users["partner"]).get(
        reverse("networks:benchmark", args=[network.slug]),
        {"measure": "attendance", "year": result.year},
    )
    body = page.content.decode()
    assert body.count('<abbr title="suppressed') == len(hidden)
    for pupils in rows.loc[rows["pupils"] != "c", "pupils"]:
        assert f"{int(pupils):,}" in body


def _pupil_markers(pair) -> list[str]:
    markers = []
    for slug in ("north", "south", "loner"):
        pupils = pd.read_csv(pair.folders[slug] / "pupils.csv", dtype=str)
        markers += list(pupils["pupil_id"].head(200)) + list(pupils["upn"].dropna().head(200))
        markers += list(pupils["surname"].dropna().head(200))
    return [m for m in markers if len(m) > 3]


def test_no_pupil_level_value_appears_in_any_network_output(pair, network, client_for):
    """Every page, the JSON rows and the CLI: no pupil id, UPN or surname; every published
    row is an academy, trust, network or national aggregate of at least 6 pupils."""
    markers = _pupil_markers(pair)
    outputs = []
    for user in ("partner", "north_exec", "south_trustee"):
        client = client_for(pair.users[user])
        for path in ("index",):
            outputs.append(client.get(reverse(f"networks:{path}")).content.decode())
        for path in ("detail", "benchmark", "planning", "exchange", "services"):
            outputs.append(
                client.get(reverse(f"networks:{path}", args=[network.slug])).content.decode()
            )
    for measure in ("attendance", "exclusions"):
        result = benchmarks.benchmark(network, measure, _year(network, measure))
        outputs.append(json.dumps(result.records(), default=str))
        for record in result.records():
            assert record["level"] in {"academy", "trust", "network", "national"}
            assert record["pupils"] in ("c", None) or record["pupils"] >= 6
    outputs.append(benchmarks.place_plan(network).rows.to_json())
    from trustlens.cli import app, build_app

    build_app()
    cli = CliRunner().invoke(
        app,
        [
            "network",
            "benchmark",
            network.slug,
            "--as-trust",
            "north",
            "--measure",
            "attendance",
            "--year",
            _year(network),
            "--format",
            "json",
        ],
    )
    assert cli.exit_code == 0, cli.output
    outputs.append(cli.output)
    text = "\n".join(outputs)
    leaked = [m for m in markers if m in text]
    assert not leaked, leaked[:5]


@pytest.mark.parametrize("measure", ["exits", "finance"])
def test_exits_and_spending_per_pupil_are_benchmarked_too(pair, measure):
    from trustlens.networks import services as svc

    net = svc.create_network(f"n-{measure}", "Measures Network")
    svc.join(net, pair.trusts["north"], [measure], "N")
    svc.join(net, pair.trusts["south"], [measure], "S")
    years = benchmarks.years_held(net, measure)
    assert years
    result = next(
        r for r in (benchmarks.benchmark(net, measure, y) for y in years) if not r.rows.empty
    )
    assert _trusts(result) == {pair.trusts["north"].name, pair.trusts["south"].name}
    assert "network" in set(result.rows["level"])
    if measure == "exits":
        assert "Year 10" not in set(result.rows["group"])  # timing groups partition the cohort
        assert len(set(result.rows["group"])) > 1
    else:
        published = result.rows[result.rows["score"] != "c"]
        assert (published["score"].astype(float) > 1000).all()  # pounds per pupil


def test_a_plan_with_nothing_to_forecast_is_empty_not_an_error(pair, network, monkeypatch):
    """A member whose roll holds too few census years gives no forecast: the planning page
    says there is nothing to show (it was a KeyError, a 500)."""
    from trustlens.networks import benchmarks

    monkeypatch.setattr(benchmarks.planning, "forecast", lambda roll, horizon: [])
    plan = benchmarks.place_plan(network)
    assert plan.rows.empty and plan.trusts
