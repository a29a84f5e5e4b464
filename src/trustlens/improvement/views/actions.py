"""Actions (from QA findings, for plan objectives, or both), their follow-ups and the overdue
view. Staff of the academy read them; its leaders write; an action's owner follows it up."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trustlens.core.access import can, require, summary_only
from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.improvement import services
from trustlens.improvement.forms import ActionFilterForm, ActionForm, FollowUpForm
from trustlens.improvement.models import Action, FollowUp, Objective, Priority
from trustlens.improvement.views.common import (
    academy_for,
    action_for,
    check_detail,
    delete_page,
    edit_page,
    trail,
)
from trustlens.organisations.models import Academy
from trustlens.quality import services as quality


def _action_url(action: Action) -> str:
    return reverse("improvement:action_detail", args=[action.pk])


def _links(request: HttpRequest, academy: Academy) -> tuple[list[Priority], list[Objective]]:
    """Priorities and objectives of the academy's draft and active plans (for "link to plan")."""
    priorities = list(
        Priority.objects.restrict(request.user).filter(
            plan__academy=academy, plan__status__in=("draft", "active")
        )
    )
    objectives = list(Objective.objects.restrict(request.user).filter(priority__in=priorities))
    return priorities, objectives


def _action_form(request: HttpRequest, action: Action, initial: dict | None = None) -> ActionForm:
    priorities, objectives = _links(request, action.academy)
    return ActionForm(
        request.POST or None,
        instance=action,
        initial=initial,
        people=services.candidate_owners(action.academy),
        priorities=priorities,
        objectives=objectives,
    )


def action_list(request: HttpRequest) -> HttpResponse:
    """Actions in scope, filterable by academy, status and owner."""
    check_detail(request.user)
    academies = list(Academy.objects.restrict(request.user).order_by("name"))
    form = ActionFilterForm(request.GET or None, academies=academies)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = Action.objects.restrict(request.user).select_related("academy", "owner", "priority")
    if filters.get("academy"):
        actions = actions.filter(academy=filters["academy"])
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    if filters.get("mine"):
        actions = actions.filter(owner=request.user)
    context = {
        "form": form,
        "actions": list(actions.order_by("due_on", "pk")),
        "trail": trail(("Actions", None)),
    }
    return render(request, "improvement/actions.html", context)


def overdue(request: HttpRequest) -> HttpResponse:
    """Actions past their due date and neither done nor dropped, in every academy the user sees.
    Trustees see how many each academy has, not the actions."""
    actions = list(
        services.overdue(Action.objects.restrict(request.user))
        .select_related("academy", "owner", "finding__activity", "priority")
        .order_by("due_on", "pk")
    )
    by_academy = Counter(a.academy.name for a in actions)
    today = dt.date.today()
    for action in actions:
        action.days_late = (today - action.due_on).days
    context = {
        "actions": [] if summary_only(request.user) else actions,
        "by_academy": sorted(by_academy.items()),
        "total": len(actions),
        "summary_only": summary_only(request.user),
        "trail": trail(("Overdue actions", None)),
    }
    return render(request, "improvement/overdue.html", context)


def action_create(request: HttpRequest, academy_id: int) -> HttpResponse:
    """A new action for the academy; ``?priority=`` or ``?objective=`` links it to the plan."""
    academy = academy_for(request, academy_id)
    require(request.user, "change", academy.pk)
    link = ""
    if request.GET.get("objective", "").isdigit():
        link = f"o{request.GET['objective']}"
    elif request.GET.get("priority", "").isdigit():
        link = f"p{request.GET['priority']}"
    action = Action(academy=academy, due_on=dt.date.today() + dt.timedelta(days=28))
    form = _action_form(request, action, initial={"plan_link": link})
    back = reverse("improvement:academy", args=[academy.pk])
    return edit_page(
        request,
        form,
        lambda a: services.save_action(request.user, a),
        title="New action",
        caption=academy.name,
        back=back,
        trail=trail((academy.name, back), ("New action", None)),
        submit="Create action",
        done="Action created.",
        next_url=_action_url,
    )


