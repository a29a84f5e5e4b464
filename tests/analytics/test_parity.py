"""DuckDB and PySpark give the same numbers (to 1e-9) for every measure, from one code path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustlens.analytics import engine
from trustlens.analytics.measures import (
    attainment,
    attendance,
    behaviour,
    exits,
    gaps,
    ks2,
    progress8,
    targets,
)
from trustlens.analytics.measures.value_added import pupil_value_added, value_added

pytestmark = pytest.mark.spark


def _measures(t: dict) -> dict[str, tuple]:
    va = pupil_value_added(
        t["assessment_results"], t["prior_attainment"], t["pupils"], context=True
    )
    p8 = progress8.pupil_progress8(t["ks4"], None)
    return {
        "p8 cohort": (progress8.progress8(t["ks4"], None), ["urn", "academic_year"]),
        "p8 elements": (
            progress8.progress8_elements(t["ks4"], 2022),
            ["element", "urn", "academic_year"],
        ),
        "ks2": (
            ks2.ks2_progress(t["ks2"], by=("prior_band",), academies=t["academies"]),
            ["subject", "prior_band"],
        ),
        "a8 cluster": (
            attainment.attainment8(
                t["ks4"], by=("cluster", "academic_year"), academies=t["academies"]
            ),
            ["cluster", "academic_year"],
        ),
        "rwm higher": (attainment.ks2_rwm(t["ks2"], standard="higher"), ["urn"]),
        "persistent absence by sen": (
            attendance.persistent_absence(t["attendance"], by=("sen",), pupils=t["pupils"]),
            ["sen"],
        ),
        "exclusions": (
            behaviour.exclusions(t["suspensions"], t["enrolments"], ["2021/22", "2022/23"]),
            ["measure", "urn", "academic_year"],
        ),
        "gap a8": (
            gaps.disadvantaged_gap(p8, "attainment8", by=["urn"], pupils=t["pupils"]),
            ["urn"],
        ),
        "va subject": (
            value_added(va, by=("subject", "term", "prior_band")),
            ["subject", "term", "prior_band"],
        ),
        "targets": (
            targets.ks4_estimates(t["ks4"], 2024, pupils=t["pupils"]),
            ["pupil_id", "academic_year"],
        ),
    }


@pytest.fixture(scope="module")
def both(trust):
    spark = engine.connect("pyspark")
    duck = engine.connect("duckdb")
    return [
        {name: engine.load(con, f"parity_{name}", frame) for name, frame in trust.tables.items()}
        for con in (duck, spark)
    ]


def _compare(left: pd.DataFrame, right: pd.DataFrame) -> None:
    assert list(left.columns) == list(right.columns)
    assert len(left) == len(right) > 0
    for column in left.columns:
        a, b = left[column], right[column]
        if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a):
            assert np.allclose(
                a.astype(float), b.astype(float), rtol=0, atol=1e-9, equal_nan=True
            ), column
        else:
            assert (
                a.astype(object).fillna("<null>").astype(str)
                == b.astype(object).fillna("<null>").astype(str)
            ).all(), column


def test_duckdb_and_pyspark_agree_on_every_measure(both):
    duck, spark = (_measures(t) for t in both)
    for name, (expr, keys) in duck.items():
        left = engine.execute(expr).sort_values(keys).reset_index(drop=True)
        right = engine.execute(spark[name][0]).sort_values(keys).reset_index(drop=True)
        _compare(left, right[left.columns])


def test_duckdb_and_pyspark_agree_on_exits():
    """Unexplained exits and moves off roll (every group) from random spells with returns."""
    from test_exits import RANDOM_YEARS, random_trust

    frames = random_trust(seed=8, pupils=600)
    out = []
    for con in (engine.connect("duckdb"), engine.connect("pyspark")):
        t = {name: engine.load(con, f"parity_exits_{name}", f) for name, f in frames.items()}
        expr = exits.exit_measures(
            t["enrolments"], RANDOM_YEARS, pupils=t["pupils"], prior=t["prior_attainment"]
        )
        keys = ["measure", "group", "urn", "academic_year"]
        out.append(engine.execute(expr).sort_values(keys).reset_index(drop=True))
    _compare(out[0], out[1][out[0].columns])
