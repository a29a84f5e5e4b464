"""The analytical store: partitions replaced exactly, snapshots upserted, atomic pointer, Ibis API."""

from __future__ import annotations

import json

import ibis
import polars as pl
import pytest

from tests.ingest import builders as b
from trustlens.ingest.pipeline import import_to_store
from trustlens.ingest.store import MANIFESTS, NATIONAL, AnalyticalStore


@pytest.fixture
def store(tmp_path) -> AnalyticalStore:
    return AnalyticalStore(tmp_path / "store")


def load(tmp_path, store, datasets, name="batch"):
    report = import_to_store(b.write_folder(tmp_path / name, datasets), store, "demo")
    assert report.ok, [i.as_text() for i in report.issues]
    return report


def test_import_writes_typed_partitions_by_year_and_academy(tmp_path, store):
    load(tmp_path, store, b.small_trust())
    assert store.datasets("demo") == [
        "academies",
        "assessment_results",
        "assessment_windows",
        "attendance",
        "enrolments",
        "pupils",
    ]
    files = store.files("demo", "assessment_results")
    assert [f.relative_to(store.root / "demo").parts[:2] for f in files] == [
        ("assessment_results", "2024-25")
    ] * 2
    frame = store.polars("demo", "assessment_results")
    assert (
        frame.height == 12
        and frame.schema["value"] == pl.Float64
        and frame.schema["academic_year"] == pl.String
    )
    slices = store.slices("demo", "assessment_results")
    assert {(s.values["urn"], s.values["term"], s.rows) for s in slices} == {
        (b.URN_A, "autumn", 6),
        (b.URN_B, "autumn", 6),
    }
    attendance = store.files("demo", "attendance")
    assert (
        len(attendance) == 1 and len(store.slices("demo", "attendance")) == 2
    )  # small datasets: a file per year


def test_the_store_never_holds_names_upn_or_date_of_birth(tmp_path, store):
    load(tmp_path, store, b.small_trust())
    pupils = store.polars("demo", "pupils")
    assert set(pupils.columns) == {
        "pupil_id",
        "sex",
        "disadvantaged",
        "sen",
        "sen_primary_need",
        "eal",
        "looked_after",
        "ethnicity",
        "birth_year",
        "birth_month",
    }
    raw = b"".join(p.read_bytes() for p in (store.root / "demo").rglob("*.parquet"))
    assert b"SurnameA1" not in raw and b"A000000000001" not in raw and b"2011-02-15" not in raw


def test_reimport_replaces_exactly_that_academy_and_window(tmp_path, store):
    data = b.small_trust()
    data["assessment_results"] += b.results(b.pupils("A"), b.URN_A, term="spring")
    load(tmp_path, store, data)
    again = {"assessment_results": b.results(b.pupils("A", 2), b.URN_A, term="autumn", base=7.0)}
    load(tmp_path, store, again, "again")
    frame = store.polars("demo", "assessment_results")
    autumn_a = frame.filter((pl.col("urn") == b.URN_A) & (pl.col("term") == "autumn"))
    assert autumn_a.height == 4 and autumn_a.filter(pl.col("subject") == "Maths")[
        "value"
    ].to_list() == [7.0, 7.5]
    assert frame.filter((pl.col("urn") == b.URN_A) & (pl.col("term") == "spring")).height == 6
    assert frame.filter(pl.col("urn") == b.URN_B).height == 6
    slices = {
        (s.values["urn"], s.values["term"]): s for s in store.slices("demo", "assessment_results")
    }
    assert slices[(b.URN_A, "autumn")].rows == 4 and slices[(b.URN_A, "spring")].rows == 6
    assert (
        slices[(b.URN_A, "autumn")].import_id != slices[(b.URN_A, "spring")].import_id
    )  # spring kept as it was


