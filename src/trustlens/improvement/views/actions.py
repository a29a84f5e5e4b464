"""Actions (from QA findings, for plan objectives, or both), their follow-ups and the overdue
view. Staff of the academy read them; its leaders write; an action's owner follows it up."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trustlens.core.access import can, check_detail, summary_only
from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.improvement import services
from trustlens.improvement.forms import ActionFilterForm, ActionForm, FollowUpForm
from trustlens.improvement.models import Action, FollowUp, Objective, Priority
from trustlens.improvement.views.common import NewForAcademy, action_for, trail
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


class ActionPage:
    """Action form pages: owners from the academy's staff, links to its draft and active plans."""

    model, form_class, service = Action, ActionForm, staticmethod(services.save_action)
    object_param = "action_id"
    select_related = ("academy", "owner", "finding__activity", "priority", "objective")

    def get_form_kwargs(self, obj: Action) -> dict:
        priorities, objectives = _links(self.request, obj.academy)
        people = services.candidate_owners(obj.academy)
        return {"people": people, "priorities": priorities, "objectives": objectives}

    def get_back(self, obj: Action) -> str:
        return _action_url(obj)

    def get_trail(self, obj: Action) -> list[dict]:
        return trail((obj.title, _action_url(obj)), (self.crumb, None))


class ActionCreate(NewForAcademy, ActionPage, ScopedCreateView):
    """A new action for the academy; ``?priority=`` or ``?objective=`` links it to the plan."""

    new_crumb = "New action"
    detail_only = False
    title, caption, submit, done = "New action", "{parent.name}", "Create action", "Action created."

    def new_object(self, parent: Academy) -> Action:
        return Action(academy=parent, due_on=dt.date.today() + dt.timedelta(days=28))

    def get_initial(self, obj: Action) -> dict:
        query = self.request.GET
        if query.get("objective", "").isdigit():
            return {"plan_link": f"o{query['objective']}"}
        if query.get("priority", "").isdigit():
            return {"plan_link": f"p{query['priority']}"}
        return {"plan_link": ""}

    def next_url(self, saved: Action) -> str:
        return _action_url(saved)


class ActionEdit(ActionPage, ScopedUpdateView):
    denied = "Only leaders of this academy change its actions; owners add follow-ups."
    title, caption, crumb = "Edit: {obj.title}", "{obj.academy.name}", "Edit"


class ActionDelete(ActionPage, ScopedDeleteView):
    service = staticmethod(services.delete_action)
    denied = "Only leaders of this academy remove its actions."
    title, crumb = "Remove an action", "Remove"

    def get_back(self, obj: Action) -> str:
        return reverse("improvement:academy", args=[obj.academy_id])


action_create = ActionCreate.as_view()
action_edit = ActionEdit.as_view()
action_delete = ActionDelete.as_view()


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


class FindingAction(ActionPage, ScopedCreateView):
    """Turn a finding into an action on the academy's plan (leaders of the academy)."""

    detail_only = False
    title, caption = "Turn a finding into an action", "{parent.activity.title}"
    submit = "Create action"
    intro = "Finding ({kind}): {parent.text}"
    done = "Action created: {obj.title}."

    def get_parent(self) -> Any:
        return quality.reviewable_finding(self.request.user, self.kwargs["finding_id"])

    def check(self, finding: Any) -> None:
        if not quality.access_to(self.request.user, finding.activity).lead:
            raise PermissionDenied("Only the academy's leaders turn findings into actions.")

    def new_object(self, finding: Any) -> Action:
        due_on = dt.date.today() + dt.timedelta(days=28)
        academy = finding.activity.academy
        return Action(academy=academy, finding=finding, title=finding.text[:200], due_on=due_on)

    def format_names(self, obj: Action) -> dict[str, Any]:
        return {"kind": obj.finding.get_kind_display().lower()}

    def get_back(self, obj: Action) -> str:
        return reverse("quality:activity_detail", args=[obj.finding.activity_id])

    def get_trail(self, obj: Action) -> list[dict]:
        """Home › Quality › the activity › New action (the page lives under the QA activity)."""
        activity = obj.finding.activity
        return crumbs(
            ("Quality", reverse("quality:index")),
            (activity.title, self.get_back(obj)),
            ("New action", None),
        )

    def next_url(self, saved: Action) -> str:
        return _action_url(saved)


finding_action = FindingAction.as_view()
