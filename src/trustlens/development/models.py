"""People records: staff and their expertise, needs, deployments with backfill, the trust's
people settings, coaching, joint CPD, inquiry and lesson study, leadership programmes and
succession.

Scoping: staff, needs, coaching pairs, key roles and their parts belong to one academy
(``scope_academy_path``); a deployment belongs to the academy that receives it (the giver's
totals are shown as numbers on the ledger); a CPD session and an inquiry project to the academy
that hosts or leads it; settings, coaching models and programmes are the trust's.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from trustlens.core.fields import optional_link, optional_user
from trustlens.core.scoping import ScopedModel
from trustlens.development.choices import (
    Area,
    BackfillPayer,
    DeploymentStatus,
    GuskeyLevel,
    InquiryKind,
    InquiryStep,
    Level,
    NeedStatus,
    PlaceStatus,
    ProgrammeKind,
    Readiness,
)
from trustlens.organisations.models import Academy, Trust

MONEY = {"max_digits": 10, "decimal_places": 2, "default": Decimal(0)}
DAYS = {"max_digits": 6, "decimal_places": 1}


class PeopleSettings(ScopedModel):
    """A trust's rules for giving staff time: the share of leaders' time an academy may give
    and the stages whose academies do not give at all."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.OneToOneField(Trust, on_delete=models.CASCADE, related_name="people_settings")
    max_give_percent = models.PositiveSmallIntegerField(
        "most an academy gives (% of its leaders' time)",
        default=20,
        help_text="The capacity view warns, and matching stops proposing, above this share.",
    )
    leader_days_per_term = models.PositiveSmallIntegerField(
        "working days per leader per term", default=60
    )
    stages_not_giving = models.CharField(
        "stages that do not give",
        max_length=200,
        default="stabilise",
        blank=True,
        help_text="Stage codes, separated by commas: academies at these stages receive only.",
    )

    class Meta:
        verbose_name_plural = "people settings"

    def __str__(self) -> str:
        return f"People settings of {self.trust}"

    @property
    def stage_codes(self) -> set[str]:
        return {c.strip() for c in self.stages_not_giving.split(",") if c.strip()}


