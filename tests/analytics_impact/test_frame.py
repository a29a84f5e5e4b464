"""evaluation_frame(): from store-shaped Ibis tables to one row per pupil."""

from __future__ import annotations

import ibis
import numpy as np
import pytest

from trustlens.analytics.impact.frame import OutcomeSpec, evaluation_frame, prior_candidates
from trustlens.analytics.impact.simulation import PlantedIntervention, synthetic_trust

URNS = (141001, 142002, 143003)


@pytest.fixture(scope="module")
def trust():
    return synthetic_trust(4, URNS, (PlantedIntervention(141001, 0.3),), pupils_per_academy=80)


@pytest.fixture(scope="module")
def tables(trust):
    con = ibis.duckdb.connect()
    held = {name: con.create_table(name, frame) for name, frame in trust.tables.items()}
    return held.get


SPEC = OutcomeSpec("READING", "2024/25", "summer", "2024/25", "autumn")


def test_one_row_per_pupil_of_the_year_group_with_everything_joined(trust, tables):
    built = evaluation_frame(tables, SPEC, trust.participants[0])
    frame = built.frame
    assert frame["pupil_id"].is_unique and len(frame) == 240
    assert frame["treated"].sum() == len(trust.participants[0]) == built.n_registered
    assert built.prior_measure == "ks2_reading"
    for column in (
        "post",
        "pre",
        "prior",
        "disadvantaged",
        "sen",
        "eal",
        "female",
        "attendance_pre",
        "attendance_post",
    ):
        assert frame[column].notna().all(), column
    assert set(frame["sen"].unique()) <= {0.0, 1.0}


def test_participants_without_results_stay_in_with_no_outcome(trust, tables):
    built = evaluation_frame(tables, SPEC, [*trust.participants[0], "NOT-IN-STORE"])
    row = built.frame.set_index("pupil_id").loc["NOT-IN-STORE"]
    assert row["treated"] and np.isnan(row["post"])
    assert built.n_not_in_store == 1 and built.n_registered == len(trust.participants[0]) + 1


def test_excluded_academies_leave_the_pool_but_not_the_participants(trust, tables):
    built = evaluation_frame(tables, SPEC, trust.participants[0], exclude_urns=[141001])
    frame = built.frame
    assert not frame.loc[~frame["treated"], "urn"].eq(141001).any()
    assert frame["treated"].sum() == len(trust.participants[0])


def test_no_results_table():
    built = evaluation_frame(lambda name: None, SPEC, ["a", "b"])
    assert built.frame["treated"].all() and built.frame["post"].isna().all()


def test_prior_measure_follows_the_subject():
    assert prior_candidates("Maths")[0] == "ks2_maths"
    assert prior_candidates("Phonics screening")[0] == "ks2_reading"
    assert prior_candidates("Science") == ["ks2_mean", "ks1_aps"]
