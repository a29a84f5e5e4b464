"""England's figures from the real DfE tables equal the published national rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from trustlens.analytics.national_benchmarks import Benchmark, benchmarks, nearest
from trustlens.ingest.dfe import read_dfe

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
KS4 = REAL / "kspdev_england_ks4provisional.csv"
KS2 = REAL / "la850_936_hampshire_surrey_ks2" / "2018-2019_850_ks2final.csv"
CENSUS = REAL / "kspdev_england_census.csv"
ABSENCE = REAL / "kspdev_england_abs.csv"

pytestmark = pytest.mark.skipif(not KS4.exists(), reason="real DfE tables not present")


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _number(text: str) -> float:
    return float(text.replace("%", "").replace(",", ""))


@pytest.fixture(scope="module")
def found() -> dict[tuple[str, str], Benchmark]:
    tables = {
        "ks4": read_dfe("ks4", KS4, "2018/19").frame,
        "ks2": read_dfe("ks2", KS2).frame,
        "census": read_dfe("census", CENSUS, "2018/19").frame,
        "absence": read_dfe("absence", ABSENCE, "2018/19").frame,
    }
    return {(b.measure, b.phase): b for b in benchmarks(tables)}


def test_ks4_figures_are_the_state_funded_national_row(found):
    row = next(r for r in _rows(KS4) if r["RECTYPE"] == "7")
    published = {
        "a8": row["ATT8SCR"],
        "p8": row["P8MEA"],
        "em4": row["PTL2BASICS_94"],
        "em5": row["PTL2BASICS_95"],
        "ebacc_entry": row["PTEBACC_E_PTQ_EE"],
        "ebacc_aps": row["EBACCAPS"],
    }
    for measure, text in published.items():
        assert found[(measure, "secondary")].score == pytest.approx(_number(text)), measure
        assert found[(measure, "all")].score == pytest.approx(_number(text))
    assert found[("a8", "secondary")].pupils == int(row["TPUP"])
    assert found[("a8", "secondary")].academic_year == "2018/19"


def test_ks2_figures_are_the_national_row(found):
    row = next(r for r in _rows(KS2) if r["RECTYPE"] == "5")
    assert found[("ks2_rwm", "primary")].score == _number(row["PTRWM_EXP"])
    assert found[("ks2_rwm_high", "primary")].score == _number(row["PTRWM_HIGH"])
    assert ("ks2_reading", "primary") not in found  # 0 by construction: never made up


def test_census_and_absence_figures_are_the_national_rows_of_each_phase(found):
    census = {r["ESTAB"]: r for r in _rows(CENSUS) if r["URN"] == "NAT"}
    absence = {r["ESTAB"]: r for r in _rows(ABSENCE) if r["LA"] == "NAT"}
    for code, phase in (("PRI", "primary"), ("SEC", "secondary")):
        sen = _number(census[code]["PSENELSE"]) + _number(census[code]["PSENELK"])
        assert found[("sen_share", phase)].score == pytest.approx(sen)
        assert found[("disadvantaged_share", phase)].score == _number(census[code]["PNUMFSMEVER"])
        attendance = 100 - _number(absence[code]["PERCTOT"])
        assert found[("attendance", phase)].score == pytest.approx(attendance)
        pa = _number(absence[code]["PPERSABS10"])
        assert found[("persistent_absence", phase)].score == pa


def test_all_phases_is_weighted_by_pupils(found):
    primary, secondary = found[("attendance", "primary")], found[("attendance", "secondary")]
    weighted = (primary.score * primary.pupils + secondary.score * secondary.pupils) / (
        primary.pupils + secondary.pupils
    )
    assert found[("attendance", "all")].score == pytest.approx(weighted, abs=0.01)
    assert primary.score != secondary.score


def test_nearest_year_is_the_latest_earlier_else_the_earliest_later():
    items = [
        Benchmark("a8", "all", year, score, 1, "s")
        for year, score in (("2018/19", 46.5), ("2021/22", 48.9))
    ]
    assert nearest(items, "a8", "all", "2023/24").score == 48.9
    assert nearest(items, "a8", "all", "2019/20").score == 46.5
    assert nearest(items, "a8", "all", "2016/17").score == 46.5
    assert nearest(items, "em4", "all", "2023/24") is None


def test_from_the_store_after_import_dfe_gives_the_same_figures(tmp_path, found):
    """The path the summaries rebuild takes: ``import-dfe``'s store, then ``from_store``."""
    from trustlens.analytics.national_benchmarks import from_store
    from trustlens.ingest.dfe import store_dfe
    from trustlens.ingest.store import AnalyticalStore

    store = AnalyticalStore(tmp_path)
    for kind, path, year in (
        ("ks4", KS4, "2018/19"),
        ("census", CENSUS, "2018/19"),
        ("absence", ABSENCE, "2018/19"),
    ):
        store_dfe(read_dfe(kind, path, year), store)
    stored = {(b.measure, b.phase): b.score for b in from_store(store)}
    for key in (("a8", "secondary"), ("attendance", "primary"), ("sen_share", "all")):
        assert stored[key] == pytest.approx(found[key].score)
    assert ("ks2_rwm", "primary") not in stored  # not loaded: no figure
