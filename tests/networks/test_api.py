"""The API's network benchmark, on the networks tests' two member trusts (the package's own
fixture, so it is torn down with this package and no other test sees the trusts)."""

from __future__ import annotations

from tests.api.conftest import token_client


def test_a_network_benchmark_is_the_networks_own_suppressed_table(pair, network):
    """Two synthetic member trusts (the networks tests' fixture): the endpoint's rows are
    exactly what trustlens.networks.benchmarks builds for the viewer's trust, suppressed."""
    from trustlens.networks import benchmarks

    client = token_client(pair.users["north_exec"])
    response = client.get(f"/api/v1/networks/{network.slug}/benchmark/?measure=attendance")
    assert response.status_code == 200
    body = response.json()
    years = benchmarks.years_held(network, "attendance")
    assert body["years"] == years and body["year"] in years
    north = pair.trusts["north"]
    expected = benchmarks.benchmark(network, "attendance", body["year"], as_trust=north)
    assert body["rows"] == expected.records() and body["rows"]
    assert set(body["trusts"]) == {"Northfell Trust", "Southmere Trust"}
    assert body["threshold"] == expected.threshold
    for row in body["rows"]:
        if row["pupils"] == "c" or (
            isinstance(row["pupils"], int) and row["pupils"] < expected.threshold
        ):
            assert row["score"] == "c", row
    south_only = token_client(pair.users["south_exec"])
    asked = south_only.get(f"/api/v1/networks/{network.slug}/benchmark/?measure=exclusions")
    assert asked.status_code == 403  # give to get: south does not share exclusions
    assert (
        token_client(pair.users["loner_exec"])
        .get(f"/api/v1/networks/{network.slug}/benchmark/")
        .status_code
        == 404
    )
