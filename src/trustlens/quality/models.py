"""Quality assurance records: frameworks, activities (visits, reviews...), who took part,
evidence, findings, and joint moderation of assessment.

Scoping: every QA record belongs to the academy it is about (``scope_academy_path``); a
framework and the rating setting belong to a trust. Moderation sessions are joint: a session is
visible to users of any academy taking part, each sample only to users of its own academy.
Reviewers assigned to an activity of an academy outside their scope reach it only through
``trustlens.quality.services.reviewable_activity`` (the one, explicit exception).

QA records are developmental: a lesson visit has no grade unless the trust switches on a
developmental scale, and no record ever holds a pupil's name (pupil voice is summarised).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trustlens.core.choices import Theme
from trustlens.core.fields import optional_link, optional_user
from trustlens.core.scoping import ScopedModel
from trustlens.organisations.models import Academy, Trust
from trustlens.quality.choices import (
    COE_CAUTION,
    NO_PUPIL_NAMES,
    ActivityKind,
    ActivityStatus,
    FindingKind,
    FrameworkStatus,
    ParticipantRole,
    ReviewStage,
)

USER = settings.AUTH_USER_MODEL


class QualitySettings(ScopedModel):
    """A trust's QA settings: whether lesson visits may carry a developmental rating."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.OneToOneField(Trust, on_delete=models.CASCADE, related_name="quality_settings")
    rating_enabled = models.BooleanField(
        "offer a developmental rating scale on lesson visits",
        default=False,
        help_text=COE_CAUTION,
    )
    rating_scale = models.TextField(
        blank=True,
        help_text="One point of the scale per line, lowest first (e.g. Embedding, Secure).",
    )

    class Meta:
        verbose_name_plural = "quality settings"

    def __str__(self) -> str:
        return f"QA settings of {self.trust}"

    @property
    def scale(self) -> list[str]:
        return [line.strip() for line in self.rating_scale.splitlines() if line.strip()]


class Framework(ScopedModel):
    """A trust's QA framework, versioned: areas and prompts change only in a draft version."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="qa_frameworks")
    name = models.CharField(max_length=120)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trust", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "name", "version"], name="qa_framework_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def editable(self) -> bool:
        return self.status == FrameworkStatus.DRAFT


class FrameworkArea(ScopedModel):
    """One area of a framework (curriculum, teaching, behaviour...), with its theme."""

    scope_academy_path = None
    scope_trust_path = "framework__trust"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=120)
    theme = models.CharField(
        max_length=20,
        choices=Theme.choices,
        default=Theme.OTHER,
        help_text="Lets findings in this area sit beside plan priorities of the same theme.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "name"]

    def __str__(self) -> str:
        return self.name


class FrameworkPrompt(ScopedModel):
    """A question reviewers ask in an area ("How well do pupils ...?")."""

    scope_academy_path = None
    scope_trust_path = "area__framework__trust"

    area = models.ForeignKey(FrameworkArea, on_delete=models.CASCADE, related_name="prompts")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Activity(ScopedModel):
    """A QA activity at one academy: a visit, scrutiny, walk, peer review, challenge or voice."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="qa_activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    scheduled_on = models.DateField("date")
    status = models.CharField(
        max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    framework = models.ForeignKey(
        Framework,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text="The framework version whose areas and prompts this activity uses.",
    )
    focus = models.TextField(blank=True, help_text="What the activity looks at and why.")
    subject = models.CharField(max_length=60, blank=True)
    year_group = models.SmallIntegerField(null=True, blank=True)
    review_stage = models.CharField(
        "peer-review stage",
        max_length=12,
        choices=ReviewStage.choices,
        blank=True,
        help_text="Peer reviews only: where the review is in its cycle.",
    )
    self_review = models.TextField(
        "academy's self-review",
        blank=True,
        help_text="Peer reviews: the academy's own view before the review team visits. "
        + NO_PUPIL_NAMES,
    )
    summary = models.TextField(
        blank=True,
        help_text="What was seen or heard. Pupil, parent and staff voice: " + NO_PUPIL_NAMES,
    )
    rating = models.CharField(
        "developmental rating",
        max_length=40,
        blank=True,
        help_text=COE_CAUTION,
    )
    lead = optional_user("+", help_text="Who organises it.")
    created_by = optional_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_on", "-pk"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.scheduled_on:%d %b %Y})"

    @property
    def is_peer_review(self) -> bool:
        return self.kind == ActivityKind.PEER_REVIEW


class Participant(ScopedModel):
    """Who took part: a user (reviewers from other academies) or a named outsider."""

    scope_academy_path = "activity__academy"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.CASCADE, related_name="qa_participations"
    )
    name = models.CharField(
        max_length=120, blank=True, help_text="For someone without a trustlens login."
    )
    organisation = models.CharField(
        max_length=160,
        blank=True,
        help_text="Where they come from when it is not one of the trust's academies (another trust, an authority).",
    )
    home_academy = optional_link(Academy, "+", help_text="The academy a reviewer comes from.")

    class Meta:
        ordering = ["activity", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "user"],
                condition=models.Q(user__isnull=False),
                name="qa_participant_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.name


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"quality/evidence/{instance.activity.academy_id}/{instance.activity_id}/{filename}"


