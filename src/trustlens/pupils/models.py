"""Pupils (identities stay here, never in the analytical store), enrolments and classes."""

from __future__ import annotations

from django.db import models

from trustlens.core.fields import optional_user
from trustlens.core.scoping import ScopedModel
from trustlens.organisations.models import Academy, Trust
from trustlens.pupils.choices import SEN, LeavingReason, Sex


class Pupil(ScopedModel):
    """A pupil. ``pupil_id`` is the trust's surrogate key, the only id the store holds."""

    scope_academy_path = "enrolments__academy"
    scope_pupil_level = True
    scope_pupil_path = "pk"
    scope_distinct = True

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="pupils")
    pupil_id = models.CharField(max_length=40)
    upn = models.CharField("UPN", max_length=13, blank=True)
    surname = models.CharField(max_length=100)
    forename = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    disadvantaged = models.BooleanField(default=False)
    sen = models.CharField("SEN", max_length=1, choices=SEN.choices, default=SEN.NONE)
    sen_primary_need = models.CharField(max_length=10, blank=True)
    eal = models.BooleanField("EAL", default=False)
    looked_after = models.BooleanField(default=False)
    ethnicity = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["surname", "forename"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "pupil_id"], name="pupil_unique_id")
        ]

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"


class Enrolment(ScopedModel):
    """A pupil on an academy's roll from ``start_date`` to ``end_date`` (open if null)."""

    scope_pupil_level = True
    scope_pupil_path = "pupil"

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="enrolments")
    year_group = models.SmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=30, choices=LeavingReason.choices, blank=True)

    class Meta:
        ordering = ["academy", "pupil", "start_date"]
        indexes = [models.Index(fields=["academy", "end_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academy", "start_date"], name="enrolment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} at {self.academy_id} from {self.start_date}"


class TeachingGroup(ScopedModel):
    """A class or set: the unit a teacher sees pupil-level data for."""

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="teaching_groups")
    class_id = models.CharField(
        "class id",
        max_length=40,
        blank=True,
        db_index=True,
        help_text="The trust's own id for the class (classes.csv); unique in the trust.",
    )
    name = models.CharField(max_length=50)
    academic_year = models.CharField(max_length=7)
    subject = models.CharField(max_length=50, blank=True)
    year_group = models.SmallIntegerField()
    teacher = optional_user("classes")
    teacher_name = models.CharField(
        "teacher's name",
        max_length=100,
        blank=True,
        help_text="The class teacher as classes.csv names them (no login needed).",
    )

    class Meta:
        ordering = ["academy", "academic_year", "year_group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["academy", "academic_year", "name"], name="group_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.academic_year})"

    @property
    def subject_label(self) -> str:
        """The subject, or what a class with none is: a form class, taught (and measured) in all."""
        return self.subject[:1].upper() + self.subject[1:] if self.subject else "All (form class)"

    @property
    def teacher_label(self) -> str:
        """The assigned login's name, else the teacher named by the import; blank when neither."""
        if self.teacher_id and self.teacher is not None:
            return self.teacher.get_full_name() or self.teacher.get_username()
        return self.teacher_name


class GroupMembership(ScopedModel):
    """A pupil in a teaching group."""

    scope_academy_path = "group__academy"
    scope_pupil_level = True
    scope_pupil_path = "pupil"

    group = models.ForeignKey(TeachingGroup, on_delete=models.CASCADE, related_name="memberships")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "pupil"], name="membership_unique")]