class StaffMember(ScopedModel):
    """A member of staff at an academy (linked to their login where they have one)."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="staff_members")
    user = optional_user("staff_records", help_text="Their trustlens login, if any.")
    staff_ref = models.CharField(
        "staff id",
        max_length=40,
        blank=True,
        help_text="The trust's staff id (staff_expertise.csv).",
    )
    name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=120, blank=True)
    is_leader = models.BooleanField(
        "a leader", default=False, help_text="Senior or middle leader: counts in leaders' time."
    )
    days_available = models.DecimalField(
        "days available per term",
        default=Decimal(0),
        help_text="For work beyond their academy.",
        **DAYS,
    )
    consent_to_deploy = models.BooleanField("agrees to be deployed", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "member of staff"
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.name


class Expertise(ScopedModel):
    """One area a person is strong in, at a level, with the evidence for it."""

    scope_academy_path = "staff__academy"

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="expertise")
    area = models.CharField(max_length=12, choices=Area.choices)
    topic = models.CharField(
        max_length=80, help_text='Exactly what, e.g. "maths", "early reading".'
    )
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.SECURE)
    accreditation = models.CharField(
        max_length=80, blank=True, help_text="e.g. SLE, NPQLT, Maths Hub mastery specialist."
    )
    evidence = models.TextField(blank=True, help_text="QA findings, outcomes, qualifications.")
    finding = optional_link("quality.Finding", "+", help_text="A QA finding that shows it.")

    class Meta:
        ordering = ["staff", "area", "topic"]
        verbose_name_plural = "expertise"

    def __str__(self) -> str:
        return f"{self.topic} ({self.get_level_display()})"


class Need(ScopedModel):
    """What an academy needs from someone else's expertise (from a priority, a finding or asked)."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="people_needs")
    title = models.CharField(max_length=200)
    area = models.CharField(max_length=12, choices=Area.choices)
    topic = models.CharField(max_length=80, help_text='e.g. "maths": matched against expertise.')
    level_needed = models.CharField(max_length=12, choices=Level.choices, default=Level.EXPERT)
    days_needed = models.DecimalField(default=Decimal(5), **DAYS)
    detail = models.TextField(blank=True)
    priority = optional_link("improvement.Priority", "people_needs")
    finding = optional_link("quality.Finding", "people_needs")
    support = optional_link(
        "improvement.Support", "people_needs", help_text="The support request it comes from."
    )
    status = models.CharField(max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    raised_on = models.DateField()
    created_by = optional_user()

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Deployment(ScopedModel):
    """Someone from one academy working in another, for days, with backfill at home."""

    scope_academy_path = "to_academy"

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="deployments")
    from_academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="+")
    to_academy = models.ForeignKey(
        Academy, on_delete=models.CASCADE, related_name="deployments_received"
    )
    need = optional_link(Need, "deployments")
    priority = optional_link("improvement.Priority", "deployments")
    purpose = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    days = models.DecimalField(**DAYS)
    cost = models.DecimalField("cost (£)", **MONEY)
    backfill_by = models.CharField(
        "backfill: who covers", max_length=200, blank=True, help_text="Who covers at home."
    )
    backfill_cost = models.DecimalField("backfill cost (£)", **MONEY)
    backfill_paid_by = models.CharField(
        "backfill paid by", max_length=10, choices=BackfillPayer.choices, blank=True
    )
    status = models.CharField(
        max_length=10, choices=DeploymentStatus.choices, default=DeploymentStatus.AGREED
    )
    outcome = models.TextField(blank=True)
    impact_review = models.TextField("impact review", blank=True)
    created_by = optional_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.staff} to {self.to_academy.name}"


# --- coaching -------------------------------------------------------------------------------


class CoachingModel(ScopedModel):
    """A coaching model the trust uses (instructional, GROW...) with its expected cadence."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="coaching_models")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    min_days_between = models.PositiveSmallIntegerField(
        "fewest days between sessions", default=7, help_text="Closer than this: rushed."
    )
    max_days_between = models.PositiveSmallIntegerField(
        "most days between sessions", default=21, help_text="Longer than this: lapsed."
    )

    class Meta:
        ordering = ["trust", "name"]

    def __str__(self) -> str:
        return self.name


class CoachingPair(ScopedModel):
    """A coach and a coachee (of the coachee's academy) working with one coaching model."""

    scope_academy_path = "coachee__academy"

    coach = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="coaching_given")
    coachee = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="coaching")
    model = optional_link(CoachingModel, "pairs")
    started_on = models.DateField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["coachee__name", "pk"]

    def __str__(self) -> str:
        return f"{self.coach} coaching {self.coachee}"


class CoachingSession(ScopedModel):
    """One session of a coaching cycle: the focus, the action step and its follow-up."""

    scope_academy_path = "pair__coachee__academy"

    pair = models.ForeignKey(CoachingPair, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    focus = models.CharField(max_length=200)
    action_step = models.TextField("action step")
    follow_up = models.TextField("follow-up", blank=True)
    notes = models.TextField(
        "private notes", blank=True, help_text="Seen by the pair and the head."
    )

    class Meta:
        ordering = ["pair", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on}: {self.focus}"


# --- joint CPD ------------------------------------------------------------------------------


class CpdSession(ScopedModel):
    """Joint CPD: a session (or a programme's meeting) hosted by an academy for several."""

    scope_academy_path = "host_academy"

    host_academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="cpd_hosted")
    title = models.CharField(max_length=200)
    programme = models.CharField(
        max_length=120, blank=True, help_text="The programme it is part of."
    )
    priority = optional_link("improvement.Priority", "cpd_sessions")
    held_on = models.DateField()
    cost = models.DecimalField("cost (£)", **MONEY)
    led_by = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = "CPD session"

    def __str__(self) -> str:
        return self.title


