"""Allowed values for quality assurance records: activity kinds, peer-review stages,
participant roles, finding kinds and framework statuses."""

from django.db import models


class ActivityKind(models.TextChoices):
    LESSON_VISIT = "lesson_visit", "Lesson visit"
    WORK_SCRUTINY = "work_scrutiny", "Work scrutiny / book look"
    LEARNING_WALK = "learning_walk", "Learning walk"
    PEER_REVIEW = "peer_review", "Peer review"
    CHALLENGE = "challenge", "Challenge session with the head"
    PUPIL_VOICE = "pupil_voice", "Pupil voice"
    PARENT_VOICE = "parent_voice", "Parent voice"
    STAFF_VOICE = "staff_voice", "Staff voice"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ReviewStage(models.TextChoices):
    """The peer-review cycle: self-review, then review by a team from elsewhere, findings, support."""

    SELF_REVIEW = "self_review", "1. Self-review"
    REVIEW = "review", "2. Review visit"
    FINDINGS = "findings", "3. Findings agreed"
    SUPPORT = "support", "4. Support arranged"
    CLOSED = "closed", "Closed"


class ParticipantRole(models.TextChoices):
    LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
    REVIEWER = "reviewer", "Reviewer"
    ACADEMY_LEADER = "academy_leader", "Academy leader (reviewed)"
    COLLEAGUE = "colleague", "Colleague visited"
    OBSERVER = "observer", "Observer"


#: Participants who may record findings and add evidence on the activity.
REVIEWER_ROLES = frozenset({ParticipantRole.LEAD_REVIEWER, ParticipantRole.REVIEWER})


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    DEVELOPMENT = "development", "Area for development"
    CONCERN = "concern", "Concern"


class FrameworkStatus(models.TextChoices):
    """Areas and prompts can be edited only while a version is a draft; activities keep the
    version they used."""

    DRAFT = "draft", "Draft"
    ACTIVE = "active", "In use"
    RETIRED = "retired", "Retired"


#: The caution shown wherever a developmental rating scale is switched on (DESIGN §4).
COE_CAUTION = (
    "Ratings from a single lesson visit are unreliable: when two observers watch the same lesson, "
    "the second disagrees with an 'Outstanding' judgement 51-78% of the time (Coe et al., 2014, "
    "What makes great teaching?). Use this scale for development conversations only, never to "
    "judge a teacher or an academy."
)

#: The warning on every free-text field that could describe pupils.
NO_PUPIL_NAMES = "Summarise: never write a pupil's name or anything that identifies a pupil."

#: Default developmental scale offered when a trust switches rating on.
DEFAULT_RATING_SCALE = "Embedding\nDeveloping\nSecure\nStrong"
