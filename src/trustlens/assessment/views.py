"""The assessment calendar and completeness: which academy has submitted which window."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trustlens.assessment.services import completeness as completeness_grid
from trustlens.core.scoping import scope_of


def completeness(request: HttpRequest) -> HttpResponse:
    """Academies x windows of one academic year: submitted (rows, date), late, open, not open yet."""
    grid = completeness_grid(request.user, year=request.GET.get("year"))
    context = {"grid": grid, "can_import": bool(scope_of(request.user).can_import_academy_ids)}
    return render(request, "assessment/completeness.html", context)
