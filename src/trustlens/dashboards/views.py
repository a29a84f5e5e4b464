"""Dashboards: the landing page, the trust overview and its drill-down, the board pack.

Figures come only from the view contexts (``dashboards.contexts``, precomputed summaries);
objects are resolved through ``restrict(user)``. A region or cluster page answers 404 unless
the user sees every academy in it; class pages need pupil-level access to that class (403 for
trustees and others).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from trustlens.analytics.summaries import FUNNEL_MEASURES
from trustlens.core.audit import log_event
from trustlens.core.fragments import digest
from trustlens.core.navigation import nav_for
from trustlens.core.pages import crumbs
from trustlens.core.scoping import scope_of
from trustlens.dashboards import boardpack, caching, pages
from trustlens.dashboards.audience import audience_for
from trustlens.dashboards.contexts import academy as academy_page
from trustlens.dashboards.contexts import board as board_page
from trustlens.dashboards.contexts import classes, unit
from trustlens.dashboards.contexts import glance as glance_page
from trustlens.dashboards.contexts import overview as overview_page
from trustlens.dashboards.reading import summaries_for
from trustlens.organisations.models import Academy, Cluster, Region
from trustlens.pupils.models import GroupMembership, TeachingGroup

CSS = "dashboards/dashboards.css"


def _tree(academies: list[Academy]) -> list[dict]:
    """Group academies as trust -> region -> cluster for display."""
    trusts: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for academy in academies:
        region = academy.cluster.region.name if academy.cluster_id else "No region"
        cluster = academy.cluster.name if academy.cluster_id else "No cluster"
        trusts[academy.trust][region][cluster].append(academy)
    return [
        {
            "trust": trust,
            "regions": [
                {
                    "name": region,
                    "clusters": [{"name": c, "academies": a} for c, a in sorted(clusters.items())],
                }
                for region, clusters in sorted(regions.items())
            ],
        }
        for trust, regions in trusts.items()
    ]


def home(request: HttpRequest) -> HttpResponse:
    """Landing page: what part of the trust the user can see, and at what level of detail."""
    scope = scope_of(request.user)
    academies = list(
        Academy.objects.restrict(request.user)
        .select_related("trust", "cluster__region")
        .order_by("name")
    )
    context = {
        "tree": _tree(academies),
        "academy_count": len(academies),
        "areas": [link for link in nav_for(scope, user=request.user) if link["label"] != "Home"],
        "pupil_level_academies": len(scope.pupil_academy_ids),
        "class_count": len(scope.class_ids),
    }
    return render(request, "dashboards/home.html", context)


def overview(request: HttpRequest) -> HttpResponse:
    """Trust overview: every academy in scope on one page, with status and reasons.

    The academies' tables, the charts and the completeness list are the same for every user
    with the same audience and visible academies: built once per data version and shared
    (``dashboards.caching``); the page around them (the user, the CSRF token) is per request."""
    audience = audience_for(request.user)
    visible = caching.visible_for(request.user)

    def build() -> dict:
        context = overview_page.overview_context(request.user)
        context["charts"] = pages.overview_charts(context)
        part = {**context, "caption": "Academies", "with_cluster": True}
        return {
            "tables_html": render_to_string(
                "dashboards/_academy_tables.html", part, request=request
            ),
            "charts_html": render_to_string("dashboards/_charts.html", context, request=request),
            "trusts": [
                {"trust": {"name": t["trust"].name}, "summaries": bool(t["summaries"])}
                for t in context["trusts"]
            ],
            "suppressed": context["suppressed"],
        }

    context = caching.cached_page_part(
        "overview", visible=visible, audience=audience, build=build
    ).copy()
    # our own rendering of escaped templates, kept as text in the cache
    context["tables_html"] = mark_safe(context["tables_html"])  # noqa: S308
    context["charts_html"] = mark_safe(context["charts_html"])  # noqa: S308
    context["user"] = request.user
    context["completeness"] = _completeness(request, visible, audience)
    context["regions"] = overview_page.visible_units(request.user)
    context["completeness_url"] = _url_or_none("assessment:completeness")
    return render(request, "dashboards/overview.html", context)


def _completeness(request: HttpRequest, visible: caching.Visible, audience) -> dict | None:
    """The late-submissions list, cached per data version (the submissions live in the store),
    the visible academies, the assessment calendar's windows and today's date."""
    try:
        from trustlens.assessment.models import AssessmentWindow
    except ImportError:
        return overview_page.completeness_summary(request.user)
    windows = AssessmentWindow.objects.restrict(request.user).values_list(
        "pk", "trust_id", "academic_year", "term", "opens", "closes"
    )
    calendar = digest(repr(w) for w in windows)
    return caching.cached_page_part(
        "completeness",
        visible=visible,
        audience=audience,
        variant=(calendar, timezone.localdate().isoformat()),
        build=lambda: overview_page.completeness_summary(request.user),
    )


def glance(request: HttpRequest) -> HttpResponse:
    """At a glance: academies x measures as a colour grid, outliers first."""
    context = glance_page.glance_context(request.user)
    context["trail"] = crumbs(("Schools", reverse("dashboards:overview")), ("At a glance", None))
    return render(request, "dashboards/glance.html", context)


def board(request: HttpRequest) -> HttpResponse:
    """The board summary: what changed, the outliers and the risks (aggregates only)."""
    context = board_page.board_context(request.user, _as_of(request))
    context["trail"] = crumbs(("Schools", reverse("dashboards:overview")), ("Board summary", None))
    return render(request, "dashboards/board.html", context)


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def funnel_partial(request: HttpRequest) -> HttpResponse:
    """The overview's funnel plot for another measure (htmx swaps it in place)."""
    measure = request.GET.get("measure", "va")
    if measure not in FUNNEL_MEASURES:
        raise Http404("No funnel plot for that measure.")
    academies = list(
        Academy.objects.restrict(request.user).select_related("trust").order_by("name")
    )
    found = []
    for trust in sorted({a.trust for a in academies}, key=lambda t: t.name):
        chart = pages.funnel_chart(
            summaries_for(trust.slug),
            [a for a in academies if a.trust_id == trust.pk],
            measure,
        )
        if chart:
            found.append(chart)
    return render(
        request,
        "dashboards/_charts.html",
        {"charts": found, "empty": "No funnel plot for this measure yet."},
    )


