"""Improvement plans in the standard format: priorities -> objectives -> actions and milestones,
with review points and RAG ratings. Leaders of the academy write; its staff read; trustees see
the RAG counts on the overview only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from trustlens.core.access import can
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.improvement import services
from trustlens.improvement.forms import (
    MilestoneForm,
    ObjectiveForm,
    PlanForm,
    PriorityForm,
    ReviewForm,
)
from trustlens.improvement.models import Milestone, Objective, Plan, PlanReview, Priority
from trustlens.improvement.views.common import NewForAcademy, plan_for, trail


def _plan_url(plan: Plan) -> str:
    return reverse("improvement:plan_detail", args=[plan.pk])


def _plan_trail(plan: Plan, current: str | None = None) -> list[dict]:
    academy = plan.academy
    items = [
        (academy.name, reverse("improvement:academy", args=[academy.pk])),
        (str(plan), _plan_url(plan) if current else None),
    ]
    if current:
        items.append((current, None))
    return trail(*items)


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan: priorities with their objectives, milestones and actions, RAG, and reviews."""
    plan = plan_for(request, plan_id)
    context = {
        "plan": plan,
        "tree": services.plan_tree(plan),
        "reviews": list(
            PlanReview.objects.restrict(request.user)
            .filter(plan=plan)
            .select_related("reviewed_by")
        ),
        "lead": can(request.user, "change", plan),
        "today": dt.date.today(),
        "trail": _plan_trail(plan),
    }
    return render(request, "improvement/plan_detail.html", context)


class PlanPage:
    """A page about a plan or one of its parts: back to the plan, the plan in the trail."""

    #: Path from the record to its plan ("" for the plan itself).
    plan_path = "plan"
    back_anchor = ""
    caption = "{plan}"
    crumb = ""
    denied = "Only leaders of this academy (or above it) change its plan."

    def plan_of(self, obj: Any) -> Plan:
        for hop in self.plan_path.split("__") if self.plan_path else ():
            obj = getattr(obj, hop)
        return obj

    def format_names(self, obj: Any) -> dict[str, Any]:
        return {"plan": self.plan_of(obj)}

    def get_back(self, obj: Any) -> str:
        return _plan_url(self.plan_of(obj)) + self.back_anchor

    def get_trail(self, obj: Any) -> list[dict]:
        return _plan_trail(self.plan_of(obj), self.crumb)


class PlanCreate(NewForAcademy, PlanPage, ScopedCreateView):
    model, form_class, service = Plan, PlanForm, staticmethod(services.save_plan)
    new_crumb = "New plan"
    detail_only, denied, plan_path = False, None, ""
    title, caption, submit = "Start an improvement plan", "{parent.name}", "Create plan"
    done = "Plan created: now add its priorities."

    def get_initial(self, obj: Plan) -> dict[str, Any]:
        today = dt.date.today()
        year = today.year - (1 if today.month < 9 else 0)
        return {
            "academic_year": f"{year}/{(year + 1) % 100:02d}",
            "title": f"{obj.academy.name} improvement plan",
        }

    def next_url(self, saved: Plan) -> str:
        return _plan_url(saved)


class PlanEdit(PlanPage, ScopedUpdateView):
    model, form_class, service = Plan, PlanForm, staticmethod(services.save_plan)
    object_param, plan_path = "plan_id", ""
    select_related = ("academy", "academy__trust")
    title, caption, crumb = "Edit {obj.title}", "{obj.academy.name}", "Edit"


class PriorityAdd(PlanPage, ScopedCreateView):
    model, form_class, service = Priority, PriorityForm, staticmethod(services.save_priority)
    parent_model, parent_param, parent_field = Plan, "plan_id", "plan"
    title = crumb = "Add a priority"
    submit = "Add priority"
    done = "Saved."

    def get_initial(self, obj: Priority) -> dict[str, Any]:
        count = Priority.objects.restrict(self.request.user).filter(plan=obj.plan).count()
        return {"order": count + 1}


class PriorityEdit(PlanPage, ScopedUpdateView):
    model, form_class, service = Priority, PriorityForm, staticmethod(services.save_priority)
    object_param, select_related = "priority_id", ("plan__academy",)
    title, crumb = "Priority: {obj.title}", "Edit a priority"


