"""Writes for improvement: stages and their history, plans, actions with follow-up, support.

Who may write (``trustlens.core.access.can``): leaders of the academy (trust executive,
regional/cluster lead, headteacher) for plans, actions and support; only roles above the
academy (trust executive, regional/cluster lead) move its stage; trust executives name the
stages. An action's owner may add follow-ups to it. Every change is saved through
``trustlens.core.audit`` (an audit row per change).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from trustlens.core.access import can, require
from trustlens.core.audit import changed_fields, delete_audited, log_change, save_audited
from trustlens.core.models import AuditEvent
from trustlens.improvement import models
from trustlens.improvement.choices import CLOSED_ACTION_STATUSES, ActionStatus, SupportProvider
from trustlens.organisations.choices import ImprovementStage
from trustlens.organisations.models import Academy
from trustlens.people.services import people_in

# --- stages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageOption:
    code: str
    label: str
    description: str
    order: int


def stage_options(trust_id: int) -> list[StageOption]:
    """The trust's stages in order; the default journey when it has not named its own."""
    stages = models.Stage.objects.unscoped().filter(trust_id=trust_id).order_by("order", "code")
    found = [StageOption(s.code, s.label, s.description, s.order) for s in stages]
    if found:
        return found
    return [StageOption(c.value, c.label, "", i) for i, c in enumerate(ImprovementStage, start=1)]


def stage_label(trust_id: int, code: str) -> str:
    labels = {s.code: s.label for s in stage_options(trust_id)}
    return labels.get(code, code.replace("_", " ").capitalize() if code else "–")


def save_stage(user: Any, stage: models.Stage) -> models.Stage:
    """Name (or rename) one of the trust's stages; codes are unique within the trust."""
    require(user, "configure", stage.trust_id)
    taken = models.Stage.objects.unscoped().filter(trust_id=stage.trust_id, code=stage.code)
    if taken.exclude(pk=stage.pk).exists():
        raise ValidationError({"code": "The trust already has a stage with this code."})
    if stage.pk:
        stored = models.Stage.objects.unscoped().get(pk=stage.pk)
        in_use = Academy.objects.unscoped().filter(
            trust_id=stage.trust_id, improvement_stage=stored.code
        )
        if stored.code != stage.code and in_use.exists():
            raise ValidationError(
                {"code": "Academies are at this stage: keep its code, change its name."}
            )
    return save_audited(user, stage)


def delete_stage(user: Any, stage: models.Stage) -> None:
    require(user, "configure", stage.trust_id)
    in_use = Academy.objects.unscoped().filter(
        trust_id=stage.trust_id, improvement_stage=stage.code
    )
    if in_use.exists():
        raise ValidationError("Academies are at this stage: move them before removing it.")
    delete_audited(user, stage)


@transaction.atomic
def adopt_default_stages(user: Any, trust_id: int) -> list[models.Stage]:
    """Store the default journey as the trust's own stages so it can rename them."""
    require(user, "configure", trust_id)
    if models.Stage.objects.unscoped().filter(trust_id=trust_id).exists():
        return list(models.Stage.objects.unscoped().filter(trust_id=trust_id))
    return [
        save_audited(
            user, models.Stage(trust_id=trust_id, code=o.code, label=o.label, order=o.order)
        )
        for o in stage_options(trust_id)
    ]


@transaction.atomic
def change_stage(
    user: Any, academy: Academy, stage: str, changed_on: dt.date, reason: str = ""
) -> models.StageChange:
    """Move an academy to ``stage``: keep the history and update ``Academy.improvement_stage``."""
    require(user, "oversee", academy.pk)
    if stage not in {s.code for s in stage_options(academy.trust_id)}:
        raise ValidationError({"stage": "Choose one of the trust's stages."})
    change = models.StageChange(
        academy=academy,
        stage=stage,
        previous_stage=academy.improvement_stage,
        changed_on=changed_on,
        reason=reason,
        changed_by=user,
    )
    save_audited(user, change)
    before = Academy.objects.unscoped().get(pk=academy.pk)
    academy.improvement_stage = stage
    Academy.objects.unscoped().filter(pk=academy.pk).update(improvement_stage=stage)
    log_change(user, AuditEvent.Action.UPDATE, academy, changed_fields(before, academy))
    return change


def stage_history(academy: Academy) -> list[models.StageChange]:
    """An academy's stage changes, newest first (the caller has checked scope)."""
    return list(
        models.StageChange.objects.unscoped().filter(academy=academy).select_related("changed_by")
    )


# --- plans ----------------------------------------------------------------------------------


def save_plan(user: Any, plan: models.Plan) -> models.Plan:
    require(user, "change", plan.academy_id)
    if plan.pk is None:
        plan.created_by = user
    return save_audited(user, plan)


def save_priority(user: Any, priority: models.Priority) -> models.Priority:
    require(user, "change", priority.plan.academy_id)
    return save_audited(user, priority)


def save_objective(user: Any, objective: models.Objective) -> models.Objective:
    require(user, "change", objective.priority.plan.academy_id)
    return save_audited(user, objective)


def save_milestone(user: Any, milestone: models.Milestone) -> models.Milestone:
    require(user, "change", milestone.objective.priority.plan.academy_id)
    return save_audited(user, milestone)