def _unit_page(request: HttpRequest, level: str, node) -> HttpResponse:
    academies = unit.academies_of_unit(request.user, level, node)
    if not academies:
        raise Http404("Not in your scope.")
    context = unit.unit_context(request.user, level, node, academies)
    return render(request, "dashboards/unit.html", context)


def region(request: HttpRequest, region_id: int) -> HttpResponse:
    node = get_object_or_404(
        Region.objects.restrict(request.user).select_related("trust"), pk=region_id
    )
    return _unit_page(request, "region", node)


def cluster(request: HttpRequest, cluster_id: int) -> HttpResponse:
    node = get_object_or_404(
        Cluster.objects.restrict(request.user).select_related("region__trust"), pk=cluster_id
    )
    return _unit_page(request, "cluster", node)


def academy(request: HttpRequest, urn: int) -> HttpResponse:
    """One academy in depth: headline, year groups, subjects, pupil groups, classes, trends."""
    found = get_object_or_404(
        Academy.objects.restrict(request.user).select_related("trust", "cluster__region"), urn=urn
    )
    context = _academy_figures(request, found)
    scope = scope_of(request.user)
    if scope.pupil_level:
        groups = (
            TeachingGroup.objects.restrict(request.user)
            .filter(academy=found)
            .select_related("teacher")
        )
        if not scope.sees_pupils_of(found.pk):
            groups = groups.filter(pk__in=scope.class_ids)
        context["classes"] = classes.class_rows(
            request.user, found, list(groups.order_by("-academic_year", "year_group", "name"))
        )
    return render(request, "dashboards/academy.html", context)


def _academy_figures(request: HttpRequest, found: Academy) -> dict:
    """The academy page's figures (headline, breakdowns, groups, gaps, charts) rendered once:
    the same for every user with the same audience and visible academies, so cached per data
    version; the classes (per user) are added by the view."""

    def build() -> dict:
        context = academy_page.academy_context(request.user, found)
        return {
            "figures_html": render_to_string(
                "dashboards/_academy_figures.html", context, request=request
            ),
            "charts_html": render_to_string("dashboards/_charts.html", context, request=request),
            "summaries": bool(context["summaries"]),
        }

    cached = caching.cached_page_part(
        "academy",
        visible=caching.visible_for(request.user),
        audience=audience_for(request.user),
        variant=(found.urn,),
        build=build,
    )
    return {
        "academy": found,
        "summaries": cached["summaries"],
        # our own rendering of escaped templates, kept as text in the cache
        "figures_html": mark_safe(cached["figures_html"]),  # noqa: S308
        "charts_html": mark_safe(cached["charts_html"]),  # noqa: S308
    }


def class_view(request: HttpRequest, urn: int, class_id: int) -> HttpResponse:
    """A class as formative data: its value added and its pupils (pupil-level roles only)."""
    scope = scope_of(request.user)
    if scope.aggregate_only:
        raise PermissionDenied("Class and pupil pages are not available to your role.")
    found = get_object_or_404(
        Academy.objects.restrict(request.user).select_related("trust"), urn=urn
    )
    group = get_object_or_404(
        TeachingGroup.objects.restrict(request.user), pk=class_id, academy=found
    )
    if not (group.pk in scope.class_ids or scope.sees_pupils_of(found.pk)):
        raise PermissionDenied("You can see pupils only in your own classes.")
    members = list(
        GroupMembership.objects.restrict(request.user).filter(group=group).select_related("pupil")
    )
    context = classes.class_context(request.user, found, group, [m.pupil for m in members])
    log_event(
        request.user,
        "view_pupil",
        "pupils.teachinggroup",
        f"viewed class {group} ({len(members)} pupils)",
        class_id=group.pk,
        academy_id=found.pk,
    )
    return render(request, "dashboards/class.html", context)


def _as_of(request: HttpRequest) -> dt.date | None:
    text = request.GET.get("date") or ""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def board_pack(request: HttpRequest) -> HttpResponse:
    """The board pack: a form (date) and, with ``format=pdf|xlsx``, the file itself."""
    as_of = _as_of(request)
    wanted = request.GET.get("format")
    if wanted not in ("pdf", "xlsx"):
        error = (
            "Enter a real date, for example 2025-03-31"
            if request.GET.get("date") and as_of is None
            else ""
        )
        return render(
            request,
            "dashboards/board_pack_form.html",
            {"date": request.GET.get("date", ""), "error": error},
        )
    context = boardpack.pack_context(request.user, as_of)
    label = (as_of or dt.date.today()).isoformat()
    log_event(
        request.user,
        "export",
        "dashboards.boardpack",
        f"board pack {wanted} for {label}",
        format=wanted,
        date=label,
        academies=len(context["rows"]),
    )
    if wanted == "pdf":
        body, kind = boardpack.render_pdf(context, request), "application/pdf"
    else:
        body, kind = (
            boardpack.render_xlsx(context),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="board-pack-{label}.{wanted}"'
    return response
