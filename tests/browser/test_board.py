"""The board summary, the colour grid, England beside every figure and a small group's
shrunken estimate, in Debian Chromium as an executive and a trustee would read them.

England's figures are the real DfE national tables (``../shared/data/real``) loaded with the
``import-dfe`` reader for this test and removed afterwards. Screenshots are copied to
/work/shots/dashboards/ when that folder exists.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import login, screenshot
from tests.browser.test_dashboards import check_accessibility, seeded  # noqa: F401 - fixture
from tests.dashboards.trust_fixture import SURNAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
SHOTS = Path("/work/shots/dashboards")


@pytest.fixture
def england(seeded):  # noqa: F811 - the fixture imported above
    from tests.dashboards.conftest import SLUG
    from trustlens.dashboards import services
    from trustlens.ingest.dfe import read_dfe, store_dfe
    from trustlens.ingest.store import NATIONAL, AnalyticalStore

    store = AnalyticalStore(settings.STORE_DIR)
    for kind, name in (
        ("ks4", "kspdev_england_ks4provisional.csv"),
        ("census", "kspdev_england_census.csv"),
        ("absence", "kspdev_england_abs.csv"),
        ("ks2", "la850_936_hampshire_surrey_ks2/2018-2019_850_ks2final.csv"),
    ):
        store_dfe(read_dfe(kind, REAL / name, "2018/19"), store)
    services.rebuild_summaries(SLUG)
    yield seeded
    shutil.rmtree(Path(settings.STORE_DIR) / NATIONAL, ignore_errors=True)
    services.rebuild_summaries(SLUG)


def _shot(page, name: str) -> None:
    path = screenshot(page, f"board-{name}")
    if SHOTS.exists():
        shutil.copy(path, SHOTS / path.name)


def _open(page, live_server, path: str, name: str) -> str:
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    _shot(page, name)
    check_accessibility(page, name)
    return page.content()


def test_trustee_reads_the_board_summary_from_the_overview(england, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_trustee")
    page.goto(f"{live_server.url}/schools/")
    page.get_by_role("link", name="Board summary").click()
    page.wait_for_load_state("networkidle")
    body = page.content()
    _shot(page, "summary-trustee")
    check_accessibility(page, "board summary")
    assert "What changed" in body and "Outliers" in body and "Risks" in body
    assert "England 2018/19" in body  # the trust against England's published figures
    assert SURNAME not in body
    page.get_by_role("link", name="Every academy and measure (the overview)").click()
    assert "/schools/" in page.url


def test_executive_scans_the_grid_and_reads_a_reason_on_focus(england, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_exec")
    page.goto(f"{live_server.url}/schools/")
    page.get_by_role("link", name="At a glance (colour grid)").click()
    page.wait_for_load_state("networkidle")
    square = page.locator(
        ".tl-grid-cell--red .tl-grid-square, .tl-grid-cell--amber .tl-grid-square"
    ).first
    square.focus()
    tip = square.locator(".tl-grid-tip")
    assert tip.is_visible() and "rule " in tip.inner_text() or "funnel" in tip.inner_text()
    assert tip.inner_text() == square.get_attribute("title")
    _shot(page, "glance-executive")
    check_accessibility(page, "glance")
    first = page.locator("table.tl-grid tbody tr").first.inner_text()
    assert "R" in first or "A" in first  # outliers first


def test_academy_page_has_england_and_a_small_groups_shrunken_estimate(
    england, live_server, browser_page
):
    page = browser_page
    login(page, live_server, "dash_exec")
    body = _open(page, live_server, "/schools/academy/190001/", "academy-england-executive")
    assert "England (published)" in body and "England 2018/19" in body
    assert "46.5" in body  # Attainment 8, state-funded England 2018/19 (published)
    shrunk = page.locator(".tl-dash-shrunk").first
    shrunk.scroll_into_view_if_needed()
    assert "empirical Bayes" in shrunk.inner_text()
    group = page.locator("tr", has=page.locator(".tl-dash-shrunk")).first
    group.screenshot(path=str(screenshot(page, "board-tmp").with_name("board-small-group.png")))
    if SHOTS.exists():
        shutil.copy(screenshot(page, "board-tmp").with_name("board-small-group.png"), SHOTS)


def test_board_pack_pages_and_rules(england, live_server, browser_page):
    """The pack's pages as WeasyPrint lays them out are not rasterised here (no PDF renderer on
    this machine): the pack's HTML, the PDF's source, is shown with its print stylesheet."""
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    from trustlens.dashboards import boardpack

    page = browser_page
    login(page, live_server, "dash_exec")
    response = page.request.get(f"{live_server.url}/schools/board-pack/?format=xlsx")
    assert response.status == 200 and response.body()[:2] == b"PK"
    users = england["users"]
    html = render_to_string(
        "dashboards/board_pack.html", boardpack.pack_context(users["exec"], None)
    )
    css = Path(finders.find("dashboards/board_pack.css")).read_text()
    blank = page.context.browser.new_page(viewport={"width": 1123, "height": 794})  # A4 landscape
    blank.set_content(html.replace("</head>", f"<style>{css}</style></head>"))
    blank.emulate_media(media="print")
    _shot(blank, "pack-pages")
    text = blank.content()
    blank.close()
    for words in (
        "Board summary",
        "Outcomes",
        "Inclusion",
        "Improvement stages",
        "Intervention impact",
    ):
        assert words in text
    body = _open(page, live_server, "/schools/rag-rules/", "rag-rules-executive")
    assert "below-england-material" in body
