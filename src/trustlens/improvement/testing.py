"""Scoping meta-test parameters owned by the improvement app: a plan, its parts, an action,
a follow-up and a support record belonging to the given academy."""

from trustlens.core.testing import first_or_make, scope_param


def _plan(academy):
    from trustlens.improvement.factories import PlanFactory
    from trustlens.improvement.models import Plan

    return first_or_make(Plan, PlanFactory, {"academy": academy}, title=f"Plan of {academy.name}")


@scope_param("plan_id")
def plan_in(academy):
    return _plan(academy).pk


@scope_param("priority_id")
def priority_in(academy):
    from trustlens.improvement.factories import PriorityFactory

    return PriorityFactory(plan=_plan(academy), title=f"Priority of {academy.name}").pk


@scope_param("objective_id")
def objective_in(academy):
    from trustlens.improvement.factories import ObjectiveFactory, PriorityFactory

    return ObjectiveFactory(priority=PriorityFactory(plan=_plan(academy))).pk


@scope_param("milestone_id")
def milestone_in(academy):
    from trustlens.improvement.factories import MilestoneFactory, ObjectiveFactory, PriorityFactory

    objective = ObjectiveFactory(priority=PriorityFactory(plan=_plan(academy)))
    return MilestoneFactory(objective=objective).pk


@scope_param("review_id")
def review_in(academy):
    from trustlens.improvement.factories import PlanReviewFactory

    return PlanReviewFactory(plan=_plan(academy)).pk


@scope_param("action_id")
def action_in(academy):
    from trustlens.improvement.factories import ActionFactory

    return ActionFactory(academy=academy, title=f"Action at {academy.name}").pk


@scope_param("support_id")
def support_in(academy):
    from trustlens.improvement.factories import SupportFactory

    return SupportFactory(academy=academy, description=f"Support for {academy.name}").pk


@scope_param("stage_id")
def stage_of(academy):
    """A stage name of the academy's trust (configuration: only its executives may edit it)."""
    from trustlens.improvement.factories import StageFactory
    from trustlens.improvement.models import Stage

    label = f"Stage of {academy.trust.name}"
    return first_or_make(Stage, StageFactory, {"trust": academy.trust}, label=label).pk
