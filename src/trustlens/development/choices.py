"""Allowed values for people records: expertise areas and levels, deployments, coaching,
joint CPD (Guskey's levels), inquiry cycles, leadership programmes and succession."""

from django.db import models


class Area(models.TextChoices):
    """What a person's expertise (or an academy's need) is about; ``topic`` says exactly what."""

    SUBJECT = "subject", "Subject"
    PHASE = "phase", "Phase (early years, primary, transition...)"
    SEND = "send", "SEND and inclusion"
    LEADERSHIP = "leadership", "Leadership"
    CURRICULUM = "curriculum", "Curriculum design"
    PASTORAL = "pastoral", "Pastoral, behaviour and attendance"
    DATA = "data", "Data and assessment"
    OTHER = "other", "Other"


class Level(models.TextChoices):
    """How strong the expertise is, weakest first (``LEVEL_RANK`` orders them)."""

    DEVELOPING = "developing", "Developing"
    SECURE = "secure", "Secure"
    EXPERT = "expert", "Expert"
    ACCREDITED = "accredited", "Accredited (e.g. SLE, NPQ)"


LEVEL_RANK = {level.value: rank for rank, level in enumerate(Level, start=1)}


class NeedStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met: someone deployed"
    CLOSED = "closed", "Closed"


class DeploymentStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    UNDER_WAY = "under_way", "Under way"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


#: Deployments that count against a giver's time (a cancelled one gives nothing).
COUNTED_DEPLOYMENT_STATUSES = frozenset(
    {
        DeploymentStatus.PROPOSED,
        DeploymentStatus.AGREED,
        DeploymentStatus.UNDER_WAY,
        DeploymentStatus.COMPLETED,
    }
)


class BackfillPayer(models.TextChoices):
    RECEIVING = "receiving", "The receiving academy"
    GIVING = "giving", "The giving academy"
    TRUST = "trust", "The trust (central budget)"


class GuskeyLevel(models.TextChoices):
    """Guskey's five levels of professional development evaluation (Guskey, T. R. 2000,
    *Evaluating Professional Development*, Corwin), lowest first."""

    REACTION = "1_reaction", "1. Participants' reactions"
    LEARNING = "2_learning", "2. Participants' learning"
    ORGANISATION = "3_organisation", "3. Organisation support and change"
    USE = "4_use", "4. Use of new knowledge and skills"
    OUTCOMES = "5_outcomes", "5. Pupil learning outcomes"


class InquiryKind(models.TextChoices):
    LESSON_STUDY = "lesson_study", "Lesson study"
    RESEARCH = "research", "Research project"
    ENQUIRY = "enquiry", "Practitioner enquiry"


class InquiryStep(models.TextChoices):
    """A lesson-study cycle (Dudley, P. 2014, *Lesson Study: a handbook*)."""

    PLAN = "plan", "Plan the research lesson"
    RESEARCH_LESSON = "research_lesson", "Teach and observe the research lesson"
    REVIEW = "review", "Review: what pupils did and what we learned"


class ProgrammeKind(models.TextChoices):
    NPQ = "npq", "National professional qualification (NPQ)"
    TRUST = "trust", "Trust programme"
    EXTERNAL = "external", "Other external programme"


class PlaceStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", "Ready now"
    READY_LATER = "ready_later", "Ready in 1–2 years"
