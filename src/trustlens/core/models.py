"""Cross-cutting records: the audit log of pupil-level access, sign-ins and every change."""

from __future__ import annotations

from django.db import models

from trustlens.core.fields import optional_user


class AuditEvent(models.Model):
    """Who did what to which record, when. Written by ``trustlens.core.audit``; never edited."""

    class Action(models.TextChoices):
        VIEW_PUPIL = "view_pupil", "viewed pupil-level data"
        EXPORT = "export", "exported data"
        CREATE = "create", "created"
        UPDATE = "update", "updated"
        DELETE = "delete", "deleted"
        IMPORT = "import", "imported data"
        LOGIN = "login", "signed in"
        LOGIN_FAILED = "login_failed", "failed to sign in"
        LOGOUT = "logout", "signed out"
        VIEW_AUDIT = "view_audit", "read the audit log"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = optional_user()
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    academy_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    #: The trust whose data protection officer reads the row (``accounts:audit``); None for
    #: events no trust owns (a failed sign-in with an unknown username, a DfE file).
    trust_id = models.BigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["trust_id", "-at"], name="core_audit_trust_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type} {self.object_id}"
