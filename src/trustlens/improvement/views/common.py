"""Helpers shared by the improvement views: resolving records through ``restrict(user)``, and the
breadcrumbs (add/edit/delete pages are ``trustlens.core.views`` generic views)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from trustlens.core.access import check_detail
from trustlens.core.pages import crumbs
from trustlens.improvement.models import Action, Plan
from trustlens.organisations.models import Academy


def trail(*items: tuple[str, str | None]) -> list[dict]:
    """Breadcrumbs: Home › Improvement › items."""
    return crumbs(("Improvement", reverse("improvement:index")), *items)


class NewForAcademy:
    """A record created from its academy's page: the academy is the parent, the page goes back
    to the academy and its trail reads academy › ``new_crumb``."""

    parent_model, parent_param, parent_field = Academy, "academy_id", "academy"
    new_crumb = ""

    def get_back(self, obj: Any) -> str:
        return reverse("improvement:academy", args=[obj.academy_id])

    def get_trail(self, obj: Any) -> list[dict]:
        return trail((obj.academy.name, self.get_back(obj)), (self.new_crumb, None))


def academy_for(request: HttpRequest, academy_id: int) -> Academy:
    return get_object_or_404(
        Academy.objects.restrict(request.user).select_related("trust"), pk=academy_id
    )


def _get(request: HttpRequest, model: Any, pk: int, *related: str) -> Any:
    check_detail(request.user)
    return get_object_or_404(model.objects.restrict(request.user).select_related(*related), pk=pk)


def plan_for(request: HttpRequest, plan_id: int) -> Plan:
    return _get(request, Plan, plan_id, "academy", "academy__trust")


def action_for(request: HttpRequest, action_id: int) -> Action:
    return _get(
        request, Action, action_id, "academy", "owner", "finding__activity", "priority", "objective"
    )
