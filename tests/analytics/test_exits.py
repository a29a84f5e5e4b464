"""Unexplained exits and moves off roll (analytics/measures/exits.py).

Hand-computed spells (a pupil who moves and comes back, two spells in one year, a leaver on the
last day, a pupil with no end date...) on both engines (``con``), random spells against the
plain pandas reference (tests/analytics/reference.py) to 1e-9, and the output rows: funnel flag
against the trust, the trust's row with ``urn`` null, suppression with ``c``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from reference import exits_reference

from trustlens.analytics import engine
from trustlens.analytics.measures import exits
from trustlens.analytics.stats.intervals import wilson_interval

D = dt.date
X, Y = 140001, 140002
YEAR = "2023/24"


def _spells(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=["pupil_id", "urn", "year_group", "start_date", "end_date", "leaving_reason"],
    )
    frame["end_date"] = frame["end_date"].astype(object)
    return frame


#: Academy X, 2023/24 (1 Sep 2023 - 31 Aug 2024). Cohort: a b c d e f h i j (9 pupils).
HAND = [
    # a: moves away in November and comes back in January: not an exit.
    ("a", X, 9, D(2020, 9, 1), D(2023, 11, 10), "transfer_state"),
    ("a", X, 9, D(2024, 1, 8), None, None),
    # b: two spells in one year, the last ends unexplained: one unexplained exit.
    ("b", X, 9, D(2021, 9, 1), D(2023, 10, 6), "transfer_state"),
    ("b", X, 9, D(2023, 12, 4), D(2024, 3, 15), "unknown"),
    # c: leaves on the last day of the year (31 August) to home education: an exit of 2023/24.
    ("c", X, 9, D(2021, 9, 1), D(2024, 8, 31), "elective_home"),
    # d: no end date: on roll, never an exit.
    ("d", X, 9, D(2022, 9, 1), None, None),
    # e: end of phase is not an exit.
    ("e", X, 11, D(2019, 9, 2), D(2024, 7, 19), "end_of_phase"),
    # f: permanently excluded: counted apart.
    ("f", X, 9, D(2022, 9, 1), D(2024, 2, 2), "permanent_exclusion"),
    # g: joins after 1 September and leaves: not in the cohort.
    ("g", X, 9, D(2023, 10, 2), D(2024, 2, 9), "unknown"),
    # h: moves to academy Y (explained); not in Y's cohort either.
    ("h", X, 9, D(2022, 9, 1), D(2023, 12, 22), "transfer_independent"),
    ("h", Y, 9, D(2024, 1, 8), None, None),
    # i: leaves on 1 September itself, reason unknown: in the cohort, an unexplained exit.
    ("i", X, 9, D(2022, 9, 1), D(2023, 9, 1), "unknown"),
    # j: an end date without a reason: no onward school recorded, unexplained.
    ("j", X, 9, D(2022, 9, 1), D(2024, 5, 1), None),
    # k: left on the previous year's last day: not on roll on 1 September 2023.
    ("k", X, 9, D(2022, 9, 1), D(2023, 8, 31), "unknown"),
]


@pytest.fixture(scope="module")
def hand(con):
    return engine.load(con, "exits_hand", _spells(HAND))


def _row(frame: pd.DataFrame, **keys) -> pd.Series:
    mask = np.logical_and.reduce([frame[k] == v for k, v in keys.items()])
    assert mask.sum() == 1, frame
    return frame[mask].iloc[0]


def test_hand_computed_spells(hand):
    out = engine.execute(exits.exits(hand, [YEAR, "2024/25"]))
    x = _row(out, urn=X, academic_year=YEAR, group="all")
    assert (x.pupils, x.exits, x.explained_moves, x.permanent_exclusions) == (9, 4, 1, 1)
    low, high = wilson_interval(4.0, 9.0)
    assert x.score == pytest.approx(400 / 9) and x.ci_low == pytest.approx(100 * low)
    assert x.ci_high == pytest.approx(100 * high)
    # 2024/25: a (came back, open) and d (no end date) are on roll; c left on 31 August.
    later = _row(out, urn=X, academic_year="2024/25", group="all")
    assert (later.pupils, later.exits) == (2, 0)
    assert not ((out.urn == Y) & (out.academic_year == YEAR)).any()  # h joined Y mid-year


def test_pupil_level_fates_name_each_outcome(hand):
    rows = engine.execute(exits.pupil_exits(hand, [YEAR]))
    fate = dict(zip(rows.pupil_id, rows.outcome, strict=True))
    assert fate == {
        "a": "stayed",
        "b": "unexplained",
        "c": "unexplained",
        "d": "stayed",
        "e": "end_of_phase",
        "f": "excluded",
        "h": "explained",
        "i": "unexplained",
        "j": "unexplained",
    }


def test_census_day_is_the_third_thursday_of_january():
    assert exits.census_day(2024) == D(2024, 1, 18)
    assert exits.census_day(2023) == D(2023, 1, 19)
    assert exits.census_day(2026) == D(2026, 1, 15)
    for year in range(2015, 2035):
        day = exits.census_day(year)
        assert day.weekday() == 3 and 15 <= day.day <= 21


# Moves off roll, 2023/24: Year 10 census 19 Jan 2023, Year 11 census 18 Jan 2024.
MOVES = [
    ("m1", X, 10, D(2021, 9, 1), D(2023, 6, 1), "unknown"),  # off roll, unexplained
    ("m2", X, 11, D(2021, 9, 1), D(2024, 1, 17), "transfer_state"),  # off the day before
    ("m3", X, 11, D(2021, 9, 1), D(2024, 1, 18), "unknown"),  # on roll on census day
    ("m4", X, 11, D(2023, 2, 6), None, None),  # joined after the Year 10 census
    ("m5", X, 10, D(2021, 9, 1), D(2023, 3, 3), "transfer_state"),  # left and came back
    ("m5", X, 11, D(2023, 4, 17), None, None),
    ("m6", X, 10, D(2022, 9, 1), D(2024, 3, 1), "unknown"),  # Year 10 in 2023/24
    ("m7", X, 11, D(2021, 9, 1), D(2024, 5, 10), "elective_home"),  # no birth; recorded Y11
    ("m8", X, 11, D(2021, 9, 1), D(2023, 7, 20), "end_of_phase"),  # left out
    ("m9", X, 10, D(2021, 9, 1), D(2023, 11, 3), "permanent_exclusion"),
]
BIRTHS = {"m1": (2007, 10), "m2": (2008, 8), "m3": (2007, 9), "m4": (2008, 2), "m5": (2008, 1)}
BIRTHS |= {"m6": (2008, 9), "m8": (2008, 3), "m9": (2007, 12)}


@pytest.fixture(scope="module")
def moves(con):
    pupils = pd.DataFrame(
        [
            {"pupil_id": p, "birth_year": y, "birth_month": m, "sen": "N"}
            | {"disadvantaged": p in ("m1", "m9"), "looked_after": False}
            for p, (y, m) in BIRTHS.items()
        ]
        + [
            {
                "pupil_id": "m7",
                "birth_year": None,
                "birth_month": None,
                "sen": "K",
                "disadvantaged": True,
                "looked_after": False,
            }
        ]
    ).astype({"birth_year": "Int64", "birth_month": "Int64"})
    return (
        engine.load(con, "moves_enrol", _spells(MOVES)),
        engine.load(con, "moves_pupils", pupils),
    )


def test_moves_off_roll_between_the_censuses(moves):
    enrol, pupils = moves
    out = engine.execute(exits.moves_off_roll(enrol, [YEAR], pupils=pupils))
    row = _row(out, urn=X, group="all")
    # Cohort m1 m2 m3 m5 m7 m9; moves: m1 (unexplained), m2 (explained), m9 (excluded).
    assert (row.pupils, row.exits, row.explained_moves, row.permanent_exclusions) == (6, 1, 1, 1)
    assert row.score == pytest.approx(100 / 6)
    disadvantaged = _row(out, urn=X, group="disadvantaged")
    assert (disadvantaged.pupils, disadvantaged.exits, disadvantaged.permanent_exclusions) == (
        3,
        1,
        1,
    )


def test_year_11_exits_before_the_january_census(moves):
    enrol, pupils = moves
    out = engine.execute(exits.exits(enrol, [YEAR], pupils=pupils))
    # On roll 1 Sep 2023 in Year 11: m2 m3 m4 m5 m7 m9 (m7 by its recorded year group).
    y11 = _row(out, urn=X, group="Year 11")
    assert (y11.pupils, y11.exits, y11.explained_moves, y11.permanent_exclusions) == (6, 2, 1, 1)
    before = _row(out, urn=X, group=exits.BEFORE_CENSUS)
    assert (before.pupils, before.exits, before.explained_moves) == (6, 0, 1)
    assert before.permanent_exclusions == 1
    assert _row(out, urn=X, group="Year 10").pupils == 1  # m6
    sen = _row(out, urn=X, group="SEN support")
    assert (sen.pupils, sen.exits) == (1, 1)


# --- random spells against the pandas reference ------------------------------------------------

REASONS = np.array(
    [
        "transfer_state",
        "transfer_independent",
        "elective_home",
        "emigrated",
        "permanent_exclusion",
        "end_of_phase",
        "unknown",
        "",
    ]
)


def random_trust(seed: int = 3, pupils: int = 1500) -> dict[str, pd.DataFrame]:
    """Spells over 2021-2025 at three academies; some pupils return, some have no birth."""
    rng = np.random.default_rng(seed)
    ids = [f"r{i:05d}" for i in range(pupils)]
    start = pd.Timestamp("2021-09-01") + pd.to_timedelta(rng.integers(-400, 900, pupils), "D")
    length = pd.to_timedelta(rng.integers(1, 900, pupils), "D")
    end = (start + length).where(rng.random(pupils) < 0.7)
    reason = np.where(end.isna(), None, rng.choice(REASONS, pupils))
    reason = np.where(reason == "", None, reason)
    urn = rng.choice([X, Y, 140003], pupils)
    spells = pd.DataFrame(
        {
            "pupil_id": ids,
            "urn": urn,
            "year_group": rng.integers(7, 12, pupils),
            "start_date": start.date,
            "end_date": [d.date() if pd.notna(d) else None for d in end],
            "leaving_reason": reason,
        }
    )
    back = rng.random(pupils) < 0.15  # returns to the same academy after leaving
    returns = spells[back & np.asarray(end.notna())].copy()
    gap = pd.to_timedelta(rng.integers(1, 200, len(returns)), "D")
    returns["start_date"] = (pd.to_datetime(returns.end_date) + gap).dt.date
    returns["end_date"], returns["leaving_reason"] = None, None
    born = pd.Timestamp("2006-09-01") + pd.to_timedelta(rng.integers(0, 5 * 365, pupils), "D")
    known = rng.random(pupils) < 0.9
    people = pd.DataFrame(
        {
            "pupil_id": ids,
            "birth_year": pd.array(np.where(known, born.year, None), dtype="Int64"),
            "birth_month": pd.array(np.where(known, born.month, None), dtype="Int64"),
            "sen": rng.choice(["N", "K", "E"], pupils, p=[0.8, 0.15, 0.05]),
            "disadvantaged": rng.random(pupils) < 0.3,
            "looked_after": rng.random(pupils) < 0.05,
        }
    )
    ks2 = rng.normal(104, 6, pupils).round()
    prior = pd.DataFrame(
        {
            "pupil_id": ids,
            "ks2_reading_scaled": np.where(rng.random(pupils) < 0.8, ks2, np.nan),
            "ks2_maths_scaled": np.where(rng.random(pupils) < 0.8, ks2 + 1, np.nan),
            "ks1_aps": rng.uniform(6, 21, pupils).round(1),
        }
    )
    enrolments = pd.concat([spells, returns], ignore_index=True)
    enrolments["end_date"] = enrolments["end_date"].astype(object)
    return {"enrolments": enrolments, "pupils": people, "prior_attainment": prior}


RANDOM_YEARS = ["2022/23", "2023/24", "2024/25"]


@pytest.fixture(scope="module")
def random_tables(con):
    frames = random_trust()
    return frames, {n: engine.load(con, f"exits_random_{n}", f) for n, f in frames.items()}


@pytest.mark.parametrize("by", [["urn", "academic_year"], ["academic_year"]])
def test_random_spells_match_the_pandas_reference(random_tables, by):
    frames, t = random_tables
    expr = exits.exit_measures(
        t["enrolments"], RANDOM_YEARS, by=by, pupils=t["pupils"], prior=t["prior_attainment"]
    )
    keys = [*by, "measure", "group"]
    ours = engine.execute(expr).sort_values(keys).reset_index(drop=True)
    ref = exits_reference(
        frames["enrolments"], frames["pupils"], frames["prior_attainment"], RANDOM_YEARS, by
    )
    ref = ref.sort_values(keys).reset_index(drop=True)
    assert len(ours) == len(ref) > 40
    assert set(ours.group) == set(exits.GROUP_ORDER)
    for column in keys:
        assert list(ours[column]) == list(ref[column]), column
    for column in ("pupils", "exits", "explained_moves", "permanent_exclusions"):
        assert list(ours[column]) == list(ref[column]), column
    for column in ("score", "ci_low", "ci_high"):
        assert np.allclose(ours[column], ref[column], rtol=0, atol=1e-9), column
    assert ours.exits.sum() > 50 and ours.explained_moves.sum() > 50


# --- output rows --------------------------------------------------------------------------------


def _summary(counts: dict[int, tuple[int, int]], group: str = "all") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "urn": urn,
                "academic_year": YEAR,
                "measure": exits.EXITS,
                "group": group,
                "pupils": n,
                "exits": k,
                "explained_moves": 0,
                "permanent_exclusions": 0,
                "score": 100 * k / n,
                "ci_low": 0.0,
                "ci_high": 0.0,
            }
            for urn, (n, k) in counts.items()
        ]
    )


def _trust(schools: pd.DataFrame) -> pd.DataFrame:
    keys = ["academic_year", "measure", "group"]
    trust = schools.groupby(keys, as_index=False)[["pupils", "exits"]].sum()
    return trust.assign(
        score=100 * trust.exits / trust.pupils,
        explained_moves=0,
        permanent_exclusions=0,
        ci_low=0.0,
        ci_high=0.0,
    )


def test_output_rows_flag_the_outlier_and_suppress_small_groups():
    counts = {140000 + i: (400, 2) for i in range(7)} | {140007: (400, 20)}
    schools = pd.concat([_summary(counts), _summary({140000: (4, 1), 140001: (30, 0)}, "EHC plan")])
    schools = schools.reset_index(drop=True)
    academies = pd.DataFrame({"urn": list(counts), "name": [f"A{u}" for u in counts]})
    rows = exits.output_rows(schools, _trust(schools), academies, trust_label="demo")
    assert list(rows.columns) == list(exits.OUTPUT_COLUMNS)
    every = rows[rows.group == "all"]
    flags = dict(zip(every.urn, every.flag, strict=True))
    assert flags.pop(140007) == "above" and set(flags.values()) == {""}
    trust = every[every.urn.isna()].iloc[0]
    assert trust.academy == "demo" and trust.pupils == 3200 and trust.exits == 34
    ehc = rows[rows.group == "EHC plan"].set_index("academy")
    # 4 pupils: suppressed; the other academy too (secondary suppression), counts of pupils stay.
    assert ehc.loc["A140000", "score"] == "c" and ehc.loc["A140000", "exits"] == "c"
    assert ehc.loc["A140001", "score"] == "c" and ehc.loc["A140001", "pupils"] == 30
    plain = exits.output_rows(schools, _trust(schools), academies, suppress_small=False)
    assert plain[plain.group == "EHC plan"].score.map(lambda v: isinstance(v, float)).all()
