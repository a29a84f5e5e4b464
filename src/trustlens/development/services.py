"""Writes for people records: staff and expertise, needs, deployments with backfill, the
trust's people settings, coaching, joint CPD, inquiry and leadership.

Who may write (``trustlens.core.access.can``): leaders of the academy (trust executive,
regional/cluster lead, headteacher) for its staff, needs, coaching, CPD, inquiry and key roles;
a deployment needs leadership of both the giving and the receiving academy (in practice the
trust, regional or cluster lead); the trust's executives set the people settings, coaching
models and programmes; a coach adds sessions to their own pairs. Bad input raises a
``ValidationError`` naming the field before anything is written; every write is audited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from trustlens.core.access import can, require
from trustlens.core.audit import delete_audited, save_audited
from trustlens.development import models
from trustlens.development.choices import DeploymentStatus, NeedStatus


def settings_for(trust_id: int) -> models.PeopleSettings:
    """The trust's people settings (the defaults, unsaved, when it has set none)."""
    found = models.PeopleSettings.objects.unscoped().filter(trust_id=trust_id).first()
    return found or models.PeopleSettings(trust_id=trust_id)


def save_settings(user: Any, settings: models.PeopleSettings) -> models.PeopleSettings:
    require(user, "configure", settings.trust_id)
    if not 0 < settings.max_give_percent <= 100:
        raise ValidationError({"max_give_percent": "Give a share between 1 and 100 per cent."})
    if settings.leader_days_per_term <= 0:
        raise ValidationError({"leader_days_per_term": "A term has at least one working day."})
    return save_audited(user, settings)


def _leader_save(user: Any, obj: Any, academy_id: int | None) -> Any:
    require(user, "change", academy_id)
    return save_audited(user, obj)


def _not_negative(value: Decimal | None, field: str, what: str) -> None:
    if value is not None and value < 0:
        raise ValidationError({field: f"{what} cannot be negative."})


# --- staff and expertise --------------------------------------------------------------------


def save_staff(user: Any, staff: models.StaffMember) -> models.StaffMember:
    _not_negative(staff.days_available, "days_available", "Days available")
    return _leader_save(user, staff, staff.academy_id)


def delete_staff(user: Any, staff: models.StaffMember) -> None:
    require(user, "change", staff.academy_id)
    if models.Deployment.objects.unscoped().filter(staff=staff).exists():
        raise ValidationError("They have deployments on the ledger: keep the record.")
    delete_audited(user, staff)


def save_expertise(user: Any, expertise: models.Expertise) -> models.Expertise:
    finding = expertise.finding
    if finding is not None and finding.activity.academy_id != expertise.staff.academy_id:
        raise ValidationError({"finding": "Choose a finding of their own academy."})
    return _leader_save(user, expertise, expertise.staff.academy_id)


def delete_expertise(user: Any, expertise: models.Expertise) -> None:
    require(user, "change", expertise.staff.academy_id)
    delete_audited(user, expertise)


# --- needs ----------------------------------------------------------------------------------


def save_need(user: Any, need: models.Need) -> models.Need:
    if need.days_needed is not None and need.days_needed <= 0:
        raise ValidationError({"days_needed": "Days needed must be more than zero."})
    if need.priority_id and need.priority.plan.academy_id != need.academy_id:
        raise ValidationError({"priority": "Choose a priority of this academy's plan."})
    if need.finding_id and need.finding.activity.academy_id != need.academy_id:
        raise ValidationError({"finding": "Choose a finding of this academy."})
    if need.support_id and need.support.academy_id != need.academy_id:
        raise ValidationError({"support": "Choose a support request of this academy."})
    need.created_by = need.created_by or (user if user and user.is_authenticated else None)
    return _leader_save(user, need, need.academy_id)


# --- deployments ----------------------------------------------------------------------------


def deployment_errors(deployment: models.Deployment) -> dict[str, str]:
    """What is wrong with a deployment, by field (empty when it can be saved)."""
    errors: dict[str, str] = {}
    if deployment.starts_on and deployment.ends_on and deployment.ends_on < deployment.starts_on:
        errors["ends_on"] = "The end date is before the start date: it must be on or after it."
    if deployment.days is not None and deployment.days <= 0:
        errors["days"] = "Days must be more than zero (a deployment gives at least half a day)."
    for field, label in (("cost", "Cost"), ("backfill_cost", "Backfill cost")):
        value = getattr(deployment, field)
        if value is not None and value < 0:
            errors[field] = f"{label} cannot be negative."
    if deployment.from_academy_id and deployment.from_academy_id == deployment.to_academy_id:
        errors["to_academy"] = (
            "They work at this academy already: a deployment goes from one academy to another."
        )
    if deployment.backfill_cost and not deployment.backfill_paid_by:
        errors["backfill_paid_by"] = "Say who pays for the backfill."
    return errors


