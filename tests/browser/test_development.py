"""The people flow in Debian Chromium, as a new user would: the trust executive records a
maths need at academy A, finds experts in academy B through the match view, deploys one for
10 days with backfill (after a first try with the dates the wrong way round), and sees the
days ledger and the capacity view update; the head of A sees the deployment; a teacher sees
only their own coaching. Screenshots: tests/browser/screenshots/development-*.png (copied to
/work/shots/development/)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot
from trustlens.development.choices import Area, GuskeyLevel, Level
from trustlens.development.factories import (
    CoachingModelFactory,
    CoachingPairFactory,
    CoachingSessionFactory,
    CpdEvaluationFactory,
    CpdSessionFactory,
    ExpertiseFactory,
    StaffFactory,
)
from trustlens.development.models import CpdAttendance, Deployment, PeopleSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/development")
TODAY = dt.date.today()


def _shot(page, name: str) -> None:
    path = screenshot(page, f"development-{name}")
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def trust_people(world, teacher_a):
    """B's maths experts (two leaders: 120 leader days a term), A's staff, coaching in A, a
    joint CPD session, and a trust limit of 5% of leaders' time."""
    PeopleSettings.objects.create(trust=world.trust, max_give_percent=5)
    sle = StaffFactory(academy=world.academy_b, name="Sam Accredited", job_title="Head of maths",
                       is_leader=True, days_available=Decimal(15))  # fmt: skip
    ExpertiseFactory(staff=sle, topic="maths", level=Level.ACCREDITED, accreditation="SLE (maths)")
    expert = StaffFactory(academy=world.academy_b, name="Bea Expert", is_leader=True)
    ExpertiseFactory(staff=expert, topic="maths", level=Level.EXPERT)
    reluctant = StaffFactory(academy=world.academy_b, name="Rex Reluctant", consent_to_deploy=False)
    ExpertiseFactory(staff=reluctant, topic="maths", level=Level.EXPERT)
    theo = StaffFactory(academy=world.academy_a, name="Theo Teacher", user=teacher_a)
    ExpertiseFactory(staff=theo, area=Area.SUBJECT, topic="maths", level=Level.DEVELOPING)
    coach = StaffFactory(academy=world.academy_a, name="Cora Coach", is_leader=True)
    other = StaffFactory(academy=world.academy_a, name="Olly Other")
    model = CoachingModelFactory(trust=world.trust, name="Instructional coaching",
                                 min_days_between=7, max_days_between=14)  # fmt: skip
    mine = CoachingPairFactory(coach=coach, coachee=theo, model=model,
                               started_on=TODAY - dt.timedelta(days=30))  # fmt: skip
    for days_ago, focus in ((28, "Modelling worked examples"), (16, "Checks for understanding"),
                            (5, "Hinge questions")):  # fmt: skip
        CoachingSessionFactory(pair=mine, held_on=TODAY - dt.timedelta(days=days_ago), focus=focus)
    theirs = CoachingPairFactory(coach=coach, coachee=other, model=model,
                                 started_on=TODAY - dt.timedelta(days=40))  # fmt: skip
    CoachingSessionFactory(pair=theirs, held_on=TODAY - dt.timedelta(days=38), focus="Olly's focus")
    session = CpdSessionFactory(host_academy=world.academy_b, title="Maths mastery: trust network",
                                programme="Trust maths network", cost=Decimal(450),
                                held_on=TODAY - dt.timedelta(days=20))  # fmt: skip
    for person in (sle, expert, theo):
        CpdAttendance.objects.create(session=session, staff=person)
    for level, percent in (
        (GuskeyLevel.REACTION, 92),
        (GuskeyLevel.LEARNING, 78),
        (GuskeyLevel.USE, 61),
    ):
        CpdEvaluationFactory(session=session, level=level, positive_percent=percent, respondents=3,
                             evidence="Exit survey, quiz and learning walks")  # fmt: skip
    return world


