"""What each endpoint returns: every field described (the OpenAPI schema shows each description).

A field's description is, in order: the serializer's own ``descriptions`` entry, the model
field's ``help_text``, else its verbose name. Every record that belongs to one academy carries
that academy's ``urn``; records of several academies carry the ``urns`` the viewer may see.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from trustlens.core.scoping import scope_of
from trustlens.improvement.models import Action, Plan, Priority, Support
from trustlens.interventions.models import Evaluation, Intervention
from trustlens.organisations.models import Academy
from trustlens.pupils.models import Pupil, TeachingGroup
from trustlens.quality.models import Activity, Finding

URN = "URN of the academy this record belongs to (GIAS unique reference number)."


def urn_field(source: str) -> serializers.IntegerField:
    return serializers.IntegerField(source=source, read_only=True, help_text=URN)


class Described(serializers.ModelSerializer):
    """A model serializer whose every field has a description."""

    descriptions: dict[str, str] = {}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            if name in self.descriptions:
                field.help_text = self.descriptions[name]
            elif not field.help_text:
                field.help_text = _model_text(model, field.source or name)
        return fields


def _model_text(model: Any, name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except Exception:  # a property or a relation path: name it plainly
        return name.replace("_", " ").replace(".", " ").capitalize() + "."
    text = str(getattr(field, "help_text", "") or getattr(field, "verbose_name", name))
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class AcademySerializer(Described):
    cluster = serializers.CharField(
        source="cluster.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The cluster the academy belongs to (empty if none).",
    )
    region = serializers.CharField(
        source="cluster.region.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The region of the academy's cluster (empty if none).",
    )
    trust = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The trust's short name (slug)."
    )
    descriptions = {"urn": "The academy's URN (GIAS unique reference number)."}

    class Meta:
        model = Academy
        fields = [
            "urn",
            "laestab",
            "name",
            "phase",
            "academy_type",
            "trust",
            "region",
            "cluster",
            "joined_trust",
            "ofsted_grade",
            "ofsted_date",
            "improvement_stage",
        ]


class ClusterNode(serializers.Serializer):
    id = serializers.IntegerField(help_text="The cluster's id.")
    name = serializers.CharField(help_text="The cluster's name.")
    urns = serializers.ListField(
        child=serializers.IntegerField(), help_text="URNs of its academies that you can see."
    )


class RegionNode(serializers.Serializer):
    id = serializers.IntegerField(help_text="The region's id.")
    name = serializers.CharField(help_text="The region's name.")
    clusters = ClusterNode(many=True, help_text="The region's clusters.")


class TrustNode(serializers.Serializer):
    slug = serializers.CharField(help_text="The trust's short name.")
    name = serializers.CharField(help_text="The trust's name.")
    regions = RegionNode(many=True, help_text="The trust's regions.")
    unclustered_urns = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="URNs of academies you can see that belong to no cluster.",
    )


class PupilSerializer(Described):
    urn = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="URN of the academy the pupil is on roll at."
    )
    year_group = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The pupil's current year group."
    )
    descriptions = {"pupil_id": "The trust's surrogate key for the pupil (as in its files)."}

    class Meta:
        model = Pupil
        fields = [
            "id",
            "pupil_id",
            "upn",
            "forename",
            "surname",
            "date_of_birth",
            "sex",
            "urn",
            "year_group",
            "disadvantaged",
            "sen",
            "sen_primary_need",
            "eal",
            "looked_after",
            "ethnicity",
        ]


class ClassSerializer(Described):
    urn = urn_field("academy.urn")
    teacher = serializers.CharField(
        source="teacher_label", read_only=True, help_text="The class teacher's name."
    )
    descriptions = {"id": "The class's id in trustlens.", "class_id": "The trust's own class id."}

    class Meta:
        model = TeachingGroup
        fields = [
            "id",
            "urn",
            "class_id",
            "name",
            "academic_year",
            "subject",
            "year_group",
            "teacher",
        ]


class ActivitySerializer(Described):
    urn = urn_field("academy.urn")

    class Meta:
        model = Activity
        fields = [
            "id",
            "urn",
            "kind",
            "title",
            "scheduled_on",
            "status",
            "subject",
            "year_group",
            "review_stage",
            "rating",
            "focus",
        ]


class FindingSerializer(Described):
    urn = urn_field("activity.academy.urn")
    area = serializers.CharField(
        source="area.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The framework area (empty if none).",
    )
    descriptions = {"activity": "Id of the QA activity that found it."}

    class Meta:
        model = Finding
        fields = ["id", "urn", "activity", "area", "kind", "text", "recorded_at"]
        read_only_fields = ["id", "activity", "recorded_at"]


class FindingEdit(Described):
    class Meta:
        model = Finding
        fields = ["kind", "text"]


class PrioritySerializer(Described):
    class Meta:
        model = Priority
        fields = ["id", "theme", "title", "rationale", "rag", "order"]


class PlanSerializer(Described):
    urn = urn_field("academy.urn")
    priorities = PrioritySerializer(many=True, read_only=True, help_text="The plan's priorities.")

    class Meta:
        model = Plan
        fields = [
            "id",
            "urn",
            "title",
            "academic_year",
            "status",
            "summary",
            "created_at",
            "priorities",
        ]


class ActionSerializer(Described):
    urn = urn_field("academy.urn")
    descriptions = {
        "finding": "Id of the QA finding it follows from (null if none).",
        "priority": "Id of the plan priority it serves (null if none).",
        "objective": "Id of the plan objective it serves (null if none).",
        "owner": "Id of the user who owns it (null if nobody yet).",
    }

    class Meta:
        model = Action
        fields = [
            "id",
            "urn",
            "title",
            "detail",
            "owner",
            "due_on",
            "status",
            "finding",
            "priority",
            "objective",
            "completed_on",
            "created_at",
        ]
        read_only_fields = ["id", "completed_on", "created_at"]


class ActionEdit(Described):
    """A new action (urn names its academy) or the fields of an existing one to change."""

    urn = serializers.IntegerField(write_only=True, help_text="URN of the action's academy.")

    class Meta:
        model = Action
        fields = ["urn", "title", "detail", "due_on", "status"]


class SupportSerializer(Described):
    urn = urn_field("academy.urn")
    provider_urn = serializers.IntegerField(
        source="provider_academy.urn",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="URN of the academy giving the support, when an academy gives it.",
    )

    class Meta:
        model = Support
        fields = [
            "id",
            "urn",
            "provider",
            "provider_urn",
            "provider_name",
            "description",
            "status",
            "requested_on",
            "starts_on",
            "ends_on",
            "days",
            "cost",
            "stage_at_request",
            "outcome",
        ]


def visible_urns(user: Any, academies: Any) -> list[int]:
    """URNs of ``academies`` (prefetched through ``restrict(user)``) the user's scope covers."""
    seen = scope_of(user).academy_ids
    return sorted(a.urn for a in academies.all() if a.pk in seen)


