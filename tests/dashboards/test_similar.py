"""The similar-schools page: a secondary academy beside its 20 nearest schools in England (real
DfE 2018/19 tables loaded as ``import-dfe`` loads them), with the spread equal to the analytics
module's and the features from the academy's own data; primaries say plainly there is none."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from trustlens.analytics import similar_schools as ss
from trustlens.dashboards import similar as page
from trustlens.dashboards.formatting import fmt
from trustlens.ingest.dfe import read_dfe, store_dfe
from trustlens.ingest.store import NATIONAL, AnalyticalStore

pytestmark = pytest.mark.django_db
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
FILES = {
    "ks4": "kspdev_england_ks4provisional.csv",
    "census": "kspdev_england_census.csv",
    "absence": "kspdev_england_abs.csv",
}


@pytest.fixture(scope="module")
def england(dash):
    """The real national tables in the test store (removed afterwards, as the board browser
    test does, so no other test sees them)."""
    target = Path(settings.STORE_DIR) / NATIONAL
    saved = Path(settings.STORE_DIR) / "_national_saved_by_test_similar"
    if target.exists():
        shutil.copytree(target, saved, dirs_exist_ok=True)
    store = AnalyticalStore(settings.STORE_DIR)
    for kind, name in FILES.items():
        store_dfe(read_dfe(kind, REAL / name, "2018/19"), store)
    yield store
    shutil.rmtree(target, ignore_errors=True)
    if saved.exists():
        saved.rename(target)
    page._cache.clear()


def _cells(body: str, caption: str) -> list[list[str]]:
    table = body.split(caption, 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def test_exec_sees_similar_schools_spread_beside_the_academy(dash, england):
    academy = dash.academies[190001]
    response = dash.client("exec").get(f"/schools/academy/{academy.urn}/similar/")
    assert response.status_code == 200
    body = response.content.decode()
    features = page.academy_features(england, academy)
    schools, year = page.national_schools(england)
    assert year == "2018/19"
    near = ss.nearest(schools, features, exclude_urn=academy.urn)
    spreads = ss.spreads(near)
    rows = {r[0]: r for r in _cells(body, "its 20 similar schools: median")}
    p8 = rows["Progress 8"]
    assert p8[2] == fmt("p8", spreads["p8"].median)
    assert p8[4] == f"{fmt('p8', spreads['p8'].low)} to {fmt('p8', spreads['p8'].high)}"
    assert rows["Attendance, %"][3] == (
        f"{fmt('attendance', spreads['attendance'].q1)} to {fmt('attendance', spreads['attendance'].q3)}"
    )
    listed = _cells(body, "nearest first")
    assert [int(r[1]) for r in listed[1:]] == near["urn"].to_list()
    # the academy's features are its own: pupils on roll in the trust's store
    spells = dash.data.tables["enrolments"]
    on_roll = spells[(spells.urn == academy.urn) & spells.end_date.isna()].pupil_id.nunique()
    assert features.pupils == on_roll
    feature_rows = {r[0]: r for r in _cells(body, "The features used")}
    assert feature_rows["Pupils on roll"][1] == f"{on_roll:,}"
    assert 30 < features.prior_a8 < 70 and 0 <= features.disadvantaged_pct <= 100


def test_academy_page_links_to_it_and_primaries_say_there_is_none(dash, england):
    client = dash.client("exec")
    body = client.get("/schools/academy/190001/").content.decode()
    assert 'href="/schools/academy/190001/similar/"' in body
    primary = client.get("/schools/academy/190004/similar/").content.decode()
    assert "No school-level KS2 table for England is loaded" in primary


def test_academy_outside_the_heads_scope_is_not_found(dash, england):
    assert dash.client("head").get("/schools/academy/190002/similar/").status_code == 404


def test_without_national_tables_the_page_says_how_to_load_them(dash, monkeypatch):
    import polars as pl

    monkeypatch.setattr(page, "national_schools", lambda store: (pl.DataFrame(), None))
    body = dash.client("exec").get("/schools/academy/190001/similar/").content.decode()
    assert "trustlens import-dfe" in body
