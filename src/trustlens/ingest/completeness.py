"""Completeness against the assessment calendar: which academy has submitted which window.

Pure Python so dashboards and the CLI can reuse it. A window counts as submitted for an academy
when the analytical store holds assessment_results rows for that academy, academic year and
term (the store's manifest records rows and write time per partition, so no data is scanned).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trustlens.ingest.store import AnalyticalStore

SUBMITTED, LATE, OPEN, UPCOMING = "submitted", "late", "open", "upcoming"


@dataclass(frozen=True)
class Window:
    academic_year: str
    term: str
    opens: dt.date
    closes: dt.date


@dataclass(frozen=True)
class Submission:
    rows: int
    written_at: dt.datetime | None


@dataclass(frozen=True)
class Cell:
    urn: int
    window: Window
    status: str
    rows: int = 0
    submitted_at: dt.datetime | None = None

    @property
    def submitted_late(self) -> bool:
        """Submitted, but after the window closed."""
        return (
            self.status == SUBMITTED
            and self.submitted_at is not None
            and self.submitted_at.date() > self.window.closes
        )


def cell_status(window: Window, submission: Submission | None, today: dt.date) -> str:
    if submission is not None and submission.rows > 0:
        return SUBMITTED
    if today > window.closes:
        return LATE
    return OPEN if today >= window.opens else UPCOMING


def grid(
    urns: list[int],
    windows: list[Window],
    submissions: dict[tuple[int, str, str], Submission],
    today: dt.date,
) -> dict[int, list[Cell]]:
    """For each academy (URN), one cell per window, in the windows' order."""
    cells: dict[int, list[Cell]] = {}
    for urn in urns:
        row = []
        for window in windows:
            submission = submissions.get((urn, window.academic_year, window.term))
            status = cell_status(window, submission, today)
            row.append(
                Cell(
                    urn,
                    window,
                    status,
                    submission.rows if submission else 0,
                    submission.written_at if submission else None,
                )
            )
        cells[urn] = row
    return cells


def submissions_in_store(
    store: AnalyticalStore, trust_slug: str
) -> dict[tuple[int, str, str], Submission]:
    """(urn, academic_year, term) -> rows and write time of the live assessment_results partition."""
    found = {}
    for piece in store.slices(trust_slug, "assessment_results"):
        values = piece.values
        if not {"urn", "academic_year", "term"} <= values.keys():
            continue
        written = dt.datetime.fromisoformat(piece.written_at) if piece.written_at else None
        key = (int(values["urn"]), values["academic_year"], values["term"])
        earlier = found.get(key)
        rows = piece.rows + (earlier.rows if earlier else 0)
        if earlier and earlier.written_at and (written is None or earlier.written_at > written):
            written = earlier.written_at
        found[key] = Submission(rows, written)
    return found
