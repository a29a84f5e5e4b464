"""Figures through the API: the measures endpoint gives the CLI's rows (``trustlens measure
NAME --format json``) limited to the caller's scope; summaries, windows and completeness."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from typer.testing import CliRunner

from tests.api.conftest import token_client
from tests.dashboards.trust_fixture import ACADEMIES

pytestmark = pytest.mark.django_db
YEAR = "2023/24"
TINY = 190005  # Tiny Fen Primary: a KS2 cohort of 4 pupils


def cli_rows(measure: str) -> list[dict]:
    from trustlens.cli import build_app

    args = [
        "measure",
        measure,
        "--trust",
        "dashtest",
        "--year",
        YEAR,
        "--format",
        "json",
        "--store",
        str(settings.STORE_DIR),
    ]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout[result.stdout.index("[") :])


def measure(client, name: str, **params) -> list[dict]:
    query = "&".join(
        f"{k}={v}" for k, v in {"measure": name, "academic_year": YEAR, **params}.items()
    )
    response = client.get(f"/api/v1/measures/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_exec_gets_exactly_the_cli_rows(seaward):
    """The CLI's rows, field for field, except that the API names academies from the records
    database (the store's academies table may lack names)."""
    name = "ks2"
    rows = measure(token_client(seaward.users["exec"]), name)
    names = {a.urn: a.name for a in seaward.academies.values()}
    expected = [
        {**{k: r[k] for k in rows[0]}, "academy": names.get(r["urn"], r["academy"])}
        for r in cli_rows(name)
    ]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):  # same order, fields, values (to 1e-9)
        assert got == pytest.approx(want, abs=1e-9)
    assert any(r["urn"] is None for r in rows)  # the trust's own row
    assert {"pupils", "score", "ci_low", "ci_high", "band"} <= set(rows[0])


def test_small_groups_are_suppressed(seaward):
    rows = measure(token_client(seaward.users["trustee"]), "ks2")
    tiny = [r for r in rows if r["urn"] == TINY]
    assert tiny and all(r["score"] == "c" and r["ci_low"] == "c" for r in tiny)
    assert all(r["pupils"] == 4 for r in tiny)  # n is shown; the figures are not
    # Complementary suppression: the only other primary is withheld too (trust minus it = tiny).
    assert all(r["score"] == "c" for r in rows if r["urn"] is not None)
    trust = [r for r in rows if r["urn"] is None]
    assert trust and all(isinstance(r["score"], float) for r in trust)


def test_a_head_gets_only_their_academy_and_the_trust(seaward):
    first = ACADEMIES[0][0]
    rows = measure(token_client(seaward.users["head"]), "attendance")
    assert {r["urn"] for r in rows} == {first, None}
    assert all(isinstance(r["score"], float) for r in rows if r["urn"] == first)
    only = measure(token_client(seaward.users["exec"]), "attendance", urn=first)
    assert {r["urn"] for r in only} == {first}


def test_bad_measure_requests_name_the_parameter(seaward):
    client = token_client(seaward.users["exec"])
    assert "measure" in client.get(f"/api/v1/measures/?measure=iq&academic_year={YEAR}").json()
    bad_year = client.get("/api/v1/measures/?measure=ks2&academic_year=2023-24")
    assert bad_year.status_code == 400 and "academic_year" in bad_year.json()
    other = client.get(f"/api/v1/measures/?measure=ks2&academic_year={YEAR}&trust=riverside")
    assert other.status_code == 404


def test_summaries_carry_n_interval_and_withhold_small_groups(seaward):
    cells = token_client(seaward.users["exec"]).get("/api/v1/summaries/").json()
    assert {c["urn"] for c in cells} == {a[0] for a in ACADEMIES}
    assert all(c["pupils"] is None or c["pupils"] >= 6 or c["value"] is None for c in cells)
    assert any(c["value"] is not None and c["ci_low"] is not None for c in cells)
    head = token_client(seaward.users["head"]).get("/api/v1/summaries/").json()
    assert {c["urn"] for c in head} == {ACADEMIES[0][0]}


def test_organisation_tree_names_only_academies_in_scope(seaward):
    tree = token_client(seaward.users["head"]).get("/api/v1/organisation/").json()
    urns = [u for t in tree for r in t["regions"] for c in r["clusters"] for u in c["urns"]]
    assert urns == [ACADEMIES[0][0]]
    full = token_client(seaward.users["exec"]).get("/api/v1/organisation/").json()
    assert sorted(
        u for t in full for r in t["regions"] for c in r["clusters"] for u in c["urns"]
    ) == sorted(a[0] for a in ACADEMIES)