def test_snapshots_are_upserted_by_key(tmp_path, store):
    load(tmp_path, store, b.small_trust())
    changed = b.pupils("A", 1)
    changed[0]["sex"] = "M"
    load(tmp_path, store, {"pupils": changed + b.pupils("C", 1)}, "again")
    pupils = store.polars("demo", "pupils")
    assert pupils.height == 7
    assert pupils.filter(pl.col("pupil_id") == "A00001")["sex"][0] == "M"


def test_empty_dataset_has_its_schema(store):
    con = ibis.duckdb.connect()
    table = store.table(con, "demo", "attendance")
    assert list(table.columns) == [
        "pupil_id",
        "urn",
        "academic_year",
        "term",
        "possible_sessions",
        "attended_sessions",
        "authorised_absence",
        "unauthorised_absence",
    ]
    assert con.execute(table).empty
    assert store.polars("demo", "ks4").columns[-1] == "ebacc_entered"
    assert list(store.national_table(con, "ks4").columns)[:4] == [
        "academic_year",
        "status",
        "rectype",
        "la",
    ]
    with pytest.raises(KeyError):
        store.schema("demo", "no_such_dataset")


def test_ibis_table_reads_every_live_partition(tmp_path, store):
    load(tmp_path, store, b.small_trust())
    con = ibis.duckdb.connect()
    results = store.table(con, "demo", "assessment_results")
    by_urn = con.execute(
        results.group_by("urn").agg(n=results.count(), mean=results.value.mean()).order_by("urn")
    )
    assert by_urn["n"].tolist() == [6, 6]
    assert by_urn["mean"].tolist() == pytest.approx([4.5, 4.5])


def test_superseded_files_are_collected_but_recent_versions_stay_readable(tmp_path, store):
    load(tmp_path, store, b.small_trust())
    first = set(store.files("demo", "assessment_results"))
    for i in range(4):
        load(
            tmp_path,
            store,
            {"assessment_results": b.results(b.pupils("A"), b.URN_A, base=5 + i / 10)},
            f"again{i}",
        )
    manifests = sorted((store.root / "demo" / MANIFESTS).glob("manifest-*.json"))
    assert len(manifests) == 3
    live = {
        p["file"]
        for m in manifests
        for d in json.loads(m.read_text())["datasets"].values()
        for p in d["partitions"].values()
    }
    on_disk = {
        p.relative_to(store.root / "demo").as_posix()
        for p in (store.root / "demo").rglob("*.parquet")
    }
    assert on_disk == live
    assert not any(f.exists() for f in first if "141001" in f.name)


def test_garbage_collection_leaves_other_directories_alone(tmp_path, store):
    summaries = store.root / "demo" / "_summaries" / "2024-25"
    summaries.mkdir(parents=True)
    (summaries / "overview.parquet").write_bytes(b"not mine")
    load(tmp_path, store, b.small_trust())
    load(tmp_path, store, b.small_trust(), "again")
    assert (summaries / "overview.parquet").exists()


def test_an_abandoned_transaction_leaves_nothing_visible(store):
    frame = pl.DataFrame(
        {
            "urn": [1],
            "month": ["2024-09"],
            "referrals": [1],
            "cp_plans": [0],
            "academic_year": ["2024/25"],
        }
    )
    schema = {
        "urn": pl.Int64(),
        "month": pl.String(),
        "referrals": pl.Int64(),
        "cp_plans": pl.Int64(),
        "academic_year": pl.String(),
    }
    with pytest.raises(RuntimeError), store.transaction("demo") as tx:
        tx.write_partitions(
            "safeguarding", frame, schema, ("academic_year", "urn", "month"), "academic_year"
        )
        raise RuntimeError("boom")
    assert store.datasets("demo") == []
    assert not list((store.root / "demo").rglob("*.parquet"))


def test_store_keys_are_checked(store):
    with pytest.raises(ValueError):
        store.trust_dir("../etc")
    assert store.datasets(NATIONAL) == []
