"""Helpers shared by the improvement views: resolving records through ``restrict(user)``, the
trustee rule (summaries only) and the generic edit and delete pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from trustlens.core.access import summary_only
from trustlens.core.pages import crumbs, delete_page, edit_page  # noqa: F401 - shared by the views
from trustlens.improvement.models import (
    Action,
    Milestone,
    Objective,
    Plan,
    PlanReview,
    Priority,
    Support,
)
from trustlens.organisations.models import Academy

SUMMARY_ONLY = (
    "Trustees see stages, RAG ratings and counts; plans, actions and support records are for staff."
)


def trail(*items: tuple[str, str | None]) -> list[dict]:
    """Breadcrumbs: Home › Improvement › items."""
    return crumbs(("Improvement", reverse("improvement:index")), *items)


def check_detail(user: Any) -> None:
    """Trustees (aggregate-only) never open a plan, action or support record."""
    if summary_only(user):
        raise PermissionDenied(SUMMARY_ONLY)


def academy_for(request: HttpRequest, academy_id: int) -> Academy:
    return get_object_or_404(
        Academy.objects.restrict(request.user).select_related("trust"), pk=academy_id
    )


def _get(request: HttpRequest, model: Any, pk: int, *related: str) -> Any:
    check_detail(request.user)
    return get_object_or_404(model.objects.restrict(request.user).select_related(*related), pk=pk)


def plan_for(request: HttpRequest, plan_id: int) -> Plan:
    return _get(request, Plan, plan_id, "academy", "academy__trust")


def priority_for(request: HttpRequest, priority_id: int) -> Priority:
    return _get(request, Priority, priority_id, "plan__academy")


def objective_for(request: HttpRequest, objective_id: int) -> Objective:
    return _get(request, Objective, objective_id, "priority__plan__academy")


def milestone_for(request: HttpRequest, milestone_id: int) -> Milestone:
    return _get(request, Milestone, milestone_id, "objective__priority__plan__academy")


def review_for(request: HttpRequest, review_id: int) -> PlanReview:
    return _get(request, PlanReview, review_id, "plan__academy")


def action_for(request: HttpRequest, action_id: int) -> Action:
    return _get(
        request, Action, action_id, "academy", "owner", "finding__activity", "priority", "objective"
    )


def support_for(request: HttpRequest, support_id: int) -> Support:
    return _get(request, Support, support_id, "academy", "provider_academy", "priority", "activity")
