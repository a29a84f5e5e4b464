"""The national P8 pipeline (benchmarks/national_p8.py's code path): the same numbers to 1e-9
on DuckDB (plain and narrowed tables), on PySpark, and from the independent pandas reference;
trusts pooled with numpy equal trusts computed from the pupils."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import reference as ref

from trustlens.analytics import engine, rollup
from trustlens.analytics.measures.progress8 import progress8

BY = ("urn", "trust_id", "academic_year")
COLUMNS = ["pupils", "score", "ci_low", "ci_high", "score_orig", "ci_low_orig", "ci_high_orig"]


def cohort(pupils: int = 6000, schools: int = 40, seed: int = 5) -> pa.Table:
    """Two national-style cohorts with school effects, missing KS2 and a few zero A8 scores
    (so some pupils are capped), like the benchmark's but small."""
    rng = np.random.default_rng(seed)
    effect, trust = rng.normal(0, 0.35, schools), rng.integers(0, 9, schools)
    parts = []
    for year in ("2022/23", "2023/24"):
        school = rng.integers(0, schools, pupils)
        ability = rng.normal(0, 1, pupils)
        reading = np.clip(np.round(104 + 6.5 * ability + rng.normal(0, 3.5, pupils)), 80, 120)
        maths = np.clip(np.round(104 + 6.5 * ability + rng.normal(0, 3.5, pupils)), 80, 120)
        reading[rng.random(pupils) < 0.03] = np.nan
        a8 = np.clip(46 + 14 * ability + 10 * effect[school] + rng.normal(0, 12, pupils), 0, 90)
        a8[rng.random(pupils) < 0.01] = 0.0
        parts.append(
            pd.DataFrame(
                {
                    "urn": 100000 + school,
                    "trust_id": trust[school],
                    "academic_year": year,
                    "ks2_reading_scaled": reading,
                    "ks2_maths_scaled": maths,
                    "attainment8": a8,
                }
            )
        )
    return pa.Table.from_pandas(pd.concat(parts, ignore_index=True), preserve_index=False)


def run(con, name: str, table: pa.Table, narrow: bool = False) -> pd.DataFrame:
    ks4 = engine.load(con, name, table, narrow=narrow)
    out = engine.execute(progress8(ks4, None, by=BY))
    out["urn"] = out["urn"].astype("int64")
    return out.sort_values(["urn", "academic_year"]).reset_index(drop=True)


def close(left: pd.DataFrame, right: pd.DataFrame, columns=COLUMNS) -> None:
    assert len(left) == len(right) > 0
    for column in columns:
        a, b = left[column].to_numpy(float), right[column].to_numpy(float)
        assert np.allclose(a, b, rtol=0, atol=1e-9, equal_nan=True), column


@pytest.fixture(scope="module")
def data() -> pa.Table:
    return cohort()


@pytest.fixture(scope="module")
def duck(data) -> pd.DataFrame:
    return run(engine.connect("duckdb"), "ks4_national", data)


def test_duckdb_matches_the_independent_pandas_reference(data, duck):
    pupils = ref.pupil_p8(data.to_pandas(), None, None)
    expected = ref.school_p8(pupils, list(BY), None).sort_values(["urn", "academic_year"])
    close(duck, expected.reset_index(drop=True))
    assert duck["capped_pupils"].sum() > 0  # the capping rule is exercised
    assert (duck["capped_pupils"].to_numpy() == expected["capped_pupils"].to_numpy()).all()


def test_narrowed_tables_give_the_same_numbers_and_types_back(data, duck):
    con = engine.connect("duckdb")
    narrow = run(con, "ks4_narrow", data, narrow=True)
    types = {row[0]: row[1] for row in con.con.sql("DESCRIBE ks4_narrow").fetchall()}
    assert types["urn"] == "INTEGER" and types["academic_year"].startswith("ENUM")
    close(duck, narrow)
    assert (narrow["academic_year"] == duck["academic_year"]).all()
    assert (narrow["band"].fillna("") == duck["band"].fillna("")).all()


def test_repeated_calls_reuse_the_expression_and_its_sql(data):
    con = engine.connect("duckdb")
    ks4 = engine.load(con, "ks4_repeat", data)
    first, second = progress8(ks4, None, by=BY), progress8(ks4, None, by=BY)
    assert first is second
    sql = engine.duckdb_sql(con, first)
    assert engine.duckdb_sql(con, second) is sql
    ordered = [
        engine.execute(e).sort_values(["urn", "academic_year"]).reset_index(drop=True)
        for e in (first, second)
    ]
    close(*ordered)


def test_pooled_trusts_equal_trusts_from_the_pupils(data, duck):
    trusts = rollup.pool(duck, ("trust_id", "academic_year"))
    con = engine.connect("duckdb")
    direct = engine.execute(
        progress8(engine.load(con, "ks4_trusts", data), None, by=("trust_id", "academic_year"))
    )
    keys = ["trust_id", "academic_year"]
    merged = trusts.merge(direct, on=keys, suffixes=("", "_direct"))
    assert len(merged) == len(direct) == len(trusts)
    for column in ("score", "ci_low", "ci_high", "score_orig"):
        assert np.allclose(merged[column], merged[f"{column}_direct"], rtol=0, atol=1e-9)
    assert (merged["band"] == merged["band_direct"]).all()


@pytest.mark.spark
def test_pyspark_gives_the_same_numbers_as_duckdb(data, duck):
    spark = run(engine.connect("pyspark"), "ks4_national_spark", data, narrow=True)
    close(duck, spark, [*COLUMNS, "total", "total_sq", "total_orig", "attainment8"])
    assert (spark["capped_pupils"].to_numpy() == duck["capped_pupils"].to_numpy()).all()
