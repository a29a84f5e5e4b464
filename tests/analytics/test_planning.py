"""Place planning by cohort survival: planted ratios recovered, intervals cover as stated,
and a backtest on the synthetic trust's roll."""

from __future__ import annotations

import datetime as dt

import ibis
import numpy as np
import pandas as pd
import pytest

from trustlens.analytics import planning

LEVEL = 0.8


def _planted_roll(rng, years=6, ratio=1.02, sd=0.03, intake=100.0, intake_sd=0.05, area="A"):
    """Reception intake log-normal; every year group survives with a log-normal ratio."""
    rows, cohort = [], {}
    for year in range(2015, 2021 + years):
        new = {0: intake * np.exp(rng.normal(0, intake_sd))}
        for g in range(1, 7):
            if g - 1 in cohort:
                new[g] = cohort[g - 1] * ratio * np.exp(rng.normal(0, sd))
        cohort = new
        if year >= 2021:  # a burn-in so every year group is filled
            rows += [
                {"area": area, "year": year, "year_group": g, "pupils": round(n)}
                for g, n in cohort.items()
            ]
    return pd.DataFrame(rows)


def test_planted_growth_is_recovered():
    rng = np.random.default_rng(3)
    roll = _planted_roll(rng, ratio=1.05, sd=0.01, intake_sd=0.01)
    [first, *_] = planning.forecast_area("A", roll, horizon=1)
    last = roll[roll["year"] == roll["year"].max()].set_index("year_group")["pupils"]
    expected = 100 + sum(last[g] * 1.05 for g in range(0, 6))
    assert first.low < expected < first.high
    assert first.pupils == pytest.approx(expected, rel=0.02)


def test_intervals_cover_about_as_often_as_stated_on_planted_rolls():
    """200 planted areas: the one-year-ahead 80% interval covers the next year's total
    between 72% and 88% of the time (binomial SE 2.8 points at 80%)."""
    rng = np.random.default_rng(11)
    covered = []
    for i in range(200):
        roll = _planted_roll(rng, years=7, area=str(i))
        known, last = roll[roll["year"] < roll["year"].max()], roll["year"].max()
        [f] = planning.forecast_area(str(i), known, horizon=1, level=LEVEL, seed=i)
        actual = roll[roll["year"] == last]["pupils"].sum()
        covered.append(f.low <= actual <= f.high)
    assert 0.72 <= np.mean(covered) <= 0.88, np.mean(covered)


def _synthetic_roll(tmp_path, seed: int) -> pd.DataFrame:
    from trustlens.synth import generate_trust
    from trustlens.synth.parameters import TODAY

    generate_trust(tmp_path, 12, seed, years=8)
    spells = pd.read_csv(tmp_path / "enrolments.csv", parse_dates=["start_date", "end_date"])
    for column in ("start_date", "end_date"):
        spells[column] = spells[column].dt.date
    roll = planning.census_roll(ibis.memtable(spells), range(TODAY.year - 7, TODAY.year + 1), TODAY)
    return planning.area_roll(roll, {int(u): str(u) for u in roll["urn"].unique()})


def test_census_roll_counts_each_pupil_once_per_census(tmp_path):
    spells = pd.DataFrame(
        {
            "pupil_id": ["a", "b", "c"],
            "urn": [1, 1, 1],
            "year_group": [3, 6, 2],
            "start_date": [dt.date(2020, 9, 1), dt.date(2019, 9, 1), dt.date(2024, 1, 10)],
            "end_date": [None, dt.date(2024, 7, 20), None],
        }
    )
    roll = planning.census_roll(ibis.memtable(spells), [2022, 2023, 2024], dt.date(2024, 11, 1))
    got = {(r.year, r.year_group): r.pupils for r in roll.itertuples()}
    # a: Y3 in 2024/25 -> Y1 in 2022, Y2 in 2023; b: Y6 in 2023/24 -> Y5 in 2022; c from 2024
    assert got == {
        (2022, 1): 1,
        (2023, 2): 1,
        (2024, 3): 1,
        (2022, 5): 1,
        (2023, 6): 1,
        (2024, 2): 1,
    }


@pytest.mark.parametrize("seed", [7, 23])
def test_backtest_on_the_synthetic_roll(tmp_path, seed):
    """Years already known, forecast from the years before them: the 80% intervals cover
    the outcome about as often as stated (within 0.65-0.95 over 84 academy-years; the
    cells of one academy are correlated, so the band is wider than a binomial one)."""
    rolls = _synthetic_roll(tmp_path, seed)
    result = planning.backtest(rolls, min_years=4, horizon=2, level=LEVEL)
    assert len(result) >= 60
    assert 0.65 <= result["covered"].mean() <= 0.95, result["covered"].mean()


def test_places_give_surplus_and_shortfall_with_their_interval():
    f = [planning.Forecast("A", 2026, 110.0, 100.0, 130.0, LEVEL)]
    [row] = planning.places(f, {"A": 120}, {"A": 105}).to_dict("records")
    assert (row["surplus"], row["surplus_low"], row["surplus_high"]) == (10, -10, 20)
    assert row["academic_year"] == "2026/27"