def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    """An action: what, who, when, where it came from, its follow-ups and the follow-up form."""
    action = action_for(request, action_id)
    follow_ups = list(
        FollowUp.objects.restrict(request.user).filter(action=action).select_related("by")
    )
    can_follow = services.can_follow_up(request.user, action)
    context = {
        "action": action,
        "follow_ups": follow_ups,
        "lead": can(request.user, "change", action.academy_id),
        "follow_form": FollowUpForm(initial={"status": action.status}) if can_follow else None,
        "finding_visible": bool(action.finding_id)
        and can(request.user, "change", action.academy_id),
        "trail": trail(
            (action.academy.name, reverse("improvement:academy", args=[action.academy_id])),
            (action.title, None),
        ),
    }
    return render(request, "improvement/action_detail.html", context)


def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    action = action_for(request, action_id)
    if not can(request.user, "change", action.academy_id):
        raise PermissionDenied(
            "Only leaders of this academy change its actions; owners add follow-ups."
        )
    form = _action_form(request, action)
    return edit_page(
        request,
        form,
        lambda a: services.save_action(request.user, a),
        title=f"Edit: {action.title}",
        caption=action.academy.name,
        back=_action_url(action),
        trail=trail((action.title, _action_url(action)), ("Edit", None)),
    )


def action_delete(request: HttpRequest, action_id: int) -> HttpResponse:
    action = action_for(request, action_id)
    if not can(request.user, "change", action.academy_id):
        raise PermissionDenied("Only leaders of this academy remove its actions.")
    back = reverse("improvement:academy", args=[action.academy_id])
    return delete_page(
        request,
        action,
        services.delete_action,
        title="Remove an action",
        back=back,
        trail=trail((action.title, _action_url(action)), ("Remove", None)),
    )


def follow_up(request: HttpRequest, action_id: int) -> HttpResponse:
    """Add a follow-up (leaders and the action's owner); it sets the action's status."""
    action = action_for(request, action_id)
    if not services.can_follow_up(request.user, action):
        raise PermissionDenied("Only the owner or the academy's leaders follow up this action.")
    form = FollowUpForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if try_write(
            form, lambda: services.add_follow_up(request.user, action, data["note"], data["status"])
        ):
            messages.success(request, "Follow-up added.")
            return redirect(_action_url(action) + "#follow-ups")
    return form_page(
        request,
        form,
        title="Follow up",
        caption=action.title,
        cancel=_action_url(action),
        trail=trail((action.title, _action_url(action)), ("Follow up", None)),
        submit="Add follow-up",
    )


def _finding_trail(activity) -> list[dict]:
    """Home › Quality › the activity › New action (the page lives under the QA activity)."""
    return crumbs(
        ("Quality", reverse("quality:index")),
        (activity.title, reverse("quality:activity_detail", args=[activity.pk])),
        ("New action", None),
    )


def finding_action(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Turn a finding into an action on the academy's plan (leaders of the academy)."""
    finding = quality.reviewable_finding(request.user, finding_id)
    activity = finding.activity
    if not quality.access_to(request.user, activity).lead:
        raise PermissionDenied("Only the academy's leaders turn findings into actions.")
    academy = activity.academy
    priorities, objectives = _links(request, academy)
    instance = Action(
        academy=academy,
        finding=finding,
        title=finding.text[:200],
        due_on=dt.date.today() + dt.timedelta(days=28),
    )
    form = ActionForm(
        request.POST or None,
        instance=instance,
        priorities=priorities,
        objectives=objectives,
        people=services.candidate_owners(academy),
    )
    if request.method == "POST" and form.is_valid():
        action = try_write(form, lambda: services.save_action(request.user, form.save()))
        if action is not None:
            messages.success(request, f"Action created: {action.title}.")
            return redirect("improvement:action_detail", action_id=action.pk)
    return form_page(
        request,
        form,
        title="Turn a finding into an action",
        caption=activity.title,
        cancel=reverse("quality:activity_detail", args=[activity.pk]),
        trail=_finding_trail(activity),
        submit="Create action",
        intro=f"Finding ({finding.get_kind_display().lower()}): {finding.text}",
    )
