"""One import of data-standard files: what was uploaded, its validation report, its outcome."""

from __future__ import annotations

from django.db import models

from trustlens.core.fields import optional_user
from trustlens.core.scoping import ScopedModel
from trustlens.imports.choices import ImportSource, ImportStatus
from trustlens.organisations.models import Academy, Trust


class ImportRun(ScopedModel):
    """An upload (web) or a ``trustlens import`` (command line) and its all-or-nothing outcome.

    Trust-level for scoping; the views further limit a run to importers whose scope covers every
    academy it touches (``trustlens.imports.services.visible_runs``).
    """

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="import_runs"
    )
    created_by = optional_user("import_runs")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=ImportSource.choices, default=ImportSource.WEB)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    upload_dir = models.CharField(
        max_length=300, blank=True, help_text="Uploaded files, under MEDIA_ROOT"
    )
    file_names = models.JSONField(default=list, blank=True)
    datasets = models.JSONField(default=list, blank=True)
    academies = models.ManyToManyField(Academy, blank=True, related_name="import_runs")
    rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.READY
