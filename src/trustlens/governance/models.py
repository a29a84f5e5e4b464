"""How the trust works: the standardise / align / autonomy matrix, its versions, proposals and
consultation, academies' deviations, earned-autonomy rules, and trust self-evaluation.

Scoping: the matrix, proposals, rules and self-evaluation belong to the trust
(``scope_trust_path``); a deviation belongs to the academy that asks for it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trustlens.core.scoping import ScopedModel
from trustlens.governance.choices import DeviationStatus, ProposalStatus, Score, Stance
from trustlens.organisations.choices import ImprovementStage, Phase
from trustlens.organisations.models import Academy, Trust

USER = settings.AUTH_USER_MODEL


class Domain(ScopedModel):
    """An area of practice the trust takes a stance on (curriculum, assessment, finance...)."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="practice_domains")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["trust", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "code"], name="governance_domain_code")
        ]

    def __str__(self) -> str:
        return self.name


class Content(models.Model):
    """What a stance says: the fields a proposal suggests and a version records."""

    stance = models.CharField(max_length=12, choices=Stance.choices)
    fixed = models.TextField("what exactly is fixed", blank=True)
    rationale = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    impact = models.TextField("expected impact", blank=True)
    effective_from = models.DateField()

    #: The fields compared between versions, with their labels.
    COMPARED = (
        ("stance", "Stance"),
        ("fixed", "What is fixed"),
        ("rationale", "Rationale"),
        ("evidence", "Evidence"),
        ("impact", "Expected impact"),
        ("effective_from", "Effective from"),
    )

    class Meta:
        abstract = True


class Proposal(Content, ScopedModel):
    """A suggested change to one domain's stance for one phase, open for consultation."""

    scope_academy_path = None
    scope_trust_path = "domain__trust"

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="proposals")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_stance_display()} for {self.get_phase_display()}"


class Comment(ScopedModel):
    """A head's or lead's response to a proposal during consultation."""

    scope_academy_path = None
    scope_trust_path = "proposal__domain__trust"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("comment")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.proposal}"


class Version(Content, ScopedModel):
    """An adopted stance: version ``number`` of one domain for one phase (never edited)."""

    scope_academy_path = None
    scope_trust_path = "domain__trust"

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="versions")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    number = models.PositiveIntegerField()
    proposal = models.OneToOneField(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="version"
    )
    adopted_on = models.DateField()

    class Meta:
        ordering = ["domain", "phase", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "phase", "number"], name="governance_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain} ({self.get_phase_display()}) v{self.number}"


class AutonomyRule(ScopedModel):
    """Earned autonomy: academies of ``phase`` at ``min_stage`` or beyond take ``stance``."""

    scope_academy_path = None
    scope_trust_path = "domain__trust"

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="autonomy_rules")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    min_stage = models.CharField(
        "from improvement stage", max_length=20, choices=ImprovementStage.choices
    )
    stance = models.CharField(max_length=12, choices=Stance.choices)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_stance_display()} from {self.get_min_stage_display()}"


class Deviation(ScopedModel):
    """An academy's request to depart from the trust's stance on a domain."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="deviations")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="deviations")
    reason = models.TextField()
    conditions = models.TextField(blank=True)
    review_on = models.DateField("review date")
    status = models.CharField(
        max_length=10, choices=DeviationStatus.choices, default=DeviationStatus.REQUESTED
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.academy}: deviation on {self.domain}"


class Framework(ScopedModel):
    """A self-evaluation framework held as data (imported from YAML or CSV)."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="self_frameworks")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=160)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["trust", "name"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "code"], name="governance_framework_code")
        ]

    def __str__(self) -> str:
        return self.name


class Item(ScopedModel):
    """One question of a framework, in an area."""

    scope_academy_path = None
    scope_trust_path = "framework__trust"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    area = models.CharField(max_length=120)
    code = models.CharField(max_length=20)
    question = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="governance_item_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.question[:60]}"


class Round(ScopedModel):
    """One self-review of the whole trust against a framework."""

    scope_academy_path = None
    scope_trust_path = "framework__trust"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(max_length=120)
    held_on = models.DateField()

    class Meta:
        ordering = ["framework", "held_on"]

    def __str__(self) -> str:
        return self.title


class ItemScore(ScopedModel):
    """A round's score for one item, with evidence links and actions arising."""

    scope_academy_path = None
    scope_trust_path = "round__framework__trust"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    evidence = models.TextField(blank=True)
    links = models.TextField(
        "evidence links", blank=True, help_text="One per line: dashboards, QA records, plans."
    )
    actions = models.TextField("actions arising", blank=True)

    class Meta:
        ordering = ["round", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="governance_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.score}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]
