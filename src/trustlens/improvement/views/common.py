"""Helpers shared by the improvement views: resolving records through ``restrict(user)``, the
trustee rule (summaries only) and the generic edit and delete pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

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
from trustlens.quality.access import summary_only
from trustlens.quality.views.common import confirm_page, crumbs
from trustlens.quality.views.common import edit_page as edit_page  # shared with the QA views

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


def delete_page(
    request: HttpRequest,
    obj: Any,
    delete: Callable[[Any, Any], None],
    *,
    title: str,
    back: str,
    trail: list[dict],
) -> HttpResponse:
    """GET: "are you sure?"; POST: delete through the service and go back."""
    if request.method == "POST":
        delete(request.user, obj)
        messages.success(request, f"Removed: {obj}.")
        return redirect(back)
    return confirm_page(request, title=title, what=str(obj), cancel=back, trail=trail)
