"""The QA-to-improvement flow in Debian Chromium (issue 6, "Must show"): the trust executive
schedules a peer review of Alderbrook with reviewers from two other academies, a reviewer's
findings are recorded, one becomes an action on Alderbrook's plan, and the action shows on the
plan and in the trust's overdue view. Screenshots: tests/browser/screenshots/quality-*.png.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import login, screenshot
from tests.quality.conftest import make_user
from trustlens.improvement.factories import PlanFactory, PriorityFactory
from trustlens.improvement.models import Action
from trustlens.organisations.factories import AcademyFactory
from trustlens.people.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reviewers(world):
    """Heads of Bramblewood and of a third academy, Cedar Vale, in the same trust."""
    cedar = AcademyFactory(cluster=world.cluster_b, name="Cedar Vale Academy")
    return (
        make_user("bea_bramble", Role.HEADTEACHER, world.academy_b),
        make_user("cal_cedar", Role.HEADTEACHER, cedar),
    )


@pytest.fixture
def plan(world):
    plan = PlanFactory(
        academy=world.academy_a, title="Alderbrook improvement plan", academic_year="2025/26"
    )
    PriorityFactory(
        plan=plan, theme="teaching", title="Consistent checking for understanding", rag="amber"
    )
    return plan


def _schedule(page, url, academy) -> None:
    page.goto(f"{url}/quality/")
    screenshot(page, "quality-calendar-empty")
    page.get_by_role("link", name="Schedule a QA activity").click()
    page.get_by_label("Academy", exact=True).select_option(str(academy.pk))
    page.get_by_label("Kind", exact=True).select_option("peer_review")
    page.get_by_label("Title", exact=True).fill("Spring peer review of Alderbrook")
    page.get_by_label("Date", exact=True).fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Focus").fill("Teaching in key stage 3: checking for understanding.")
    screenshot(page, "quality-schedule")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_load_state("networkidle")


def _add_reviewer(page, user, role: str) -> None:
    page.get_by_role("link", name="Add who takes part").click()
    page.get_by_label("Role", exact=True).select_option(role)
    page.get_by_label("Person with a login").select_option(str(user.pk))
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_load_state("networkidle")


def _record_finding(page, kind: str, text: str) -> None:
    page.get_by_label("Kind", exact=True).select_option(kind)
    page.get_by_label("Finding", exact=True).fill(text)
    page.get_by_role("button", name="Record finding").click()
    page.locator("#findings").get_by_text(text).wait_for()


def test_peer_review_to_action_on_the_plan_and_overdue(
    world, exec_user, reviewers, plan, live_server, browser_page
):
    page = browser_page
    url = live_server.url
    login(page, live_server, exec_user.username)
    _schedule(page, url, world.academy_a)
    assert page.get_by_role("heading", name="Spring peer review of Alderbrook").is_visible()
    _add_reviewer(page, reviewers[0], "lead_reviewer")
    _add_reviewer(page, reviewers[1], "reviewer")
    people = page.locator("#people ~ .tl-table-wrap").first
    assert (
        "Bramblewood Academy" in people.inner_text() and "Cedar Vale Academy" in people.inner_text()
    )

    _record_finding(page, "strength", "Routines at the start of lessons are calm and consistent.")
    _record_finding(
        page, "development", "Teachers rarely check the understanding of the whole class."
    )
    screenshot(page, "quality-review-findings")

    row = page.locator("#findings tr", has_text="Teachers rarely check")
    row.get_by_role("link", name="Turn into an action").click()
    page.get_by_label("Title", exact=True).fill("Train all KS3 staff in whole-class checking")
    page.locator("#id_owner_id").select_option(str(exec_user.pk))
    page.get_by_label("Due date").fill((dt.date.today() - dt.timedelta(days=3)).isoformat())
    page.get_by_label("Link to the plan").select_option(
        label="Priority: Consistent checking for understanding"
    )
    screenshot(page, "quality-finding-to-action")
    page.get_by_role("button", name="Create action").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Overdue").first.is_visible()
    screenshot(page, "quality-action")
    action = Action.objects.unscoped().get()
    assert action.finding.activity.academy == world.academy_a and action.priority.plan == plan

    page.get_by_role("link", name="Consistent checking for understanding").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="Train all KS3 staff in whole-class checking").is_visible()
    screenshot(page, "quality-plan")

    page.goto(f"{url}/improvement/actions/overdue/")
    assert page.get_by_role("link", name="Train all KS3 staff in whole-class checking").is_visible()
    screenshot(page, "quality-overdue")
    page.goto(f"{url}/improvement/")
    screenshot(page, "quality-improvement-overview")
    page.goto(f"{url}/improvement/academies/{world.academy_a.pk}/")
    screenshot(page, "quality-academy-triangulation")