@transaction.atomic
def save_deployment(user: Any, deployment: models.Deployment) -> models.Deployment:
    """Check and save a deployment; the giving academy is the person's own. An open need it
    meets is marked met."""
    deployment.from_academy_id = deployment.staff.academy_id
    if deployment.need_id and not deployment.priority_id:
        deployment.priority_id = deployment.need.priority_id
    errors = deployment_errors(deployment)
    if errors:
        raise ValidationError(errors)
    require(
        user,
        "change",
        {deployment.from_academy_id, deployment.to_academy_id},
        "Only leaders of both the giving and the receiving academy deploy staff between them.",
    )
    if not deployment.pk:
        deployment.created_by = user
    saved = save_audited(user, deployment)
    need = deployment.need
    counted = deployment.status != DeploymentStatus.CANCELLED
    if need is not None and counted and need.status == NeedStatus.OPEN:
        need.status = NeedStatus.MET
        save_audited(user, need)
    return saved


def save_outcome(user: Any, deployment: models.Deployment) -> models.Deployment:
    """Status, outcome and impact review: the receiving academy's leaders record them."""
    require(user, "change", deployment.to_academy_id)
    stored = models.Deployment.objects.unscoped().get(pk=deployment.pk)
    for name in ("status", "outcome", "impact_review"):
        setattr(stored, name, getattr(deployment, name))
    return save_audited(user, stored)


# --- coaching -------------------------------------------------------------------------------


def save_coaching_model(user: Any, model: models.CoachingModel) -> models.CoachingModel:
    require(user, "configure", model.trust_id)
    if model.min_days_between > model.max_days_between:
        raise ValidationError(
            {"max_days_between": "The longest gap must be at least the shortest."}
        )
    return save_audited(user, model)


def save_pair(user: Any, pair: models.CoachingPair) -> models.CoachingPair:
    if pair.coach_id and pair.coach_id == pair.coachee_id:
        raise ValidationError(
            {"coachee": "A coach cannot be their own coachee: choose someone else."}
        )
    if pair.model_id and pair.model.trust_id != pair.coachee.academy.trust_id:
        raise ValidationError({"model": "Choose one of the trust's coaching models."})
    return _leader_save(user, pair, pair.coachee.academy_id)


def may_add_session(user: Any, pair: models.CoachingPair) -> bool:
    """Leaders of the coachee's academy, and the coach themself."""
    return can(user, "change", pair.coachee.academy_id) or (
        user.is_authenticated and pair.coach.user_id == user.pk
    )


def save_session(user: Any, session: models.CoachingSession) -> models.CoachingSession:
    if not may_add_session(user, session.pair):
        raise PermissionDenied("Only the coach or the academy's leaders record coaching sessions.")
    if session.held_on and session.held_on < session.pair.started_on:
        raise ValidationError({"held_on": "This is before the coaching started."})
    return save_audited(user, session)


# --- joint CPD, inquiry, leadership ----------------------------------------------------------


def save_cpd_session(user: Any, session: models.CpdSession) -> models.CpdSession:
    _not_negative(session.cost, "cost", "Cost")
    return _leader_save(user, session, session.host_academy_id)


def save_attendance(user: Any, attendance: models.CpdAttendance) -> models.CpdAttendance:
    taken = models.CpdAttendance.objects.unscoped().filter(
        session_id=attendance.session_id, staff_id=attendance.staff_id
    )
    if taken.exclude(pk=attendance.pk).exists():
        raise ValidationError({"staff": "They are already on the register of this session."})
    return _leader_save(user, attendance, attendance.session.host_academy_id)


def save_evaluation(user: Any, evaluation: models.CpdEvaluation) -> models.CpdEvaluation:
    percent = evaluation.positive_percent
    if percent is not None and percent > 100:
        raise ValidationError({"positive_percent": "A share is at most 100 per cent."})
    return _leader_save(user, evaluation, evaluation.session.host_academy_id)


def save_inquiry(user: Any, project: models.InquiryProject) -> models.InquiryProject:
    if project.for_library and not project.findings.strip():
        raise ValidationError({"for_library": "Write the findings before offering them."})
    return _leader_save(user, project, project.lead_academy_id)


def set_inquiry_staff(user: Any, project: models.InquiryProject, staff: list) -> None:
    """Who takes part (through the link table: the project was checked by its service)."""
    require(user, "change", project.lead_academy_id)
    links = models.InquiryProject.staff.through
    links.objects.filter(inquiryproject_id=project.pk).delete()
    links.objects.bulk_create(
        [links(inquiryproject_id=project.pk, staffmember_id=s.pk) for s in staff]
    )


def save_cycle(user: Any, cycle: models.InquiryCycle) -> models.InquiryCycle:
    return _leader_save(user, cycle, cycle.project.lead_academy_id)


def save_programme(user: Any, programme: models.Programme) -> models.Programme:
    require(user, "configure", programme.trust_id)
    return save_audited(user, programme)


def save_place(user: Any, place: models.ProgrammePlace) -> models.ProgrammePlace:
    if place.programme.trust_id != place.staff.academy.trust_id:
        raise ValidationError({"programme": "Choose one of the trust's programmes."})
    return _leader_save(user, place, place.staff.academy_id)


def save_key_role(user: Any, role: models.KeyRole) -> models.KeyRole:
    if role.holder_id and role.holder.academy_id != role.academy_id:
        raise ValidationError({"holder": "The holder works at another academy."})
    return _leader_save(user, role, role.academy_id)


def save_successor(user: Any, successor: models.Successor) -> models.Successor:
    if successor.role.holder_id and successor.role.holder_id == successor.staff_id:
        raise ValidationError({"staff": "They hold the role already."})
    return _leader_save(user, successor, successor.role.academy_id)
