"""How the trust works, in Debian Chromium (issue 15, "Must show"): the executive proposes
moving assessment from align to standardise for secondaries, a head comments, the executive
adopts it; the version history shows the difference; a head requests a deviation that the
executive approves with a review date. Screenshots: tests/browser/screenshots/governance-*.png.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot
from tests.governance.conftest import make_matrix
from trustlens.governance.models import Deviation, Version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/governance")


@pytest.fixture
def matrix(world):
    return make_matrix(world)


def shot(page, name: str) -> None:
    path = screenshot(page, f"governance-{name}")
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


def _propose(page, url) -> None:
    page.goto(f"{url}/trust/")
    assert page.get_by_role(
        "heading", name="How we work: standardise, align or autonomy"
    ).is_visible()
    page.get_by_role("link", name="Propose a change").click()
    page.get_by_label("Domain").select_option(label="Assessment")
    page.get_by_label("Phase").select_option("secondary")
    page.get_by_label("Stance").select_option("standardise")
    page.get_by_label("What exactly is fixed").fill(
        "Common assessments in English, maths and science in every window."
    )
    page.get_by_label("Rationale").fill("Results are not comparable between academies.")
    page.get_by_label("Effective from").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Propose").click()
    page.wait_for_load_state("networkidle")


def _comment(page, url, text: str) -> None:
    page.goto(f"{url}/trust/")
    page.get_by_role("link", name="Consultation (1 open proposal)").click()
    page.get_by_label("Your comment").fill(text)
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_load_state("networkidle")


def test_propose_consult_adopt_then_deviation(
    world, matrix, exec_user, head_a, live_server, browser_page
):
    page, url = browser_page, live_server.url
    login(page, live_server, exec_user.username)
    _propose(page, url)
    assert "Heads and leads can now comment" in page.content()
    page.context.clear_cookies()

    login(page, live_server, head_a.username)
    _comment(page, url, "Agreed, if the windows avoid our mock exams.")
    assert page.get_by_text("Agreed, if the windows avoid our mock exams.").is_visible()
    assert page.get_by_role("link", name="Decide").count() == 0  # heads comment, never decide
    shot(page, "consultation")
    page.context.clear_cookies()

    login(page, live_server, exec_user.username)
    page.goto(f"{url}/trust/consultation/")
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Adopt this proposal").check()
    page.get_by_label("Decision note").fill("Adopted after consultation with heads.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state("networkidle")
    # The history of assessment: version 2 (standardise) with what changed from version 1.
    assert page.get_by_role("heading", name="Version 2: Standardise").is_visible()
    diff = page.locator("table.tl-diff").first
    assert "Align" in diff.inner_text() and "Standardise" in diff.inner_text()
    assert diff.locator("del", has_text="Align").count() == 1
    assert diff.locator("ins", has_text="Standardise").count() == 1
    shot(page, "history-diff")
    page.goto(f"{url}/trust/")
    row = page.locator("#matrix tr", has_text="Assessment")
    assert "Standardise" in row.inner_text() and "v2" in row.inner_text()
    shot(page, "matrix")
    page.context.clear_cookies()

    login(page, live_server, head_a.username)
    page.goto(f"{url}/trust/")
    page.get_by_role("link", name="Alderbrook Academy").click()
    assert "Standardise" in page.locator("tr", has_text="Assessment").inner_text()
    page.get_by_role("link", name="Request a deviation").click()
    page.get_by_label("Domain").select_option(label="Assessment")
    page.get_by_label("Reason").fill("Our science course uses another exam board's papers.")
    page.get_by_label("Conditions").fill("We share our results in the trust's format.")
    page.get_by_label("Review date").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Request deviation").click()
    page.wait_for_load_state("networkidle")
    assert "Deviation requested" in page.content()
    page.context.clear_cookies()

    login(page, live_server, exec_user.username)
    page.goto(f"{url}/trust/deviations/")
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("Approve").check()
    review = dt.date.today() + dt.timedelta(days=180)
    page.get_by_label("Review date").fill(review.isoformat())
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#deviations tbody tr").first
    assert "Approved" in row.inner_text() and review.strftime("%-d %b %Y") in row.inner_text()
    shot(page, "deviation")

    deviation = Deviation.objects.unscoped().get()
    assert deviation.status == "approved" and deviation.review_on == review
    assert deviation.decided_by == exec_user and deviation.requested_by == head_a
    latest = Version.objects.unscoped().filter(domain=matrix, phase="secondary").order_by("-number")
    assert [v.stance for v in latest] == ["standardise", "align"]


def test_self_evaluation_chart_and_calendar_month(world, exec_user, live_server, browser_page):
    """The demo's two self-evaluation rounds and their change chart; the calendar's month view
    with an assessment point added through the form; the feed address made on its page."""
    from trustlens.assessment.models import AssessmentWindow
    from trustlens.governance.demo import seed

    today = dt.date.today()
    seed("riverside", 3, today)
    AssessmentWindow.objects.create(
        trust=world.trust,
        academic_year="2026/27",
        term="autumn",
        opens=today.replace(day=1),
        closes=today.replace(day=1) + dt.timedelta(days=24),
    )
    page, url = browser_page, live_server.url
    login(page, live_server, exec_user.username)
    page.goto(f"{url}/trust/")
    row = page.locator("#matrix tr", has_text="Assessment")
    assert "Align" in row.inner_text() and "Standardise" in row.inner_text()  # primary, secondary
    shot(page, "matrix-demo")
    page.get_by_role("link", name="Trust self-evaluation").click()
    assert page.locator("figure svg").count() == 1
    assert "Self-review 2" in page.locator("table", has_text="Mean score by area").inner_text()
    shot(page, "selfeval-chart")

    page.goto(f"{url}/assessment/calendar/")
    page.get_by_role("link", name="Add an assessment point").click()
    page.get_by_label("Window").select_option(label="2026/27 Autumn")
    page.get_by_label("Title").fill("Year 9 English check")
    page.get_by_label("Phase").select_option("secondary")
    page.get_by_label("Year group").fill("9")
    page.get_by_label("Subject").fill("English")
    page.get_by_label("Opens").fill(today.replace(day=2).isoformat())
    page.get_by_label("Results due").fill(today.replace(day=20).isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    cells = page.locator("#month td", has_text="Year 9 English check")
    assert cells.count() == 2  # opens on the 2nd, due on the 20th
    assert cells.nth(0).inner_text().startswith("2") and "Opens" in cells.nth(0).inner_text()
    assert cells.nth(1).inner_text().startswith("20") and "Due" in cells.nth(1).inner_text()
    shot(page, "calendar-month")
    page.get_by_role("link", name="Subscribe in your calendar").click()
    page.get_by_role("button", name="Make my feed address").click()
    assert "calendar.ics?key=" in page.get_by_label("Feed address").input_value()
