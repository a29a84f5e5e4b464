"""The practice survey in Debian Chromium (issue 16, "Must show"): three teachers of Alderbrook
complete the survey and its profile stays hidden; once five have, the profile shows. Then the
trust executive opens the analysis: refused with four profiled academies, a forest plot with
twelve. Screenshots: tests/browser/screenshots/practice-*.png (copied to /work/shots/practice/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot
from tests.practice.conftest import YEAR, doubled_trust, make_user, planted_profile, write_store
from trustlens.organisations.factories import AcademyFactory
from trustlens.people.choices import Role
from trustlens.practice.factories import PracticeProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/practice")


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


def _complete_survey(page, url, user, academy, value: str, shot: str = "") -> None:
    login(page, url, user.username)
    page.goto(f"{url.url}/practice/")
    page.get_by_role("link", name=f"Complete the survey for {academy.name}").click()
    groups = page.locator("fieldset")
    for i in range(groups.count()):
        groups.nth(i).get_by_label(value).check()
    page.get_by_label("Anything else").fill("Clear routines; more time for CPD, please.")
    if shot:
        _shot(page, shot)
    page.get_by_role("button", name="Send my anonymous response").click()
    page.wait_for_load_state("networkidle")
    assert "your anonymous response" in page.content()
    page.context.clear_cookies()


def test_three_then_five_staff_complete_the_survey(world, live_server, browser_page):
    page = browser_page
    academy = world.academy_a
    staff = [make_user(f"teacher{i}_a", Role.TEACHER, academy) for i in range(5)]
    answers = ["4 Agree", "3 Neither", "5 Strongly agree", "4 Agree", "2 Disagree"]
    for n, (user, value) in enumerate(zip(staff[:3], answers[:3], strict=True)):
        _complete_survey(
            page, live_server, user, academy, value, "practice-survey" if n == 0 else ""
        )
    login(page, live_server, staff[0].username)
    page.goto(f"{live_server.url}/practice/")
    page.get_by_role("link", name=f"Profile of {academy.name}").click()
    assert "Not shown yet: 3 of the at least 5 responses" in page.content()
    assert page.locator("table").count() == 0
    _shot(page, "practice-profile-hidden")
    page.context.clear_cookies()
    for user, value in zip(staff[3:], answers[3:], strict=True):
        _complete_survey(page, live_server, user, academy, value)
    login(page, live_server, staff[4].username)
    page.goto(f"{live_server.url}/practice/")
    assert "completed" in page.locator("table").inner_text()
    page.get_by_role("link", name=f"Profile of {academy.name}").click()
    table = page.get_by_role("table", name=f"Practice profile of {academy.name}")
    assert "Behaviour systems" in table.inner_text() and "3.60" in table.inner_text()
    _shot(page, "practice-profile-shown")


def test_analysis_refuses_then_draws_the_forest_plot(
    world, exec_user, live_server, browser_page, settings, tmp_path
):
    settings.STORE_DIR = tmp_path
    tables, effects = doubled_trust(copies=2)
    write_store(tmp_path, world.trust.slug, tables)
    profile = planted_profile(effects)
    urns = list(effects)
    for n, urn in enumerate(urns):
        academy = AcademyFactory(
            trust=world.trust, cluster=world.cluster_a, urn=urn, name=f"Academy {n + 1:02d}"
        )
        if n >= 4:
            continue
        _profile(academy, profile)
    page = browser_page
    login(page, live_server, exec_user.username)
    page.goto(f"{live_server.url}/practice/")
    page.get_by_role("link", name="Practice and outcomes: the analysis").click()
    page.get_by_label("Academic year").fill(YEAR)
    page.get_by_role("button", name="Show").click()
    assert "Not enough academies to analyse" in page.content()
    assert "only 4 academies" in page.content()
    _shot(page, "practice-analysis-refused")
    for urn in urns[4:]:
        from trustlens.organisations.models import Academy

        _profile(Academy.objects.unscoped().get(urn=urn), profile)
    page.reload()
    figure = page.locator("figure svg")
    assert figure.count() == 1
    rows = page.get_by_role("table", name="Each area's association").locator("tbody tr")
    assert rows.count() == 10
    _shot(page, "practice-analysis-forest")


def _profile(academy, profile) -> None:
    for r in profile[profile.urn == academy.urn].to_dict("records"):
        PracticeProfileFactory(
            academy=academy, academic_year=YEAR, area=r["area"], score=r["score"], respondents=8
        )
