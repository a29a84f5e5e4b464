"""The organisation tree: trust -> region -> cluster -> academy.

Several trusts live in one installation, isolated from each other by the scoping layer.
"""

from __future__ import annotations

from django.db import models

from trustlens.core.fields import optional_link
from trustlens.core.scoping import ScopedModel
from trustlens.organisations.choices import AcademyType, ImprovementStage, OfstedGrade, Phase


class Trust(ScopedModel):
    """A multi-academy trust (GIAS group type 'Multi-academy trust')."""

    scope_academy_path = None
    scope_trust_path = "pk"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    gias_group_id = models.CharField("GIAS group ID (TRxxxxx)", max_length=20, blank=True)
    companies_house_number = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(ScopedModel):
    """A trust's region (a grouping of clusters), e.g. 'North'."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["trust", "name"]
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="region_unique_name")]

    def __str__(self) -> str:
        return self.name


class Cluster(ScopedModel):
    """A cluster of academies within a region."""

    scope_academy_path = None
    scope_trust_path = "region__trust"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="cluster_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def trust(self) -> Trust:
        return self.region.trust


class Academy(ScopedModel):
    """One academy: identified by its URN; LAESTAB as in the DfE's files (LA * 10000 + estab)."""

    scope_academy_path = "pk"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="academies")
    cluster = optional_link(Cluster, "academies")
    urn = models.PositiveIntegerField("URN", unique=True)
    laestab = models.PositiveIntegerField("LAESTAB", null=True, blank=True)
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    academy_type = models.CharField(
        max_length=20, choices=AcademyType.choices, default=AcademyType.CONVERTER
    )
    joined_trust = models.DateField("date joined the trust", null=True, blank=True)
    ofsted_grade = models.CharField(max_length=1, choices=OfstedGrade.choices, blank=True)
    ofsted_date = models.DateField(null=True, blank=True)
    improvement_stage = models.CharField(
        max_length=20, choices=ImprovementStage.choices, default=ImprovementStage.IMPROVE
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "academies"

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"

    @property
    def region(self) -> Region | None:
        return self.cluster.region if self.cluster_id else None
