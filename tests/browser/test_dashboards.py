"""Dashboards in Debian Chromium, per role: what each sees, suppression, no pupil names for
trustees, numbers equal to the measures layer, and axe-core (no serious or critical
violation). Screenshots of every dashboard go to tests/browser/screenshots/dashboards-*.png.

Each test builds the small synthetic trust of tests/dashboards (records, store, summaries):
live_server tests flush the database after each test.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login, screenshot
from tests.dashboards.trust_fixture import SURNAME, build_tables

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_DATA = {}


@pytest.fixture
def seeded(live_server):
    from tests.dashboards.conftest import (
        SLUG,
        create_records,
        create_users,
        remove_records,
        write_store,
    )
    from trustlens.dashboards import services

    remove_records(SLUG)  # a clean start whatever ran before (records only: the store is shared)
    if "data" not in _DATA:
        _DATA["data"] = build_tables()
        write_store(SLUG, _DATA["data"].tables)
    trust, academies = create_records(_DATA["data"])
    users, group = create_users(trust, academies)
    services.rebuild_summaries(SLUG)
    return {"trust": trust, "academies": academies, "users": users, "class": group}


def check_accessibility(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    described = [
        f"{v['id']} ({v['impact']}): {v['help']} x{len(v['nodes'])} e.g. {v['nodes'][0]['html'][:160]}"
        for v in bad
    ]
    assert not bad, f"axe-core found serious/critical violations on {name}:\n" + "\n".join(
        described
    )


def open_page(page, live_server, path: str, name: str) -> str:
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    screenshot(page, f"dashboards-{name}")
    check_accessibility(page, name)
    return page.content()


def expected_p8(urn: int) -> str:
    """Progress 8 of one academy straight from the measures layer (the figure on screen)."""
    from trustlens.analytics import engine
    from trustlens.analytics.measures.progress8 import progress8
    from trustlens.analytics.summaries.outcomes import p8_parameters

    ks4 = _DATA["data"].tables["ks4"]
    year = sorted(ks4["academic_year"].unique())[-1]
    con = engine.connect()
    table = engine.load(con, "ks4", ks4[ks4["academic_year"] == year])
    frame = engine.execute(progress8(table, p8_parameters(year)[0]))
    score = float(frame.loc[frame["urn"] == urn, "score"].iloc[0])
    return f"{score:+.2f}"


def test_trust_executive_sees_every_academy_with_numbers_from_the_measures_layer(
    seeded, live_server, browser_page
):
    page = browser_page
    login(page, live_server, "dash_exec")
    body = open_page(page, live_server, "/schools/", "overview-executive")
    for _urn, academy in seeded["academies"].items():
        assert academy.name in body, academy.name
    assert expected_p8(190001) in body and expected_p8(190002) in body
    assert "Safeguarding referrals" in body
    row = page.locator("tr", has_text="Millbrook Academy")
    status = row.locator("details.tl-dash-status")
    status.locator("summary").click()  # the reason is one click away
    assert status.locator("div").is_visible() and "95% CI" in status.inner_text()
    body = open_page(page, live_server, "/schools/academy/190002/", "academy-executive")
    assert "Year groups" in body and "Pupil groups" in body and "Classes" in body
    open_page(
        page,
        live_server,
        f"/schools/region/{seeded['academies'][190001].cluster.region_id}/",
        "region-executive",
    )


def test_trustee_sees_aggregates_suppressed_and_never_a_pupil(seeded, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_trustee")
    body = open_page(page, live_server, "/schools/", "overview-trustee")
    assert "Aggregates only" in body
    tiny = page.locator("table.tl-dash-table tr", has_text="Tiny Fen Primary").first
    assert re.search(r">c<", tiny.inner_html()), "the 4-pupil KS2 cohort must be suppressed"
    for path, name in (
        ("/schools/academy/190001/", "academy-trustee"),
        ("/schools/academy/190005/", "academy-small-trustee"),
    ):
        body = open_page(page, live_server, path, name)
        assert SURNAME not in body
    for path in (
        f"/schools/academy/190001/class/{seeded['class'].pk}/",
        "/pupils/",
        "/pupils/D000001/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 403, path
        assert SURNAME not in page.content()


def test_headteacher_sees_one_academy_in_depth(seeded, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_head")
    body = open_page(page, live_server, "/schools/", "overview-headteacher")
    assert "Harbour Point Academy" in body and "Millbrook Academy" not in body
    assert "Safeguarding referrals" not in body  # trust roles only
    body = open_page(page, live_server, "/schools/academy/190001/", "academy-headteacher")
    assert "Classes" in body
    assert page.goto(f"{live_server.url}/schools/academy/190002/").status == 404
    body = open_page(page, live_server, "/pupils/D000001/", "pupil-headteacher")
    assert f"{SURNAME}1" in body


def test_teacher_sees_own_class_as_formative_data(seeded, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_teacher")
    group = seeded["class"]
    body = open_page(
        page, live_server, f"/schools/academy/190001/class/{group.pk}/", "class-teacher"
    )
    assert f"Class {group.name}" in body and SURNAME in body
    open_page(page, live_server, "/pupils/", "pupils-teacher")


def test_cluster_lead_and_board_pack(seeded, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_cluster")
    cluster = seeded["academies"][190001].cluster
    body = open_page(page, live_server, f"/schools/cluster/{cluster.pk}/", "cluster-lead")
    assert (
        "Harbour Point Academy" in body
        and "Millbrook Academy" in body
        and "Oakridge Academy" not in body
    )
    open_page(page, live_server, "/schools/board-pack/", "board-pack-form")
