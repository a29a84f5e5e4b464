"""Inclusion pages (trust, region, cluster, academy) and an academy's list of leavers.

Figures come from ``contexts.inclusion`` (precomputed summaries, suppressed for trustees).
The list of leavers names pupils: it is for roles with pupil-level scope of that academy
(trust executives, headteachers...; trustees and other teachers get 403, as the pupil pages
decide), its rows are read through ``Enrolment.objects.restrict(user)``, and every pupil shown
is written to the audit log (``core.audit.log_pupil_access``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from trustlens.analytics.measures import behaviour
from trustlens.analytics.measures import exits as exit_rules
from trustlens.core.audit import log_event, log_pupil_access
from trustlens.core.scoping import scope_of
from trustlens.dashboards.contexts import inclusion
from trustlens.dashboards.contexts.unit import academies_of_unit
from trustlens.organisations.models import Academy, Cluster, Region
from trustlens.pupils.models import Enrolment

TEMPLATE = "dashboards/inclusion.html"
#: What each leaving reason counts as on the inclusion page (``measures.exits``).
KIND = {reason: "Explained move" for reason in exit_rules.EXPLAINED} | {
    exit_rules.EXCLUSION: "Permanent exclusion",
}


def trust_inclusion(request: HttpRequest) -> HttpResponse:
    """The trust's inclusion page: ``?trust=<slug>`` among the trusts of the user's scope,
    else the first of them by name."""
    academies = list(
        Academy.objects.restrict(request.user).select_related("trust").order_by("trust__name")
    )
    if not academies:
        raise Http404("No academy in your scope.")
    trusts = {a.trust.slug: a.trust for a in academies}
    trust = trusts.get(request.GET.get("trust", ""), academies[0].trust)
    unit = inclusion.Unit("trust", "trust", trust.name)
    mine = inclusion.trust_academies(request.user, trust)
    return _render(request, unit, trust, mine)


def unit_inclusion(
    request: HttpRequest, region_id: int | None = None, cluster_id: int | None = None
) -> HttpResponse:
    """A region's or cluster's inclusion page (404 unless the user sees all of it)."""
    if region_id is not None:
        level, node = (
            "region",
            get_object_or_404(Region.objects.restrict(request.user), pk=region_id),
        )
    else:
        level = "cluster"
        node = get_object_or_404(Cluster.objects.restrict(request.user), pk=cluster_id)
    academies = academies_of_unit(request.user, level, node)
    if not academies:
        raise Http404("Not in your scope.")
    unit = inclusion.Unit(level, str(node.pk), node.name)
    return _render(request, unit, academies[0].trust, academies, node=node)


def academy_inclusion(request: HttpRequest, urn: int) -> HttpResponse:
    """One academy's inclusion page, with a link to its leavers for pupil-level roles."""
    academy = _academy(request, urn)
    unit = inclusion.Unit("academy", str(academy.urn), academy.name)
    mine = inclusion.trust_academies(request.user, academy.trust)
    return _render(request, unit, academy.trust, mine, academy=academy)


def _academy(request: HttpRequest, urn: int) -> Academy:
    return get_object_or_404(
        Academy.objects.restrict(request.user).select_related("trust", "cluster__region"), urn=urn
    )


def _render(request: HttpRequest, unit, trust, academies, **extra) -> HttpResponse:
    context = inclusion.inclusion_context(request.user, unit, trust, academies) | extra
    academy = extra.get("academy")
    scope = scope_of(request.user)
    context["can_list_leavers"] = bool(academy and scope.sees_pupils_of(academy.pk))
    return render(request, TEMPLATE, context)


def leavers(request: HttpRequest, urn: int) -> HttpResponse:
    """The academy's leavers of one academic year: name, year group, date, reason (audited)."""
    academy = _academy(request, urn)
    scope = scope_of(request.user)
    if scope.aggregate_only or not scope.sees_pupils_of(academy.pk):
        raise PermissionDenied("The list of leavers names pupils: not available to your role.")
    years = leaver_years(request, academy)
    year = request.GET.get("year") if request.GET.get("year") in years else years[-1]
    rows = leaver_rows(request, academy, year)
    _audit(request, academy, year, rows)
    context = {"academy": academy, "rows": rows, "year": year, "years": years}
    return render(request, "dashboards/leavers.html", context)


def _audit(request: HttpRequest, academy: Academy, year: str, rows: list[dict]) -> None:
    """One audit row for the list (even when empty) and one per pupil it names."""
    summary = f"viewed the leavers of {academy.urn} {year}"
    log_event(
        request.user,
        "view_pupil",
        "pupils.enrolment",
        f"{summary} ({len(rows)} pupils)",
        academy_id=academy.pk,
        year=year,
    )
    for row in rows:
        log_pupil_access(request.user, row["pupil"], academy.pk, summary)


def leaver_years(request: HttpRequest, academy: Academy) -> list[str]:
    """Academic years in which the academy has leavers (the current year when none)."""
    dates = (
        Enrolment.objects.restrict(request.user)
        .filter(academy=academy, end_date__isnull=False)
        .values_list("end_date", flat=True)
    )
    found = sorted({_academic_year(d) for d in dates})
    return found or [_academic_year(dt.date.today())]


def _academic_year(date: dt.date) -> str:
    start = date.year if date.month >= 9 else date.year - 1
    return f"{start}/{str(start + 1)[2:]}"


def leaver_rows(request: HttpRequest, academy: Academy, year: str) -> list[dict]:
    """Spells that ended in ``year`` other than at the end of the phase, unexplained first."""
    first, last = behaviour.year_bounds(year)
    spells = (
        Enrolment.objects.restrict(request.user)
        .filter(academy=academy, end_date__gte=first, end_date__lte=last)
        .exclude(leaving_reason=exit_rules.END_OF_PHASE)
        .select_related("pupil")
        .order_by("end_date", "pupil__surname")
    )
    rows = [
        {
            "pupil": spell.pupil,
            "spell": spell,
            "kind": KIND.get(spell.leaving_reason, "Unexplained exit"),
            "reason": spell.get_leaving_reason_display() or "No reason recorded",
        }
        for spell in spells
    ]
    return sorted(rows, key=lambda r: r["kind"] != "Unexplained exit")
