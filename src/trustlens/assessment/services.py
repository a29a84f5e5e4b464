"""The assessment calendar: loading windows from imports, and completeness per academy.

``completeness(user)`` is the one entry point for the completeness grid (the completeness page
and dashboards): academies and windows come through ``restrict(user)``, submissions from the
analytical store's manifest (``trustlens.ingest.completeness``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings
from django.utils import timezone

from trustlens.assessment.models import AssessmentWindow
from trustlens.ingest import completeness as grid_rules
from trustlens.ingest.registry import LoadTarget
from trustlens.ingest.standard import ASSESSMENT_WINDOWS
from trustlens.ingest.store import AnalyticalStore, conform
from trustlens.organisations.models import Academy, Trust


def load_windows(target: LoadTarget, frame: pl.DataFrame) -> int:
    """Make the windows of every academic year in the file the file's windows: a window kept
    from one import to the next keeps its assessment points; a term the file drops is removed."""
    trust: Trust = target.trust
    years = frame["academic_year"].unique().to_list()
    existing = {
        (w.academic_year, w.term): w
        for w in AssessmentWindow.objects.unscoped().filter(trust=trust, academic_year__in=years)
    }
    for row in frame.iter_rows(named=True):
        window = existing.pop((row["academic_year"], row["term"]), None) or AssessmentWindow(
            trust=trust, academic_year=row["academic_year"], term=row["term"]
        )
        window.opens, window.closes = row["opens"], row["closes"]
        window.save()
    AssessmentWindow.objects.unscoped().filter(pk__in=[w.pk for w in existing.values()]).delete()
    return frame.height


def windows_frame(trust: Trust) -> pl.DataFrame:
    """The trust's calendar as the analytical store holds it."""
    rows = (
        AssessmentWindow.objects.unscoped()
        .filter(trust=trust)
        .values_list("academic_year", "term", "opens", "closes")
    )
    schema = ASSESSMENT_WINDOWS.store_schema()
    return (
        conform(pl.DataFrame(list(rows), schema=schema, orient="row"), schema)
        if rows
        else pl.DataFrame(schema=schema)
    )


@dataclass
class TrustCompleteness:
    """The grid for one trust: academies (rows) by windows (columns)."""

    trust: Trust
    windows: list[AssessmentWindow]
    rows: list[tuple[Academy, list[grid_rules.Cell]]]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Completeness:
    years: list[str]
    year: str | None
    trusts: list[TrustCompleteness]
    today: dt.date

    @property
    def has_windows(self) -> bool:
        return any(t.windows for t in self.trusts)


def _window(w: AssessmentWindow) -> grid_rules.Window:
    return grid_rules.Window(w.academic_year, w.term, w.opens, w.closes)


def completeness(user, year: str | None = None, today: dt.date | None = None) -> Completeness:
    """Which academy the user can see has submitted which window of ``year`` (default: the
    latest year whose first window has opened, else the earliest year)."""
    today = today or timezone.localdate()
    windows = list(AssessmentWindow.objects.restrict(user).select_related("trust"))
    years = sorted({w.academic_year for w in windows})
    year = year if year in years else _default_year(windows, today)
    academies = list(Academy.objects.restrict(user).select_related("trust").order_by("name"))
    store = AnalyticalStore(settings.STORE_DIR)
    trusts = []
    for trust in sorted(
        {a.trust for a in academies} | {w.trust for w in windows}, key=lambda t: t.name
    ):
        trust_windows = [w for w in windows if w.trust_id == trust.pk and w.academic_year == year]
        trusts.append(
            _trust_grid(
                trust, [a for a in academies if a.trust_id == trust.pk], trust_windows, store, today
            )
        )
    return Completeness(years, year, trusts, today)


def _default_year(windows: list[AssessmentWindow], today: dt.date) -> str | None:
    started = sorted(w.academic_year for w in windows if w.opens <= today)
    if started:
        return started[-1]
    return min((w.academic_year for w in windows), default=None)


def _trust_grid(
    trust: Trust,
    academies: list[Academy],
    windows: list[AssessmentWindow],
    store: AnalyticalStore,
    today: dt.date,
) -> TrustCompleteness:
    submissions = grid_rules.submissions_in_store(store, trust.slug)
    cells = grid_rules.grid(
        [a.urn for a in academies], [_window(w) for w in windows], submissions, today
    )
    rows = [(a, cells[a.urn]) for a in academies]
    counts: dict[str, int] = {}
    for _, row in rows:
        for cell in row:
            counts[cell.status] = counts.get(cell.status, 0) + 1
    return TrustCompleteness(trust, windows, rows, counts)
