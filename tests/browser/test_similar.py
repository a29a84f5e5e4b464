"""Similar schools and estimate bands in Debian Chromium, as an executive and a teacher would
reach them: from the academy page's contents, and from the teacher's own class page.
Screenshots are copied to /work/shots/similar/ when that folder exists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import login, screenshot
from tests.browser.test_dashboards import check_accessibility, seeded  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
SHOTS = Path("/work/shots/similar")


@pytest.fixture
def england(seeded):  # noqa: F811 - the fixture imported above
    from trustlens.dashboards import similar
    from trustlens.ingest.dfe import read_dfe, store_dfe
    from trustlens.ingest.store import NATIONAL, AnalyticalStore

    target = Path(settings.STORE_DIR) / NATIONAL
    existed = target.exists()
    store = AnalyticalStore(settings.STORE_DIR)
    for kind, name in (
        ("ks4", "kspdev_england_ks4provisional.csv"),
        ("census", "kspdev_england_census.csv"),
        ("absence", "kspdev_england_abs.csv"),
    ):
        store_dfe(read_dfe(kind, REAL / name, "2018/19"), store)
    yield seeded
    if not existed:
        shutil.rmtree(target, ignore_errors=True)
    similar._cache.clear()


def _shot(page, name: str) -> None:
    path = screenshot(page, f"similar-{name}")
    if SHOTS.exists():
        shutil.copy(path, SHOTS / path.name)


def test_exec_opens_similar_schools_from_the_academy_page(england, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_exec")
    page.goto(f"{live_server.url}/schools/academy/190001/")
    page.get_by_role("link", name="Similar schools nationally").click()
    page.wait_for_load_state("networkidle")
    _shot(page, "academy")
    check_accessibility(page, "similar schools")
    body = page.content()
    assert "Similar schools nationally: Harbour Point Academy" in body
    assert page.get_by_role("row", name="Progress 8").count() >= 1
    assert "2018/19" in body


def test_teacher_opens_estimate_bands_from_their_class(england, live_server, browser_page):
    page = browser_page
    group = england["class"]
    login(page, live_server, "dash_teacher")
    page.goto(f"{live_server.url}/schools/academy/{group.academy.urn}/class/{group.pk}/")
    page.get_by_role("link", name="KS4 estimate bands for this class").click()
    page.wait_for_load_state("networkidle")
    _shot(page, "class-bands")
    check_accessibility(page, "class estimate bands")
    assert "Estimates, never targets." in page.content()