def _record_need(page, live_server, academy) -> None:
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Needs and matching").click()
    page.get_by_role("link", name="Record a need").click()
    page.get_by_label("Academy").select_option(str(academy.pk))
    page.get_by_label("Title").fill("Maths teaching: modelling and checks for understanding")
    page.get_by_label("Area").select_option("subject")
    page.get_by_label("Topic").fill("maths")
    page.get_by_label("Level needed").select_option("expert")
    page.get_by_label("Days needed").fill("10")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")


def _deploy(page) -> None:
    page.get_by_role("link", name="Deploy Sam Accredited").click()
    start, end = TODAY, TODAY + dt.timedelta(days=14)
    page.get_by_label("Starts on").fill(end.isoformat())  # the wrong way round first
    page.get_by_label("Ends on").fill(start.isoformat())
    page.get_by_label("Backfill: who covers").fill("Cover supervisor and a second-year teacher")
    page.get_by_label("Backfill cost (£)").fill("1800")
    page.get_by_label("Backfill paid by").select_option("receiving")
    page.get_by_role("button", name="Save the deployment").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("The end date is before the start date").first.is_visible()
    assert not Deployment.objects.unscoped().exists()
    page.get_by_label("Starts on").fill(start.isoformat())
    page.get_by_label("Ends on").fill(end.isoformat())
    page.get_by_role("button", name="Save the deployment").click()
    page.wait_for_load_state("networkidle")


def test_exec_deploys_an_expert_with_backfill_and_others_see_their_part(
    browser_page, live_server, trust_people, exec_user, head_a, teacher_a
):
    page, world = browser_page, trust_people
    login(page, live_server, exec_user.username)
    page.goto(f"{live_server.url}/people/directory/?q=maths")
    assert page.get_by_role("link", name="Sam Accredited").is_visible()
    _shot(page, "directory")

    _record_need(page, live_server, world.academy_a)
    ranked = page.locator("table", has=page.locator("caption", has_text="ranked for this need"))
    first = ranked.locator("tbody tr").first.inner_text()
    assert first.startswith("1") and "Sam Accredited" in first and "0 of 15 days" in first
    assert ranked.get_by_role("link", name="Bea Expert", exact=True).is_visible()
    excluded = page.locator("table", has=page.locator("caption", has_text="not proposed"))
    assert "Has not agreed to be deployed" in excluded.inner_text()
    _shot(page, "match")

    _deploy(page)
    body = page.locator("main").inner_text()
    assert "Sam Accredited to Alderbrook Academy" in body and "Cover supervisor" in body
    assert "10" in page.locator("dt:has-text('Days') + dd").first.inner_text()
    _shot(page, "deployment")

    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Days ledger").click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Bramblewood Academy"))
    assert row.locator("td").first.inner_text() == "10"
    row_a = page.locator("tr", has=page.get_by_role("rowheader", name="Alderbrook Academy"))
    assert row_a.locator("td").nth(1).inner_text() == "10"
    _shot(page, "ledger")
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Capacity").first.click()
    warning = page.get_by_role("status")
    assert "Bramblewood Academy (8%)" in warning.inner_text()
    assert (
        page.locator("tr", has_text="Bramblewood Academy")
        .get_by_text("Over the limit")
        .is_visible()
    )
    _shot(page, "capacity")
    page.goto(f"{live_server.url}/people/cpd/")
    assert page.get_by_text("4. Use of new knowledge and skills").is_visible()
    _shot(page, "cpd")
    page.get_by_role("link", name="Maths mastery: trust network").click()
    _shot(page, "cpd-detail")
    page.goto(f"{live_server.url}/people/coaching/")
    assert "Patterns by academy" in page.locator("main").inner_text()
    assert "Hinge questions" not in page.locator("main").inner_text()  # exec: no notes
    _shot(page, "coaching-exec")

    page.context.clear_cookies()
    login(page, live_server, head_a.username)
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Deployments", exact=True).click()
    page.get_by_role("link", name="Sam Accredited").click()
    assert "Sam Accredited to Alderbrook Academy" in page.locator("main").inner_text()

    page.context.clear_cookies()
    login(page, live_server, teacher_a.username)
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="Coaching").first.click()
    text = page.locator("main").inner_text()
    assert "Theo Teacher" in text and "Hinge questions" in text
    assert "Olly Other" not in text
    _shot(page, "coaching")
