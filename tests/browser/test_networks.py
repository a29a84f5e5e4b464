"""The network benchmark page in Debian Chromium, as a partner and as a member trust's
executive (issue 17, "Must show"). Screenshots: tests/browser/screenshots/networks-*.png."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import override_settings

from tests.browser.conftest import login, screenshot
from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.services import grant_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/networks")
PASSWORD = "correct horse battery staple"


def _trust(folder, slug, name, seed):
    from trustlens.imports.services import import_path
    from trustlens.synth import generate_trust

    generate_trust(folder, 3, seed, years=3, pupils_per_academy=60)
    assert import_path(folder, slug, trust_name=name).report.ok
    from trustlens.organisations.models import Trust

    return Trust.objects.unscoped().get(slug=slug)


@pytest.fixture
def network(tmp_path):
    from trustlens.networks import services

    north = _trust(tmp_path / "n", "bnorth", "Northfell Trust", 41)
    south = _trust(tmp_path / "s", "bsouth", "Southmere Trust", 42)
    net = services.create_network("dales", "Dales Network")
    services.join(net, north, ["attendance", "exclusions", "roll"], "N Contact")
    services.join(net, south, ["attendance", "roll"], "S Contact")
    partner = UserFactory(username="county", password=PASSWORD)
    services.add_partner(net, partner, "County Council", "local_authority")
    executive = UserFactory(username="north_exec", password=PASSWORD)
    grant_role(executive, Role.TRUST_EXECUTIVE, north)
    return net


def _keep(path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def test_benchmark_page_as_partner_and_as_member(browser_page, live_server, network):
    page = browser_page
    login(page, live_server, "county", PASSWORD)
    page.goto(f"{live_server.url}/network/")
    page.get_by_role("link", name="Dales Network").click()
    page.get_by_role("link", name="Benchmarks").click()
    assert "as a partner (County Council)" in page.content()
    page.get_by_label("Measure").select_option("attendance")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_role("table").first
    assert "Northfell Trust" in table.inner_text() and "Southmere Trust" in table.inner_text()
    assert "Dales Network" in table.inner_text()
    _keep(screenshot(page, "networks-benchmark-partner"))
    with override_settings(SUPPRESSION_THRESHOLD=50):  # to show c and its complements
        page.reload()
        assert "c" in page.get_by_role("table").first.inner_text().split()
        _keep(screenshot(page, "networks-benchmark-partner-threshold-50"))

    page.context.clear_cookies()
    login(page, live_server, "north_exec", PASSWORD)
    page.get_by_role("link", name="Network").first.click()
    page.get_by_role("link", name="Dales Network").click()
    page.get_by_role("link", name="Benchmarks").click()
    assert "as a member trust" in page.content()
    page.get_by_label("Measure").select_option("exclusions")
    page.get_by_label("Academic year").select_option(index=1)  # the last complete year
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    text = page.get_by_role("table").first.inner_text()
    assert "Northfell Trust" in text and "Southmere Trust" not in text
    _keep(screenshot(page, "networks-benchmark-member"))
    page.get_by_role("link", name="Place planning").click()
    assert "Surplus" in page.content()
    _keep(screenshot(page, "networks-planning"))