class InterventionSerializer(Described):
    urns = serializers.SerializerMethodField(
        help_text="URNs of the academies it runs in that you can see."
    )

    class Meta:
        model = Intervention
        fields = [
            "id",
            "urns",
            "intervention_id",
            "name",
            "programme",
            "aim",
            "success_measures",
            "subject",
            "scale",
            "pre_year",
            "pre_term",
            "post_year",
            "post_term",
            "start_date",
            "end_date",
            "cost_fixed",
            "cost_per_pupil",
        ]

    def get_urns(self, obj: Intervention) -> list[int]:
        return visible_urns(self.context["request"].user, obj.academies)


class EvaluationSerializer(Described):
    descriptions = {
        "intervention": "Id of the intervention evaluated.",
        "effect_size": "Effect size (Hedges' g) against the comparison group.",
        "ci_low": "Lower end of the effect size's 95% confidence interval.",
        "ci_high": "Upper end of the effect size's 95% confidence interval.",
        "months": "Months of additional progress (EEF conversion).",
    }

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "intervention",
            "comparison",
            "computed_at",
            "design",
            "n_registered",
            "n_intervention",
            "n_comparison",
            "effect_size",
            "ci_low",
            "ci_high",
            "months",
            "cost_per_pupil",
            "cost_per_month",
            "verdict",
            "summary",
        ]