def save_review(user: Any, review: models.PlanReview) -> models.PlanReview:
    """A review point; once held it keeps every priority's RAG on that day."""
    require(user, "change", review.plan.academy_id)
    if review.held_on and not review.priority_rags:
        review.priority_rags = {
            str(p.pk): {"title": p.title, "rag": p.rag}
            for p in models.Priority.objects.unscoped().filter(plan=review.plan)
        }
        review.reviewed_by = review.reviewed_by or user
    return save_audited(user, review)


def delete_plan_item(
    user: Any, item: models.Priority | models.Objective | models.Milestone | models.PlanReview
) -> None:
    """Delete a priority, objective, milestone or review point of a plan."""
    require(user, "change", item.academy_id)
    delete_audited(user, item)


def plan_tree(plan: models.Plan) -> list[dict]:
    """The plan's priorities -> objectives -> (milestones, actions); the caller checked scope."""
    priorities = list(models.Priority.objects.unscoped().filter(plan=plan))
    objectives = list(models.Objective.objects.unscoped().filter(priority__plan=plan))
    milestones = list(models.Milestone.objects.unscoped().filter(objective__priority__plan=plan))
    actions = list(
        models.Action.objects.unscoped()
        .filter(academy_id=plan.academy_id, priority__plan=plan)
        .select_related("owner", "finding")
    )
    tree = []
    for priority in priorities:
        own = [o for o in objectives if o.priority_id == priority.pk]
        tree.append(
            {
                "priority": priority,
                "objectives": [
                    {
                        "objective": o,
                        "milestones": [m for m in milestones if m.objective_id == o.pk],
                        "actions": [a for a in actions if a.objective_id == o.pk],
                    }
                    for o in own
                ],
                "actions": [
                    a for a in actions if a.priority_id == priority.pk and not a.objective_id
                ],
            }
        )
    return tree


# --- actions --------------------------------------------------------------------------------


def candidate_owners(academy: Academy) -> list[tuple[int, str]]:
    """Who can own an academy's action: staff with a role at the academy or above it."""
    return people_in(academy)


def _check_links(action: models.Action) -> None:
    """A finding, priority and objective must all be the action's academy's."""
    if action.objective_id:
        action.priority_id = action.objective.priority_id
    if action.priority_id and action.priority.plan.academy_id != action.academy_id:
        raise ValidationError({"priority": "Choose a priority of this academy's plan."})
    if action.finding_id and action.finding.activity.academy_id != action.academy_id:
        raise ValidationError({"finding": "The finding is about another academy."})


def save_action(user: Any, action: models.Action) -> models.Action:
    """Create or update an action (leaders of the academy)."""
    require(user, "change", action.academy_id)
    if action.pk:
        require(user, "change", models.Action.objects.unscoped().get(pk=action.pk).academy_id)
    else:
        action.created_by = user
    _check_links(action)
    if action.owner_id and action.owner_id not in dict(candidate_owners(action.academy)):
        raise ValidationError(
            {"owner_id": "Choose someone with a role at this academy or above it."}
        )
    _stamp_completion(action)
    return save_audited(user, action)


def _stamp_completion(action: models.Action) -> None:
    if action.status == ActionStatus.DONE and not action.completed_on:
        action.completed_on = dt.date.today()
    if action.status != ActionStatus.DONE:
        action.completed_on = None


def can_follow_up(user: Any, action: models.Action) -> bool:
    return can(user, "change", action.academy_id) or (
        action.owner_id is not None and action.owner_id == getattr(user, "pk", None)
    )


@transaction.atomic
def add_follow_up(user: Any, action: models.Action, note: str, status: str) -> models.FollowUp:
    """A follow-up note by a leader or the action's owner; it sets the action's status."""
    if not can_follow_up(user, action):
        raise PermissionDenied("Only the owner or the academy's leaders can follow up this action.")
    follow_up = save_audited(
        user, models.FollowUp(action=action, note=note, status=status, by=user)
    )
    if action.status != status:
        action.status = status
        _stamp_completion(action)
        save_audited(user, action)
    return follow_up


def delete_action(user: Any, action: models.Action) -> None:
    require(user, "change", action.academy_id)
    delete_audited(user, action)


def overdue(actions):
    """Actions past their due date and neither done nor dropped (a restricted queryset in)."""
    return actions.filter(due_on__lt=dt.date.today()).exclude(status__in=CLOSED_ACTION_STATUSES)


# --- support --------------------------------------------------------------------------------


def _check_provider(support: models.Support) -> None:
    named = support.provider_academy_id or support.provider_name.strip()
    if support.provider == SupportProvider.ACADEMY and not named:
        raise ValidationError(
            {
                "provider_academy": "Say which academy gives the support: choose it or name it in the details."
            }
        )
    if support.provider_academy_id == support.academy_id:
        raise ValidationError({"provider_academy": "An academy cannot support itself here."})
    if support.priority_id and support.priority.plan.academy_id != support.academy_id:
        raise ValidationError({"priority": "Choose a priority of this academy's plan."})


def save_support(user: Any, support: models.Support) -> models.Support:
    """Record support requested or given; the academy's stage is kept with it."""
    require(user, "change", support.academy_id)
    if support.pk is None:
        support.created_by = user
        support.stage_at_request = support.academy.improvement_stage
    else:
        require(user, "change", models.Support.objects.unscoped().get(pk=support.pk).academy_id)
    _check_provider(support)
    return save_audited(user, support)


def delete_support(user: Any, support: models.Support) -> None:
    require(user, "change", support.academy_id)
    delete_audited(user, support)
