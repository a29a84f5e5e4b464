"""Pupil characteristics, attendance, behaviour and outcomes look like English national data."""

from __future__ import annotations

import polars as pl
import pytest

Y = pl.lit("Y")


def _on_roll(trust) -> pl.DataFrame:
    current = trust.read("enrolments").filter(pl.col("end_date").is_null()).select("pupil_id")
    return trust.read("pupils").join(current, on="pupil_id")


@pytest.mark.parametrize(
    ("column", "value", "low", "high"),
    [
        ("disadvantaged", "Y", 0.22, 0.28),
        ("eal", "Y", 0.16, 0.24),
        ("sen", "K", 0.11, 0.15),
        ("sen", "E", 0.02, 0.04),
        ("sex", "M", 0.47, 0.53),
    ],
)
def test_characteristic_shares_of_pupils_on_roll(trust, column, value, low, high):
    share = (_on_roll(trust)[column] == value).mean()
    assert low <= share <= high, f"{column}={value}: {share:.3f}"


def test_shares_vary_by_academy(trust):
    shares = [a["shares"]["disadvantaged"] for a in trust.json["academies"]]
    assert min(shares) >= 0.08 and max(shares) <= 0.55 and max(shares) - min(shares) > 0.1


def test_primary_need_only_with_sen(trust):
    pupils = trust.read("pupils")
    assert (
        pupils.filter(pl.col("sen") == "N")["sen_primary_need"].null_count()
        == pupils.filter(pl.col("sen") == "N").height
    )
    assert pupils.filter(pl.col("sen") != "N")["sen_primary_need"].null_count() == 0


def test_months_of_birth_are_roughly_uniform(trust):
    months = trust.read("pupils")["date_of_birth"].dt.month().value_counts()["count"]
    assert months.len() == 12 and months.max() / months.min() < 1.3


def test_mix_of_phases_and_sizes(trust):
    academies = trust.read("academies")
    assert (academies["phase"] == "primary").mean() == pytest.approx(0.7, abs=0.1)
    assert academies["urn"].is_between(140000, 149999).all()
    roll = trust.read("enrolments").filter(pl.col("end_date").is_null()).group_by("urn").len()
    sizes = roll.join(academies.select("urn", "phase"), on="urn")
    primary = sizes.filter(pl.col("phase") == "primary")["len"]
    secondary = sizes.filter(pl.col("phase") == "secondary")["len"]
    assert primary.min() >= 150 and primary.max() <= 470
    assert secondary.min() >= 750 and secondary.max() <= 1300


def _yearly_attendance(trust) -> pl.DataFrame:
    attendance = trust.read("attendance").filter(
        pl.col("academic_year") != trust.json["current_academic_year"]
    )
    yearly = attendance.group_by("pupil_id", "urn", "academic_year").agg(
        pl.col("possible_sessions", "attended_sessions").sum()
    )
    return yearly.filter(pl.col("possible_sessions") >= 300).join(
        trust.read("pupils").select("pupil_id", "disadvantaged"), on="pupil_id"
    )


def test_attendance_sessions_add_up(trust):
    a = trust.read("attendance")
    total = a["attended_sessions"] + a["authorised_absence"] + a["unauthorised_absence"]
    assert (total == a["possible_sessions"]).all()
    assert a["possible_sessions"].max() <= 140


def test_attendance_and_persistent_absence(trust):
    a = trust.read("attendance")
    assert a["attended_sessions"].sum() / a["possible_sessions"].sum() == pytest.approx(
        0.93, abs=0.015
    )
    yearly = _yearly_attendance(trust).with_columns(
        persistent=pl.col("attended_sessions") <= 0.9 * pl.col("possible_sessions")
    )
    assert 0.12 <= yearly["persistent"].mean() <= 0.23
    by_group = (
        yearly.group_by("disadvantaged").agg(pl.col("persistent").mean()).sort("disadvantaged")
    )
    assert by_group["persistent"][1] > by_group["persistent"][0] + 0.08


def test_one_academy_has_notably_worse_attendance(trust):
    yearly = _yearly_attendance(trust).with_columns(
        persistent=pl.col("attended_sessions") <= 0.9 * pl.col("possible_sessions")
    )
    by_urn = yearly.group_by("urn").agg(pl.col("persistent").mean()).sort("persistent")
    assert by_urn["urn"][-1] == trust.truth.roles["worse_attendance"]
    assert by_urn["persistent"][-1] > by_urn["persistent"][-2] + 0.05


def test_suspension_rates_by_phase(trust):
    past = trust.json["academic_years"][:-1]
    pupil_years = (
        trust.read("attendance")
        .filter(pl.col("academic_year").is_in(past))
        .select("pupil_id", "urn", "academic_year")
        .unique()
        .join(trust.read("academies").select("urn", "phase"), on="urn")
    )
    events = trust.read("suspensions").filter(
        pl.col("start_date") < pl.date(int(past[-1][:4]) + 1, 9, 1)
    )
    events = events.join(trust.read("academies").select("urn", "phase"), on="urn")
    for phase, low, high in (("secondary", 8, 16), ("primary", 0.5, 3)):
        n = pupil_years.filter(pl.col("phase") == phase).height
        count = events.filter((pl.col("phase") == phase) & (pl.col("kind") == "suspension")).height
        assert low <= 100 * count / n <= high, phase
    assert trust.read("suspensions")["days"].drop_nulls().is_between(0.5, 5).all()


def test_ks2_scores_and_ks1(trust):
    ks2 = trust.read("ks2")
    for column in ("reading_scaled", "maths_scaled", "gps_scaled"):
        assert ks2[column].drop_nulls().is_between(80, 120).all()
        assert ks2[column].mean() == pytest.approx(104.5, abs=2)
    assert set(ks2["writing_ta"].unique()) <= {"WTS", "EXS", "GDS", "PKF", "BLW"}
    assert trust.read("prior_attainment")["ks1_aps"].mean() == pytest.approx(16, abs=1)


def test_ks4_attainment8_and_elements(trust):
    ks4 = trust.read("ks4")
    assert ks4["attainment8"].is_between(0, 90).all()
    elements = ks4["a8_english"] + ks4["a8_maths"] + ks4["a8_ebacc"] + ks4["a8_open"]
    assert ((elements - ks4["attainment8"]).abs() <= 0.05).all()
    english, maths = ks4["a8_english"] / 2, ks4["a8_maths"] / 2
    assert ((ks4["eng_maths_4plus"] == "Y") == ((english >= 4) & (maths >= 4))).all()
    assert ((ks4["eng_maths_5plus"] == "Y") == ((english >= 5) & (maths >= 5))).all()
    assert ks4["attainment8"].mean() == pytest.approx(46, abs=5)


def test_in_year_scales(trust):
    results = trust.read("assessment_results")
    for scale, low, high in (("scaled", 70, 141), ("gcse", 1, 9)):
        values = results.filter(pl.col("scale") == scale)["value"].cast(pl.Float64)
        assert values.is_between(low, high).all() and values.len() > 0
    bands = results.filter(pl.col("scale") == "band")["value"]
    assert set(bands.unique()) == {"WTS", "EXS", "GDS"}
    phases = results.select("year_group", "scale").unique()
    assert phases.filter((pl.col("year_group") >= 7) & (pl.col("scale") != "gcse")).height == 0
