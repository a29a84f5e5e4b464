"""Improvement plans in the standard format: priorities -> objectives -> actions and milestones,
with review points and RAG ratings. Leaders of the academy write; its staff read; trustees see
the RAG counts on the overview only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from trustlens.core.access import can, require
from trustlens.improvement import services
from trustlens.improvement.forms import (
    MilestoneForm,
    ObjectiveForm,
    PlanForm,
    PriorityForm,
    ReviewForm,
)
from trustlens.improvement.models import Milestone, Objective, Plan, PlanReview, Priority
from trustlens.improvement.views.common import (
    academy_for,
    check_detail,
    delete_page,
    edit_page,
    milestone_for,
    objective_for,
    plan_for,
    priority_for,
    review_for,
    trail,
)


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


def _lead(request: HttpRequest, academy_id: int) -> None:
    if not can(request.user, "change", academy_id):
        raise PermissionDenied("Only leaders of this academy (or above it) change its plan.")


def plan_create(request: HttpRequest, academy_id: int) -> HttpResponse:
    academy = academy_for(request, academy_id)
    require(request.user, "change", academy.pk)
    year = dt.date.today().year - (1 if dt.date.today().month < 9 else 0)
    form = PlanForm(
        request.POST or None,
        instance=Plan(academy=academy),
        initial={
            "academic_year": f"{year}/{(year + 1) % 100:02d}",
            "title": f"{academy.name} improvement plan",
        },
    )
    back = reverse("improvement:academy", args=[academy.pk])
    return edit_page(
        request,
        form,
        lambda p: services.save_plan(request.user, p),
        title="Start an improvement plan",
        caption=academy.name,
        back=back,
        trail=trail((academy.name, back), ("New plan", None)),
        submit="Create plan",
        done="Plan created: now add its priorities.",
        next_url=_plan_url,
    )


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
        "lead": can(request.user, "change", plan.academy_id),
        "today": dt.date.today(),
        "trail": _plan_trail(plan),
    }
    return render(request, "improvement/plan_detail.html", context)


def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    _lead(request, plan.academy_id)
    form = PlanForm(request.POST or None, instance=plan)
    return edit_page(
        request,
        form,
        lambda p: services.save_plan(request.user, p),
        title=f"Edit {plan.title}",
        caption=plan.academy.name,
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Edit"),
    )


# --- priorities, objectives, milestones -------------------------------------------------------


def priority_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    _lead(request, plan.academy_id)
    order = Priority.objects.restrict(request.user).filter(plan=plan).count() + 1
    form = PriorityForm(
        request.POST or None, instance=Priority(plan=plan), initial={"order": order}
    )
    return edit_page(
        request,
        form,
        lambda p: services.save_priority(request.user, p),
        title="Add a priority",
        caption=str(plan),
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Add a priority"),
        submit="Add priority",
    )


def priority_edit(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = priority_for(request, priority_id)
    plan = priority.plan
    _lead(request, plan.academy_id)
    form = PriorityForm(request.POST or None, instance=priority)
    return edit_page(
        request,
        form,
        lambda p: services.save_priority(request.user, p),
        title=f"Priority: {priority.title}",
        caption=str(plan),
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Edit a priority"),
    )


def priority_delete(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = priority_for(request, priority_id)
    _lead(request, priority.plan.academy_id)
    return delete_page(
        request,
        priority,
        services.delete_plan_item,
        title="Remove a priority",
        back=_plan_url(priority.plan),
        trail=_plan_trail(priority.plan, "Remove"),
    )


def objective_add(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = priority_for(request, priority_id)
    plan = priority.plan
    _lead(request, plan.academy_id)
    form = ObjectiveForm(request.POST or None, instance=Objective(priority=priority))
    return edit_page(
        request,
        form,
        lambda o: services.save_objective(request.user, o),
        title=f"Add an objective to {priority.title}",
        caption=str(plan),
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Add an objective"),
        submit="Add objective",
    )


def objective_edit(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = objective_for(request, objective_id)
    plan = objective.priority.plan
    _lead(request, plan.academy_id)
    form = ObjectiveForm(request.POST or None, instance=objective)
    return edit_page(
        request,
        form,
        lambda o: services.save_objective(request.user, o),
        title=f"Objective: {objective.title}",
        caption=str(plan),
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Edit an objective"),
    )


def objective_delete(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = objective_for(request, objective_id)
    plan = objective.priority.plan
    _lead(request, plan.academy_id)
    return delete_page(
        request,
        objective,
        services.delete_plan_item,
        title="Remove an objective",
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Remove"),
    )


def milestone_add(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = objective_for(request, objective_id)
    plan = objective.priority.plan
    _lead(request, plan.academy_id)
    form = MilestoneForm(request.POST or None, instance=Milestone(objective=objective))
    return edit_page(
        request,
        form,
        lambda m: services.save_milestone(request.user, m),
        title=f"Add a milestone to {objective.title}",
        caption=str(plan),
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Add a milestone"),
        submit="Add milestone",
    )


def milestone_edit(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = milestone_for(request, milestone_id)
    plan = milestone.objective.priority.plan
    _lead(request, plan.academy_id)
    form = MilestoneForm(request.POST or None, instance=milestone)
    return edit_page(
        request,
        form,
        lambda m: services.save_milestone(request.user, m),
        title=f"Milestone: {milestone.title}",
        caption=str(plan),
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Edit a milestone"),
    )


def milestone_delete(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = milestone_for(request, milestone_id)
    plan = milestone.objective.priority.plan
    _lead(request, plan.academy_id)
    return delete_page(
        request,
        milestone,
        services.delete_plan_item,
        title="Remove a milestone",
        back=_plan_url(plan),
        trail=_plan_trail(plan, "Remove"),
    )


# --- review points ---------------------------------------------------------------------------


def review_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    _lead(request, plan.academy_id)
    form = ReviewForm(request.POST or None, instance=PlanReview(plan=plan))
    return edit_page(
        request,
        form,
        lambda r: services.save_review(request.user, r),
        title="Add a review point",
        caption=str(plan),
        back=_plan_url(plan) + "#reviews",
        trail=_plan_trail(plan, "Add a review point"),
        submit="Save review point",
        intro="A date when the plan will be reviewed. When the review is held, fill in the "
        "date held: the RAG rating of every priority that day is kept with it.",
    )


def review_edit(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for(request, review_id)
    plan = review.plan
    _lead(request, plan.academy_id)
    form = ReviewForm(request.POST or None, instance=review)
    return edit_page(
        request,
        form,
        lambda r: services.save_review(request.user, r),
        title=f"Review due {review.due_on:%d %B %Y}",
        caption=str(plan),
        back=_plan_url(plan) + "#reviews",
        trail=_plan_trail(plan, "Review"),
        intro="Set the priorities' RAG on the plan first: holding the review keeps them.",
    )


def review_delete(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_for(request, review_id)
    _lead(request, review.plan.academy_id)
    check_detail(request.user)
    return delete_page(
        request,
        review,
        services.delete_plan_item,
        title="Remove a review point",
        back=_plan_url(review.plan) + "#reviews",
        trail=_plan_trail(review.plan, "Remove"),
    )
