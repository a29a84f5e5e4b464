"""Allowed values of the imports app."""

from django.db import models


class ImportStatus(models.TextChoices):
    INVALID = "invalid", "Errors found: nothing loaded"
    READY = "ready", "Valid: waiting for confirmation"
    COMMITTED = "committed", "Imported"
    DRY_RUN = "dry_run", "Checked only (dry run)"
    FAILED = "failed", "Failed while loading: nothing loaded"
    SUPERSEDED = "superseded", "Not confirmed (a newer upload replaced it)"


class ImportSource(models.TextChoices):
    WEB = "web", "Web upload"
    CLI = "cli", "Command line"
