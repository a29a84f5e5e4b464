"""Completeness against the assessment calendar: submitted (rows, date), late, open, not open yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.ingest import builders as b
from trustlens.assessment.models import AssessmentWindow
from trustlens.assessment.services import completeness
from trustlens.imports.services import import_path
from trustlens.ingest.completeness import (
    LATE,
    OPEN,
    SUBMITTED,
    UPCOMING,
    Submission,
    Window,
    cell_status,
    grid,
)

pytestmark = pytest.mark.django_db
AUTUMN = Window("2024/25", "autumn", dt.date(2024, 11, 18), dt.date(2024, 12, 13))


@pytest.mark.parametrize(
    ("today", "submission", "status"),
    [
        (dt.date(2024, 11, 1), None, UPCOMING),
        (dt.date(2024, 11, 18), None, OPEN),
        (dt.date(2024, 12, 13), None, OPEN),
        (dt.date(2024, 12, 14), None, LATE),
        (dt.date(2024, 12, 14), Submission(120, dt.datetime(2024, 12, 1, 9)), SUBMITTED),
        (dt.date(2024, 11, 1), Submission(0, None), UPCOMING),
    ],
)
def test_cell_status(today, submission, status):
    assert cell_status(AUTUMN, submission, today) == status


def test_late_submission_is_flagged():
    cells = grid(
        [1],
        [AUTUMN],
        {(1, "2024/25", "autumn"): Submission(5, dt.datetime(2025, 1, 5))},
        dt.date(2025, 2, 1),
    )
    assert cells[1][0].status == SUBMITTED and cells[1][0].submitted_late


@pytest.fixture
def submitted(world, tmp_path):
    """Riverside's calendar, and academy A's autumn results imported."""
    rows = b.results([{"pupil_id": p.pupil_id} for p in world.pupils["A"]], world.academy_a.urn)
    folder = b.write_folder(
        tmp_path / "in", {"assessment_windows": b.windows(), "assessment_results": rows}
    )
    assert import_path(folder, "riverside").report.loaded
    return world


def test_grid_for_the_trust(submitted, exec_user):
    result = completeness(exec_user, today=dt.date(2025, 3, 15))
    assert result.year == "2024/25" and result.years == ["2024/25"]
    [trust] = result.trusts
    cells = {academy.urn: [c.status for c in row] for academy, row in trust.rows}
    assert cells[submitted.academy_a.urn] == [SUBMITTED, OPEN, UPCOMING]
    assert cells[submitted.academy_b.urn] == [LATE, OPEN, UPCOMING]
    first = trust.rows[0][1][0]
    assert first.rows == 4 and first.submitted_at is not None
    assert trust.counts == {SUBMITTED: 1, LATE: 1, OPEN: 2, UPCOMING: 2}


def test_a_head_sees_their_academy_only(submitted, head_a, client_for):
    result = completeness(head_a, today=dt.date(2025, 3, 15))
    assert [a.urn for a, _ in result.trusts[0].rows] == [submitted.academy_a.urn]
    page = client_for(head_a).get(reverse("assessment:completeness")).content.decode()
    assert submitted.academy_a.name in page and submitted.academy_b.name not in page
    assert "Submitted" in page


def test_page_for_the_executive_and_year_choice(submitted, exec_user, client_for):
    AssessmentWindow.objects.create(
        trust=submitted.trust,
        academic_year="2023/24",
        term="summer",
        opens=dt.date(2024, 6, 10),
        closes=dt.date(2024, 7, 1),
    )
    client = client_for(exec_user)
    page = client.get(reverse("assessment:completeness"), {"year": "2023/24"}).content.decode()
    assert "2023/24" in page and "Late" in page and "Bramblewood Academy" in page
    assert '<option value="2024/25"' in page and 'scope="row"' in page


def test_no_calendar_yet(world, trustee_user, client_for):
    page = client_for(trustee_user).get(reverse("assessment:completeness")).content.decode()
    assert "No assessment windows" in page
    assert "Aardvarkson" not in page


def test_each_term_counts_on_its_own_though_one_store_file_holds_the_year(
    submitted, exec_user, tmp_path
):
    """The store keeps an academy's year in one file; completeness counts each window's rows
    (the manifest's slices), and re-importing one window replaces only that window."""
    pupils = [{"pupil_id": p.pupil_id} for p in submitted.pupils["A"]]
    urn = submitted.academy_a.urn
    spring = b.results(pupils, urn, term="spring")
    assert import_path(
        b.write_folder(tmp_path / "spring", {"assessment_results": spring}), "riverside"
    ).report.loaded
    shorter = b.results(pupils[:1], urn, term="spring")
    assert import_path(
        b.write_folder(tmp_path / "again", {"assessment_results": shorter}), "riverside"
    ).report.loaded
    result = completeness(exec_user, today=dt.date(2025, 3, 15))
    row = dict(result.trusts[0].rows)[next(a for a, _ in result.trusts[0].rows if a.urn == urn)]
    assert [(c.window.term, c.status, c.rows) for c in row] == [
        ("autumn", SUBMITTED, 4),
        ("spring", SUBMITTED, 2),
        ("summer", UPCOMING, 0),
    ]
