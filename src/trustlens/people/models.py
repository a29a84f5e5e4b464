"""Role grants: a user holds a role at one node of the tree (trust, region, cluster or academy)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from trustlens.core.fields import exactly_one_set
from trustlens.organisations.models import Academy, Cluster, Region, Trust
from trustlens.people.choices import Role


class RoleGrant(models.Model):
    """``user`` is ``role`` for everything under exactly one node of the organisation tree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    academy = models.ForeignKey(
        Academy, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="rolegrant_exactly_one_node",
                condition=exactly_one_set("trust", "region", "cluster", "academy"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.node}"

    @property
    def node(self) -> Trust | Region | Cluster | Academy | None:
        return self.trust or self.region or self.cluster or self.academy

    def clean(self) -> None:
        nodes = [n for n in (self.trust_id, self.region_id, self.cluster_id, self.academy_id) if n]
        if len(nodes) != 1:
            raise ValidationError(
                "A role is granted at exactly one node: a trust, region, cluster or academy."
            )