class PlanItemDelete(PlanPage, ScopedDeleteView):
    service = staticmethod(services.delete_plan_item)
    crumb = "Remove"


class PriorityDelete(PlanItemDelete):
    model, object_param, select_related = Priority, "priority_id", ("plan__academy",)
    title = "Remove a priority"


class ObjectiveAdd(PlanPage, ScopedCreateView):
    model, form_class, service = Objective, ObjectiveForm, staticmethod(services.save_objective)
    parent_model, parent_param, parent_field = Priority, "priority_id", "priority"
    plan_path = "priority__plan"
    title, crumb = "Add an objective to {parent.title}", "Add an objective"
    submit = "Add objective"


class ObjectiveEdit(PlanPage, ScopedUpdateView):
    model, form_class, service = Objective, ObjectiveForm, staticmethod(services.save_objective)
    object_param, select_related = "objective_id", ("priority__plan__academy",)
    plan_path = "priority__plan"
    title, crumb = "Objective: {obj.title}", "Edit an objective"


class ObjectiveDelete(PlanItemDelete):
    model, object_param, select_related = Objective, "objective_id", ("priority__plan__academy",)
    plan_path = "priority__plan"
    title = "Remove an objective"


MILESTONE_PLAN = "objective__priority__plan"


class MilestoneAdd(PlanPage, ScopedCreateView):
    model, form_class, service = Milestone, MilestoneForm, staticmethod(services.save_milestone)
    parent_model, parent_param, parent_field = Objective, "objective_id", "objective"
    plan_path = MILESTONE_PLAN
    title, crumb = "Add a milestone to {parent.title}", "Add a milestone"
    submit = "Add milestone"


class MilestoneEdit(PlanPage, ScopedUpdateView):
    model, form_class, service = Milestone, MilestoneForm, staticmethod(services.save_milestone)
    object_param, select_related = "milestone_id", (f"{MILESTONE_PLAN}__academy",)
    plan_path = MILESTONE_PLAN
    title, crumb = "Milestone: {obj.title}", "Edit a milestone"


class MilestoneDelete(PlanItemDelete):
    model, object_param, select_related = Milestone, "milestone_id", (f"{MILESTONE_PLAN}__academy",)
    plan_path = MILESTONE_PLAN
    title = "Remove a milestone"


class ReviewAdd(PlanPage, ScopedCreateView):
    model, form_class, service = PlanReview, ReviewForm, staticmethod(services.save_review)
    parent_model, parent_param, parent_field = Plan, "plan_id", "plan"
    back_anchor = "#reviews"
    title = crumb = "Add a review point"
    submit = "Save review point"
    intro = (
        "A date when the plan will be reviewed. When the review is held, fill in the "
        "date held: the RAG rating of every priority that day is kept with it."
    )


class ReviewEdit(PlanPage, ScopedUpdateView):
    model, form_class, service = PlanReview, ReviewForm, staticmethod(services.save_review)
    object_param, select_related = "review_id", ("plan__academy",)
    back_anchor = "#reviews"
    title, crumb = "Review due {obj.due_on:%d %B %Y}", "Review"
    intro = "Set the priorities' RAG on the plan first: holding the review keeps them."


class ReviewDelete(PlanItemDelete):
    model, object_param, select_related = PlanReview, "review_id", ("plan__academy",)
    back_anchor = "#reviews"
    title = "Remove a review point"


plan_create = PlanCreate.as_view()
plan_edit = PlanEdit.as_view()
priority_add = PriorityAdd.as_view()
priority_edit = PriorityEdit.as_view()
priority_delete = PriorityDelete.as_view()
objective_add = ObjectiveAdd.as_view()
objective_edit = ObjectiveEdit.as_view()
objective_delete = ObjectiveDelete.as_view()
milestone_add = MilestoneAdd.as_view()
milestone_edit = MilestoneEdit.as_view()
milestone_delete = MilestoneDelete.as_view()
review_add = ReviewAdd.as_view()
review_edit = ReviewEdit.as_view()
review_delete = ReviewDelete.as_view()
