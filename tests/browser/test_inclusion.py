"""The inclusion page in Debian Chromium for an executive, a headteacher and a trustee: the
funnel, the trend, the groups and the timing; the leavers list with names for pupil-level roles
only; axe-core with no serious or critical violation. Screenshots go to
tests/browser/screenshots/inclusion-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.browser.test_dashboards import open_page, seeded  # noqa: F401 - the fixture
from tests.dashboards.trust_fixture import LEAVER_SURNAME, SURNAME

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MILLBROOK, HARBOUR = 190002, 190001


def test_executive_sees_the_flagged_academy_and_its_leavers(seeded, live_server, browser_page):  # noqa: F811
    page = browser_page
    login(page, live_server, "dash_exec")
    body = open_page(page, live_server, "/schools/inclusion/", "inclusion-trust-executive")
    assert "funnel plot" in body and "Year 11, left before the January census" in body
    row = page.locator("tr", has_text="Millbrook Academy").first
    row.locator("details summary").first.click()  # the reason is one click away
    assert "funnel limit" in row.inner_text()
    body = open_page(
        page, live_server, f"/schools/academy/{MILLBROOK}/inclusion/", "inclusion-academy-executive"
    )
    page.get_by_role("link", name="List of leavers").click()
    page.wait_for_load_state("networkidle")
    body = open_page(
        page,
        live_server,
        f"/schools/academy/{MILLBROOK}/inclusion/leavers/",
        "inclusion-leavers-executive",
    )
    assert LEAVER_SURNAME in body and "Unknown / not recorded" in body


def test_headteacher_sees_their_academy_only(seeded, live_server, browser_page):  # noqa: F811
    page = browser_page
    login(page, live_server, "dash_head")
    body = open_page(
        page, live_server, f"/schools/academy/{HARBOUR}/inclusion/", "inclusion-academy-headteacher"
    )
    assert "Harbour Point Academy" in body and "List of leavers" in body
    assert page.goto(f"{live_server.url}/schools/academy/{MILLBROOK}/inclusion/").status == 404
    body = open_page(
        page,
        live_server,
        f"/schools/academy/{HARBOUR}/inclusion/leavers/",
        "inclusion-leavers-headteacher",
    )
    assert LEAVER_SURNAME in body


def test_trustee_sees_aggregates_and_no_pupil_name(seeded, live_server, browser_page):  # noqa: F811
    page = browser_page
    login(page, live_server, "dash_trustee")
    for path, name in (
        ("/schools/inclusion/", "inclusion-trust-trustee"),
        ("/schools/academy/190005/inclusion/", "inclusion-academy-small-trustee"),
    ):
        body = open_page(page, live_server, path, name)
        assert "Aggregates only" in body
        assert SURNAME not in body and LEAVER_SURNAME not in body
        assert "List of leavers" not in body
    assert ">c</abbr>" in body  # the small primary's groups are withheld
    response = page.goto(f"{live_server.url}/schools/academy/{MILLBROOK}/inclusion/leavers/")
    assert response.status == 403 and LEAVER_SURNAME not in page.content()
