"""Similar schools on the real DfE 2018/19 tables (KS4 headline, census, absence): a real
school's 20 neighbours are far nearer to it in every feature than random schools are, and the
spread shown equals the spread computed straight from the published CSV rows of those URNs;
on synthetic schools a planted cluster is recovered exactly."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from trustlens.analytics import similar_schools as ss
from trustlens.ingest.dfe import read_dfe

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
FILES = {
    "ks4": "kspdev_england_ks4provisional.csv",
    "census": "kspdev_england_census.csv",
    "absence": "kspdev_england_abs.csv",
}


@pytest.fixture(scope="module")
def schools() -> pl.DataFrame:
    frames = {k: read_dfe(k, REAL / f, "2018/19").frame for k, f in FILES.items()}
    found, year = ss.from_tables(frames["ks4"], frames["census"], frames["absence"])
    assert year == "2018/19"
    return found


def _csv(name: str) -> dict[str, dict]:
    with (REAL / name).open(encoding="utf-8-sig") as handle:
        return {row["URN"]: row for row in csv.DictReader(handle) if row["URN"]}


def _number(text: str) -> float | None:
    text = text.strip().rstrip("%").replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _chosen(schools: pl.DataFrame, n: int = 5) -> list[int]:
    rng = np.random.default_rng(21)
    return [int(u) for u in rng.choice(schools["urn"].to_numpy(), n, replace=False)]


def test_candidates_are_mainstream_schools_with_p8(schools):
    ks4 = _csv(FILES["ks4"])
    assert 3000 < schools.height < 3300  # 3,182 published P8 scores, less the unmatched
    for urn in schools["urn"].to_list()[:200]:
        row = ks4[str(urn)]
        assert row["RECTYPE"] == "1" and _number(row["P8MEA"]) is not None


def test_prior_attainment_proxy_is_a8_minus_ten_unadjusted_p8(schools):
    ks4, census = _csv(FILES["ks4"]), _csv(FILES["census"])
    for urn in _chosen(schools, 20):
        row = schools.filter(pl.col("urn") == urn).row(0, named=True)
        published = ks4[str(urn)]
        expected = _number(published["ATT8SCR"]) - 10 * _number(published["P8MEA_ORIG"])
        assert row["prior_a8"] == pytest.approx(expected)
        assert row["disadvantaged_pct"] == _number(census[str(urn)]["PNUMFSMEVER"])
        assert row["pupils"] == _number(census[str(urn)]["NOR"])


def test_neighbours_of_real_schools_are_nearer_than_random_schools(schools):
    """For each feature, the neighbours' median distance from the school is under 40% of
    random schools' (a random school is typically a whole SD away in each feature)."""
    rng = np.random.default_rng(5)
    for urn in _chosen(schools):
        own = ss.features_of(schools, urn)
        near = ss.nearest(schools, own, exclude_urn=urn)
        assert near.height == ss.K and urn not in near["urn"].to_list()
        random = schools.filter(pl.col("urn") != urn).sample(200, seed=int(rng.integers(1e6)))
        target = own.vector()
        for feature in ss.FEATURES:
            near_gap = (near[feature] - target[feature]).abs().median()
            random_gap = (random[feature] - target[feature]).abs().median()
            assert near_gap < 0.4 * random_gap, (urn, feature, near_gap, random_gap)
        # and by construction no school outside the 20 is nearer than the farthest inside
        everyone = ss.nearest(schools, own, k=schools.height, exclude_urn=urn)
        assert everyone["distance"][ss.K] >= near["distance"].max()


def test_spread_shown_equals_the_published_rows_of_those_urns(schools):
    ks4, absence = _csv(FILES["ks4"]), _csv(FILES["absence"])
    columns = {"p8": "P8MEA", "a8": "ATT8SCR", "em4": "PTL2BASICS_94"}
    for urn in _chosen(schools, 3):
        near = ss.nearest(schools, ss.features_of(schools, urn), exclude_urn=urn)
        shown = ss.spreads(near)
        urns = [str(u) for u in near["urn"].to_list()]
        direct = {m: [_number(ks4[u][c]) for u in urns] for m, c in columns.items()}
        direct["attendance"] = [100 - _number(absence[u]["PERCTOT"]) for u in urns if u in absence]
        for measure, values in direct.items():
            values = [v for v in values if v is not None]
            spread = shown[measure]
            assert spread.schools == len(values)
            assert spread.low == pytest.approx(min(values))
            assert spread.high == pytest.approx(max(values))
            assert spread.median == pytest.approx(float(np.median(values)))
            assert spread.q1 == pytest.approx(float(np.percentile(values, 25)))
            assert spread.q3 == pytest.approx(float(np.percentile(values, 75)))


def test_planted_cluster_is_recovered():
    """20 schools planted tightly around a point among 500 scattered ones: they are its
    neighbours, whatever the features' units."""
    rng = np.random.default_rng(3)
    scattered = {
        "prior_a8": rng.normal(46, 6, 500),
        "disadvantaged_pct": rng.uniform(5, 70, 500),
        "pupils": rng.uniform(300, 2000, 500),
    }
    planted = {
        "prior_a8": rng.normal(52, 0.2, 20),
        "disadvantaged_pct": rng.normal(15, 0.5, 20),
        "pupils": rng.normal(1200, 10, 20),
    }
    frame = pl.DataFrame(
        {k: np.concatenate([scattered[k], planted[k]]) for k in scattered}
    ).with_columns(
        pl.Series("urn", range(1, 521)),
        pl.col("pupils").log().alias("log_pupils"),
    )
    near = ss.nearest(frame, ss.Features(52.0, 15.0, 1200.0))
    assert sorted(near["urn"].to_list()) == list(range(501, 521))


def test_academy_features_from_its_own_data():
    found = ss.academy_features([40.0, 50.0, float("nan")], [True, False, False, False], 4)
    assert found == ss.Features(45.0, 25.0, 4.0)
    assert ss.academy_features([], [True], 1) is None
    assert ss.Features(45.0, 25.0, 1000.0).vector()["log_pupils"] == pytest.approx(math.log(1000))