class CpdAttendance(ScopedModel):
    """Who came to a CPD session (of the attendee's academy)."""

    scope_academy_path = "staff__academy"

    session = models.ForeignKey(CpdSession, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="cpd")

    class Meta:
        ordering = ["session", "staff__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="cpd_attendance_once")
        ]


class CpdEvaluation(ScopedModel):
    """What a session achieved at one of Guskey's levels, with the evidence."""

    scope_academy_path = "session__host_academy"

    session = models.ForeignKey(CpdSession, on_delete=models.CASCADE, related_name="evaluations")
    level = models.CharField(max_length=16, choices=GuskeyLevel.choices)
    evidence = models.TextField(help_text="What was asked, seen or measured.")
    positive_percent = models.PositiveSmallIntegerField(
        "% positive",
        null=True,
        blank=True,
        help_text="Share of responses or observations positive.",
    )
    respondents = models.PositiveSmallIntegerField("n (responses)", null=True, blank=True)

    class Meta:
        ordering = ["session", "level"]


# --- inquiry --------------------------------------------------------------------------------


class InquiryProject(ScopedModel):
    """Lesson study or a research project led by an academy, with others taking part."""

    scope_academy_path = "lead_academy"

    lead_academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="inquiries")
    kind = models.CharField(max_length=14, choices=InquiryKind.choices)
    question = models.CharField("inquiry question", max_length=300)
    priority = optional_link("improvement.Priority", "inquiries")
    staff = models.ManyToManyField(StaffMember, related_name="inquiries", blank=True)
    partner_academies = models.CharField(
        max_length=300, blank=True, help_text="Other academies taking part."
    )
    findings = models.TextField(blank=True)
    for_library = models.BooleanField(
        "offer to the what-works library", default=False, help_text="Once findings are written."
    )
    started_on = models.DateField()

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name_plural = "inquiry projects"

    def __str__(self) -> str:
        return self.question


class InquiryCycle(ScopedModel):
    """A step of an inquiry cycle: plan, research lesson, review."""

    scope_academy_path = "project__lead_academy"

    project = models.ForeignKey(InquiryProject, on_delete=models.CASCADE, related_name="cycles")
    step = models.CharField(max_length=16, choices=InquiryStep.choices)
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "held_on", "pk"]


# --- leadership and succession ------------------------------------------------------------


class Programme(ScopedModel):
    """A leadership programme (an NPQ, the trust's own) staff take part in."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=ProgrammeKind.choices)
    provider = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["trust", "name"]

    def __str__(self) -> str:
        return self.name


class ProgrammePlace(ScopedModel):
    """A member of staff on a programme, with the deployment and coaching that go with it."""

    scope_academy_path = "staff__academy"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="places")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="programmes")
    started_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.ENROLLED
    )
    deployment = optional_link(Deployment, "+", help_text="A deployment that is part of it.")
    coaching = optional_link(CoachingPair, "+", help_text="Coaching that is part of it.")

    class Meta:
        ordering = ["programme", "staff__name"]


class KeyRole(ScopedModel):
    """A role the academy cannot be without (head, SENCo, head of maths), and its holder."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="key_roles")
    title = models.CharField(max_length=120)
    holder = optional_link(StaffMember, "key_roles")

    class Meta:
        ordering = ["academy", "title"]

    def __str__(self) -> str:
        return self.title


class Successor(ScopedModel):
    """Someone who could step into a key role, now or later."""

    scope_academy_path = "role__academy"

    role = models.ForeignKey(KeyRole, on_delete=models.CASCADE, related_name="successors")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="succession")
    readiness = models.CharField(max_length=12, choices=Readiness.choices)
    development = models.TextField("what they need next", blank=True)

    class Meta:
        ordering = ["role", "readiness", "staff__name"]
