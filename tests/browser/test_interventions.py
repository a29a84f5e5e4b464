"""The impact flow in Debian Chromium: a headteacher registers an intervention, attaches its
pupils, evaluates it and finds the result, with its cautions, in the what-works library.

The store holds a synthetic year 9 for academies A and B with a planted effect of 0.3 SD on the
participants' summer reading (tests/interventions/conftest.py). Screenshots:
tests/browser/screenshots/interventions-*.png.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login, screenshot
from tests.interventions.conftest import TRUE_EFFECT, add_records, write_store
from trustlens.analytics.impact.simulation import PlantedIntervention, synthetic_trust

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def planted(world, settings, tmp_path):
    """The store and the records of a synthetic year group; returns the planted participants."""
    settings.STORE_DIR = tmp_path / "store"
    academies = {world.academy_a.urn: world.academy_a, world.academy_b.urn: world.academy_b}
    synthetic = synthetic_trust(
        7, tuple(academies), (PlantedIntervention(world.academy_a.urn, TRUE_EFFECT),), 150
    )
    write_store(settings.STORE_DIR, world.trust.slug, synthetic.tables)
    add_records(world.trust, academies, synthetic.tables["pupils"])
    return synthetic.participants[0]


def _register(page, live_server, academy) -> None:
    page.goto(f"{live_server.url}/interventions/")
    page.get_by_role("link", name="Register an intervention").first.click()
    page.get_by_label("Name", exact=True).fill("Year 9 reading catch-up")
    page.get_by_label("Programme type").select_option("catch_up")
    page.get_by_label("Aim").fill("Close the reading gap for year 9 pupils who started behind.")
    page.get_by_label("Academies").select_option(str(academy.pk))
    page.get_by_label("Outcome subject").fill("Reading")
    page.get_by_label("Pre-test academic year").fill("2024/25")
    page.get_by_label("Pre-test term").select_option("autumn")
    page.get_by_label("Post-test academic year").fill("2024/25")
    page.get_by_label("Post-test term").select_option("summer")
    page.get_by_label("Fixed cost (£)").fill("1500")
    page.get_by_label("Cost per pupil (£)").fill("120")
    screenshot(page, "interventions-register")
    page.get_by_role("button", name="Register and add pupils").click()
    page.wait_for_load_state("networkidle")


def _attach(page, participants: list[str]) -> None:
    page.locator("summary", has_text="Add pupils by pupil id").click()
    page.get_by_label("Pupil ids").fill("\n".join(participants))
    page.get_by_role("button", name="Add these pupils").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "interventions-pupils")


def test_register_attach_evaluate_and_find_it_in_the_library(
    browser_page, live_server, planted, head_a, world
):
    page, head_a_academy = browser_page, world.academy_a
    login(page, live_server, head_a.username)
    _register(page, live_server, head_a_academy)
    assert page.get_by_role("heading", name="Pupils taking part").is_visible()
    _attach(page, planted)
    assert f"Added {len(planted)} pupils" in page.content()

    page.get_by_role("button", name="Evaluate now").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "interventions-result")
    text = page.locator("main").inner_text()
    assert "Matched comparison group, pre-test and post-test" in text
    assert "What this can and cannot show" in text
    assert "not allocated at random" in text  # the not_randomised caution
    assert "It ran in one academy" in text  # the single_academy caution
    assert page.get_by_role("table", name=re.compile("Balance")).is_visible()
    figures = re.search(
        r"Effect size\s*([+-−]\d\.\d\d)\s*95% CI ([+-−]\d\.\d\d) to ([+-−]\d\.\d\d)", text
    )
    assert figures, text[:2000]
    low, high = (float(v.replace("−", "-")) for v in figures.groups()[1:])
    assert low <= TRUE_EFFECT <= high

    page.goto(f"{live_server.url}/interventions/?programme=catch_up")
    page.wait_for_load_state("networkidle")
    screenshot(page, "interventions-library")
    row = page.get_by_role("row", name=re.compile("Year 9 reading catch-up"))
    assert row.count() == 1
    row_text = row.inner_text()
    assert "cautions" in row_text and re.search(r"Positive|Unclear|Negative", row_text)
