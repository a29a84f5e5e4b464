"""The DfE's real files as published (shared/data/real, see SOURCES.md) load with every
published figure intact and every suppressed or missing figure missing, never zero."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from tests.real_data import REAL_DATA
from trustlens.ingest.dfe import KS2, KS4, read_dfe, store_dfe, year_from_name
from trustlens.ingest.readers import ReadError
from trustlens.ingest.store import AnalyticalStore

REAL = REAL_DATA

KS4_FILE = REAL / "kspdev_england_ks4provisional.csv"
KS2_FILES = sorted((REAL / "la850_936_hampshire_surrey_ks2").glob("*_ks2final.csv"))
SPECIAL = {"SUPP", "NE", "NA", "NP", "LOWCOV", "NEW", "SUPPMAT"}


def raw_rows(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        return [
            {k.strip().upper(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(handle)
        ]


def number(text: str) -> float | None:
    try:
        return float(text.replace("%", "").replace(",", ""))
    except ValueError:
        return None


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> AnalyticalStore:
    store = AnalyticalStore(tmp_path_factory.mktemp("national"))
    store_dfe(read_dfe("ks4", KS4_FILE, "2018/19"), store)
    for path in KS2_FILES:
        store_dfe(read_dfe("ks2", path), store)
    return store


def by_urn(frame: pl.DataFrame) -> dict[int, dict]:
    return {
        row["urn"]: row for row in frame.filter(pl.col("urn").is_not_null()).iter_rows(named=True)
    }


def test_every_published_p8_is_loaded_with_its_ci_and_pupils(store):
    loaded = by_urn(store.national_polars("ks4").filter(pl.col("academic_year") == "2018/19"))
    published = [r for r in raw_rows(KS4_FILE) if r["URN"] and number(r["P8MEA"]) is not None]
    assert len(published) > 3000
    for row in published:
        school = loaded[int(row["URN"])]
        assert school["p8mea"] == pytest.approx(float(row["P8MEA"]), abs=1e-9), row["URN"]
        assert school["p8cilow"] == pytest.approx(float(row["P8CILOW"]), abs=1e-9)
        assert school["p8ciupp"] == pytest.approx(float(row["P8CIUPP"]), abs=1e-9)
        assert school["p8pup"] == int(row["P8PUP"])
        assert school["tpup"] == int(row["TPUP"]) and school["att8scr"] == pytest.approx(
            float(row["ATT8SCR"])
        )


def test_ks4_national_row_and_percentages(store):
    ks4 = store.national_polars("ks4")
    national = ks4.filter(pl.col("rectype") == 7).row(0, named=True)
    assert national["tpup"] == 542831 and national["att8scr"] == pytest.approx(46.5)
    camden = by_urn(ks4)[100053]
    assert camden["ptl2basics_94"] == pytest.approx(66.2) and camden["p8_banding"] == 3


@pytest.mark.parametrize("path", KS2_FILES, ids=lambda p: p.name)
def test_ks2_progress_and_cis_are_loaded_as_published(store, path):
    year = year_from_name(path.name)
    loaded = by_urn(store.national_polars("ks2").filter(pl.col("academic_year") == year))
    rows = [r for r in raw_rows(path) if r["URN"] and r["RECTYPE"] in {"1", "2"}]
    checked = 0
    for row in rows:
        school = loaded[int(row["URN"])]
        for subject in ("READ", "WRIT", "MAT"):
            for suffix in ("", "_LOWER", "_UPPER"):
                column = f"{subject}PROG{suffix}"
                published = number(row[column])
                value = school[column.lower()]
                if published is None:
                    assert value is None, (row["URN"], column, row[column])
                else:
                    assert value == pytest.approx(published, abs=1e-9), (row["URN"], column)
                    checked += 1
        assert school["telig"] == (int(row["TELIG"]) if number(row["TELIG"]) is not None else None)
    assert checked > 1000


def test_suppressed_values_stay_missing_never_zero(store):
    for name, path, year in [("ks4", KS4_FILE, "2018/19")] + [
        ("ks2", p, year_from_name(p.name)) for p in KS2_FILES
    ]:
        table = {"ks4": KS4, "ks2": KS2}[name]
        loaded = by_urn(store.national_polars(name).filter(pl.col("academic_year") == year))
        codes = store.national_polars(f"{name}_codes").filter(pl.col("academic_year") == year)
        coded = {(r["urn"], r["column"]): r["code"] for r in codes.iter_rows(named=True)}
        special_cells = 0
        for row in raw_rows(path):
            if not row.get("URN"):
                continue
            for field in table.fields:
                source = next((s for s in field.sources if s in row), None)
                if source is None or not field.measure or row[source] == "":
                    continue
                if number(row[source]) is None:
                    special_cells += 1
                    assert loaded[int(row["URN"])][field.name] is None, (
                        path.name,
                        row["URN"],
                        source,
                        row[source],
                    )
                    assert coded[(int(row["URN"]), field.name)] == row[source].upper()
        assert special_cells > 100, name


def test_waiky8_subset_without_cis_or_la_merges_by_urn(tmp_path):
    store = AnalyticalStore(tmp_path / "store")
    hampshire = REAL / "la850_936_hampshire_surrey_ks2" / "2018-2019_850_ks2final.csv"
    store_dfe(read_dfe("ks2", hampshire), store)
    store_dfe(
        read_dfe("ks2", REAL / "waiky8_england_ks2final_2019_progress_subset.csv", "2018/19"), store
    )
    ks2 = store.national_polars("ks2")
    assert ks2.filter(pl.col("urn").is_not_null())["urn"].is_duplicated().sum() == 0
    anstey = by_urn(ks2)[115851]
    assert anstey["readprog"] == pytest.approx(-1.9) and anstey["readprog_lower"] == pytest.approx(
        -3.4
    )
    assert anstey["la"] == 850  # kept from the full file: the subset has no LA column
    assert anstey["readprog_descr"] is not None


def test_gias_groups_file_is_windows_1252(tmp_path):
    store = AnalyticalStore(tmp_path / "store")
    path = REAL / "gias_allgroupsdata20260217.csv"
    result = read_dfe("gias-groups", path)
    store_dfe(result, store)
    groups = store.national_polars("gias_groups")
    expected = raw_rows(path, encoding="cp1252")
    assert groups.height == len(expected)
    assert groups.filter(pl.col("group_type") == "Multi-academy trust").height == 1762
    non_ascii = [r["GROUP NAME"] for r in expected if any(ord(c) > 127 for c in r["GROUP NAME"])]
    assert non_ascii and set(non_ascii) <= set(groups["group_name"].to_list())
    assert "head_of_group_last_name" not in groups.columns


def test_census_and_absence(tmp_path):
    store = AnalyticalStore(tmp_path / "store")
    store_dfe(read_dfe("census", REAL / "kspdev_england_census.csv", "2018/19"), store)
    store_dfe(read_dfe("absence", REAL / "kspdev_england_abs.csv", "2018/19"), store)
    census = by_urn(store.national_polars("census"))
    assert census[100000]["nor"] == 285 and census[100000]["pnumfsmever"] == pytest.approx(16.2)
    assert census[100001]["numeal"] is None  # "NA" for an independent school
    absence = by_urn(store.national_polars("absence"))
    assert absence[100000]["perctot"] == pytest.approx(2.6)
    assert len(absence) == len([r for r in raw_rows(REAL / "kspdev_england_abs.csv") if r["URN"]])


def test_wrong_kind_or_missing_year_is_an_error():
    with pytest.raises(ReadError, match="does not look like a ks4 file"):
        read_dfe("ks4", REAL / "kspdev_england_abs.csv", "2018/19")
    with pytest.raises(ReadError, match="give --year"):
        read_dfe("ks4", KS4_FILE)
    assert year_from_name("815_2019_ks4provisional.csv") == "2018/19"
    assert year_from_name("2016-2017_936_ks2final.csv") == "2016/17"
