"""The assessment calendar and completeness: which academy has submitted which window."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trustlens.assessment.calendar import roll_completeness
from trustlens.assessment.services import completeness as completeness_grid
from trustlens.core.scoping import scope_of


def completeness(request: HttpRequest) -> HttpResponse:
    """Academies x windows of one academic year: submitted (rows, date), late, open, not open yet;
    and against the roll: pupil x subject results expected, received and missing."""
    grid = completeness_grid(request.user, year=request.GET.get("year"))
    roll = [
        (t, roll_completeness(request.user, t.trust, t.windows)) for t in grid.trusts if t.windows
    ]
    context = {
        "grid": grid,
        "roll": roll,
        "can_import": bool(scope_of(request.user).can_import_academy_ids),
    }
    return render(request, "assessment/completeness.html", context)