class Evidence(ScopedModel):
    """Evidence attached to an activity: a file, a link or a note."""

    scope_academy_path = "activity__academy"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    file = models.FileField(
        upload_to=evidence_path,
        blank=True,
        help_text="Redact pupils' names from any work sample before uploading.",
    )
    link = models.URLField(blank=True)
    note = models.TextField(blank=True, help_text=NO_PUPIL_NAMES)
    added_by = optional_user()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "added_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


class Finding(ScopedModel):
    """What an activity found, in one framework area: a strength, area for development or concern."""

    scope_academy_path = "activity__academy"

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="findings")
    area = models.ForeignKey(
        FrameworkArea, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(max_length=12, choices=FindingKind.choices)
    text = models.TextField("finding", help_text=NO_PUPIL_NAMES)
    recorded_by = optional_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:80]}"

    @property
    def theme(self) -> str:
        return self.area.theme if self.area_id else Theme.OTHER


class ModerationSession(ScopedModel):
    """A joint moderation session: academies bring samples, moderators agree judgements."""

    scope_academy_path = "academies"
    scope_distinct = True

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="moderation_sessions")
    academies = models.ManyToManyField(Academy, related_name="moderation_sessions")
    title = models.CharField(max_length=200)
    subject = models.CharField(max_length=60)
    year_group = models.SmallIntegerField(null=True, blank=True)
    held_on = models.DateField()
    judgements = models.CharField(
        "judgement scale",
        max_length=200,
        default="WTS, EXS, GDS",
        help_text="The judgements moderators choose from, separated by commas (e.g. WTS, EXS, GDS or 1, 2, ... 9).",
    )
    facilitator = optional_user()
    notes = models.TextField(blank=True, help_text=NO_PUPIL_NAMES)
    created_by = optional_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    @property
    def scale(self) -> list[str]:
        return [j.strip() for j in self.judgements.split(",") if j.strip()]


class ModerationSample(ScopedModel):
    """One piece of work brought to a session: the academy's judgement and the agreed one."""

    scope_academy_path = "academy"

    session = models.ForeignKey(ModerationSession, on_delete=models.CASCADE, related_name="samples")
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(
        "sample reference",
        max_length=40,
        help_text="An anonymised code such as A-07: never a pupil's name or UPN.",
    )
    submitted = models.CharField("academy's judgement", max_length=20)
    agreed = models.CharField(
        "agreed judgement", max_length=20, blank=True, help_text="Blank until moderators agree."
    )
    notes = models.TextField(blank=True, help_text=NO_PUPIL_NAMES)

    class Meta:
        ordering = ["session", "academy", "reference"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.submitted} / {self.agreed or '?'}"

    @property
    def moderated(self) -> bool:
        return bool(self.agreed)

    @property
    def agrees(self) -> bool | None:
        """True when the academy's judgement stood; None until moderated."""
        if not self.agreed:
            return None
        return self.submitted.strip().lower() == self.agreed.strip().lower()
