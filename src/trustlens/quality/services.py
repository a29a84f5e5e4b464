"""Writes (and the reviewer-access rule) for QA activities, participants, evidence and findings.

Every create/update/delete checks the user's role for the academy, then saves through
``trustlens.core.audit`` (one audit row per change). Frameworks and the rating setting are
in ``trustlens.quality.frameworks``; moderation in ``trustlens.quality.moderation``.

The reviewer-access rule (docs/quality-and-improvement.md, "Who sees what"): an activity is
reachable when ``Activity.objects.restrict(user)`` allows it **or** the user is assigned to it
as a participant. That second path is the only place QA reads step outside ``restrict``; it is
``reviewable_activity`` below, and it still answers 404 to everybody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from trustlens.core.access import can, require
from trustlens.core.audit import delete_audited, save_audited
from trustlens.people.services import people_in
from trustlens.quality.choices import REVIEWER_ROLES, ActivityKind, ReviewStage
from trustlens.quality.frameworks import rating_scale_for
from trustlens.quality.models import Activity, Evidence, Finding, Participant

# --- who may see and change an activity -----------------------------------------------------


@dataclass(frozen=True)
class ActivityAccess:
    """What one user may do with one activity."""

    read: bool  #: see the narrative: summary, findings, evidence, participants
    lead: bool  #: change anything (leaders of the academy)
    review: bool  #: record findings and add evidence (leaders and assigned reviewers)
    assigned: bool  #: reached through assignment, not through scope


def _participation(user: Any, activity_id: int) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.unscoped().filter(activity_id=activity_id, user=user).first()


def reviewable_activity(user: Any, activity_id: int) -> Activity:
    """The activity if ``restrict(user)`` allows it OR the user is assigned to it; else 404.

    This is the explicit exception that lets reviewers from other academies (or other
    trusts' leaders invited by name) open and record findings on a review they take part in.
    """
    related = ("academy", "framework", "lead")
    found = Activity.objects.restrict(user).select_related(*related).filter(pk=activity_id).first()
    if found is None and _participation(user, activity_id) is not None:
        found = Activity.objects.unscoped().select_related(*related).filter(pk=activity_id).first()
    if found is None:
        raise Http404("No such QA activity.")
    return found


def access_to(user: Any, activity: Activity) -> ActivityAccess:
    lead = can(user, "change", activity.academy_id)
    participation = _participation(user, activity.pk)
    reviewer = participation is not None and participation.role in REVIEWER_ROLES
    return ActivityAccess(
        read=lead or participation is not None,
        lead=lead,
        review=lead or reviewer,
        assigned=participation is not None and not lead,
    )


def check_read(user: Any, activity: Activity) -> ActivityAccess:
    access = access_to(user, activity)
    if not access.read:
        raise PermissionDenied(
            "Only the academy's leaders and the people taking part see this record."
        )
    return access


def assigned_activities(user: Any) -> list[Activity]:
    """Activities the user takes part in, wherever they are (the reviewer's own list)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = Participant.objects.unscoped().filter(user=user).values("activity_id")
    return list(
        Activity.objects.unscoped()
        .filter(pk__in=ids)
        .select_related("academy")
        .order_by("-scheduled_on")
    )


def _records_of(user: Any, activity: Activity, model: Any, related: tuple, order=()) -> list:
    """The activity's ``model`` records, once the user may read the activity."""
    check_read(user, activity)
    records = model.objects.unscoped().filter(activity=activity).select_related(*related)
    return list(records.order_by(*order) if order else records)


def participants_of(user: Any, activity: Activity) -> list[Participant]:
    return _records_of(user, activity, Participant, ("user", "home_academy"))


def findings_of(user: Any, activity: Activity) -> list[Finding]:
    order = ("area__order", "kind", "pk")
    return _records_of(user, activity, Finding, ("area", "recorded_by"), order)


def evidence_of(user: Any, activity: Activity) -> list[Evidence]:
    check_read(user, activity)
    return list(Evidence.objects.unscoped().filter(activity=activity).select_related("added_by"))


def _reachable(user: Any, model: type, pk: int, *related: str, read: bool = False) -> Any:
    """A record of an activity the user may reach (scope or assignment); else 404. With
    ``read``, the activity's detail must be readable too (``check_read``)."""
    activity_id = model.objects.unscoped().filter(pk=pk).values_list("activity_id", flat=True)
    activity_id = activity_id.first()
    if activity_id is None:
        raise Http404(f"No such {model._meta.verbose_name}.")
    activity = reviewable_activity(user, activity_id)
    if read:
        check_read(user, activity)
    record = model.objects.unscoped().select_related(*related).get(pk=pk)
    record.activity = activity
    return record


def reviewable_finding(user: Any, finding_id: int) -> Finding:
    """A finding whose activity the user may reach (scope or assignment); else 404."""
    return _reachable(user, Finding, finding_id, "area", "activity")


def reviewable_evidence(user: Any, evidence_id: int) -> Evidence:
    return _reachable(user, Evidence, evidence_id, read=True)


def reviewable_participant(user: Any, participant_id: int) -> Participant:
    return _reachable(user, Participant, participant_id, "user")


# --- activities -----------------------------------------------------------------------------


def _check_rating(activity: Activity) -> None:
    if not activity.rating:
        return
    scale = rating_scale_for(activity.academy.trust_id)
    if activity.kind != ActivityKind.LESSON_VISIT or activity.rating not in scale:
        raise ValidationError(
            {
                "rating": "A developmental rating is only for lesson visits, from the trust's own scale."
            }
        )


def _check_framework(activity: Activity) -> None:
    if activity.framework_id and activity.framework.trust_id != activity.academy.trust_id:
        raise ValidationError({"framework": "Use one of the academy's trust's frameworks."})


def save_activity(user: Any, activity: Activity) -> Activity:
    """Schedule (create) or update a QA activity at an academy the user leads."""
    require(user, "change", activity.academy_id)
    if activity.pk:
        stored = Activity.objects.unscoped().get(pk=activity.pk)
        require(user, "change", stored.academy_id)
    else:
        activity.created_by = user
    if activity.kind == ActivityKind.PEER_REVIEW and not activity.review_stage:
        activity.review_stage = ReviewStage.SELF_REVIEW
    if activity.kind != ActivityKind.PEER_REVIEW:
        activity.review_stage = ""
    _check_rating(activity)
    _check_framework(activity)
    return save_audited(user, activity)


# --- participants ---------------------------------------------------------------------------


def _home_academy_id(user: Any) -> int | None:
    """The one academy a user holds an academy-level role at, if exactly one."""
    from trustlens.people.models import RoleGrant

    ids = set(
        RoleGrant.objects.filter(user=user, academy__isnull=False).values_list(
            "academy_id", flat=True
        )
    )
    return ids.pop() if len(ids) == 1 else None


def add_participant(user: Any, activity: Activity, participant: Participant) -> Participant:
    """Add someone who takes part; a user from another academy gets their home academy set."""
    require(user, "change", activity.academy_id)
    participant.activity = activity
    if not participant.user_id and not participant.name.strip():
        raise ValidationError("Choose a person with a login or type a name.")
    if participant.user_id:
        exists = Participant.objects.unscoped().filter(
            activity=activity, user_id=participant.user_id
        )
        if exists.exclude(pk=participant.pk).exists():
            raise ValidationError("This person already takes part.")
        if not participant.home_academy_id:
            participant.home_academy_id = _home_academy_id(participant.user)
    return save_audited(user, participant)


def remove_participant(user: Any, participant: Participant) -> None:
    require(user, "change", participant.activity.academy_id)
    delete_audited(user, participant)


def candidate_people(activity: Activity) -> list[tuple[int, str]]:
    """People with a login anywhere in the academy's trust, to take part in its activity."""
    return people_in(activity.academy, whole_trust=True)


# --- evidence -------------------------------------------------------------------------------


def add_evidence(user: Any, activity: Activity, evidence: Evidence) -> Evidence:
    if not access_to(user, activity).review:
        raise PermissionDenied("Only leaders and reviewers of this activity can add evidence.")
    if not (evidence.file or evidence.link or evidence.note.strip()):
        raise ValidationError("Attach a file, give a link or write a note.")
    evidence.activity = activity
    evidence.added_by = user
    return save_audited(user, evidence)


def delete_evidence(user: Any, evidence: Evidence) -> None:
    access = access_to(user, evidence.activity)
    if not (access.lead or (access.review and evidence.added_by_id == user.pk)):
        raise PermissionDenied("Only leaders, or whoever added it, can remove evidence.")
    stored_file = evidence.file
    delete_audited(user, evidence)
    if stored_file:
        stored_file.delete(save=False)


# --- findings -------------------------------------------------------------------------------


def _check_area(activity: Activity, finding: Finding) -> None:
    if finding.area_id and finding.area.framework_id != activity.framework_id:
        raise ValidationError({"area": "Choose an area of the framework this activity uses."})


def record_finding(user: Any, activity: Activity, finding: Finding) -> Finding:
    """Record (or change) a finding: leaders of the academy and its assigned reviewers."""
    access = access_to(user, activity)
    if not access.review:
        raise PermissionDenied("Only leaders and reviewers of this activity can record findings.")
    if finding.pk and not (access.lead or finding.recorded_by_id == user.pk):
        raise PermissionDenied("Only leaders, or whoever recorded it, can change a finding.")
    finding.activity = activity
    if not finding.pk:
        finding.recorded_by = user
    _check_area(activity, finding)
    return save_audited(user, finding)


def delete_finding(user: Any, finding: Finding) -> None:
    access = access_to(user, finding.activity)
    if not (access.lead or (access.review and finding.recorded_by_id == user.pk)):
        raise PermissionDenied("Only leaders, or whoever recorded it, can delete a finding.")
    delete_audited(user, finding)
