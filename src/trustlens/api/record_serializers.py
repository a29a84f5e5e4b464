"""What the people, framework, practice and network endpoints return: every field described.

Coaching is exposed as pairs only (who coaches whom, since when, with which model): the focus,
action steps and private notes of sessions stay on the pages (trustlens.development.views.coaching).
A deviation's narrative is withheld from aggregate-only users (trustees), as on the deviations page.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from trustlens.api.figure_serializers import NumberOrSuppressed
from trustlens.api.serializers import Described, urn_field
from trustlens.core.access import summary_only
from trustlens.development.models import CoachingPair, Deployment, Expertise, Need, StaffMember
from trustlens.governance.models import Deviation, Domain, Round, Version
from trustlens.practice.models import PracticeProfile

TRUST = "The trust's short name (slug)."


class StaffSerializer(Described):
    urn = urn_field("academy.urn")

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "urn",
            "staff_ref",
            "name",
            "job_title",
            "is_leader",
            "days_available",
            "consent_to_deploy",
        ]


class ExpertiseSerializer(Described):
    urn = urn_field("staff.academy.urn")
    descriptions = {
        "staff": "Id of the member of staff (see /api/v1/people/staff/).",
        "finding": "Id of a QA finding that shows it (null if none).",
    }

    class Meta:
        model = Expertise
        fields = [
            "id",
            "urn",
            "staff",
            "area",
            "topic",
            "level",
            "accreditation",
            "evidence",
            "finding",
        ]


class NeedSerializer(Described):
    urn = urn_field("academy.urn")
    descriptions = {
        "priority": "Id of the improvement priority it comes from (null if none).",
        "finding": "Id of the QA finding it comes from (null if none).",
        "support": "Id of the support request it comes from (null if none).",
    }

    class Meta:
        model = Need
        fields = [
            "id",
            "urn",
            "title",
            "area",
            "topic",
            "level_needed",
            "days_needed",
            "detail",
            "priority",
            "finding",
            "support",
            "status",
            "raised_on",
        ]


class DeploymentSerializer(Described):
    urn = urn_field("to_academy.urn")
    from_urn = serializers.IntegerField(
        source="from_academy.urn",
        read_only=True,
        help_text="URN of the academy the member of staff comes from (gives the time).",
    )
    staff_name = serializers.CharField(
        source="staff.name", read_only=True, help_text="The deployed member of staff's name."
    )
    descriptions = {
        "urn": "URN of the academy that receives the deployment (the record belongs to it).",
        "staff": "Id of the deployed member of staff.",
        "need": "Id of the need it meets (null if none).",
        "priority": "Id of the improvement priority it serves (null if none).",
    }

    class Meta:
        model = Deployment
        fields = [
            "id",
            "urn",
            "from_urn",
            "staff",
            "staff_name",
            "need",
            "priority",
            "purpose",
            "starts_on",
            "ends_on",
            "days",
            "cost",
            "backfill_by",
            "backfill_cost",
            "backfill_paid_by",
            "status",
            "outcome",
            "impact_review",
        ]


class CoachingPairSerializer(Described):
    urn = urn_field("coachee.academy.urn")
    coach_urn = serializers.IntegerField(
        source="coach.academy.urn", read_only=True, help_text="URN of the coach's academy."
    )
    coach_name = serializers.CharField(
        source="coach.name", read_only=True, help_text="The coach's name."
    )
    coachee_name = serializers.CharField(
        source="coachee.name", read_only=True, help_text="The coachee's name."
    )
    coaching_model = serializers.CharField(
        source="model.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The trust's coaching model the pair follows (null if none).",
    )
    descriptions = {
        "urn": "URN of the coachee's academy (the record belongs to it).",
        "coach": "Id of the coach (a member of staff).",
        "coachee": "Id of the coachee (a member of staff).",
        "active": "Whether the pair is still working together.",
    }

    class Meta:
        model = CoachingPair
        fields = [
            "id",
            "urn",
            "coach",
            "coach_name",
            "coach_urn",
            "coachee",
            "coachee_name",
            "coaching_model",
            "started_on",
            "active",
        ]


class VersionSerializer(Described):
    class Meta:
        model = Version
        fields = [
            "id",
            "phase",
            "number",
            "stance",
            "fixed",
            "rationale",
            "evidence",
            "impact",
            "effective_from",
            "adopted_on",
        ]


class DomainSerializer(Described):
    trust = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text=TRUST)
    versions = VersionSerializer(
        many=True,
        read_only=True,
        help_text="Adopted versions of each phase's stance, oldest first.",
    )
    descriptions = {
        "code": "The domain's short code.",
        "name": "The domain of practice, e.g. curriculum, behaviour, assessment.",
        "order": "Its place in the matrix.",
    }

    class Meta:
        model = Domain
        fields = ["id", "trust", "code", "name", "order", "versions"]


NARRATIVE = "Withheld (null) for aggregate-only roles such as trustees."


class DeviationSerializer(Described):
    urn = urn_field("academy.urn")
    domain = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Code of the matrix domain it departs from."
    )
    reason = serializers.SerializerMethodField(help_text=f"Why the academy asks. {NARRATIVE}")
    conditions = serializers.SerializerMethodField(
        help_text=f"Conditions attached to it. {NARRATIVE}"
    )
    decision_note = serializers.SerializerMethodField(
        help_text=f"The decision's reasoning. {NARRATIVE}"
    )

    class Meta:
        model = Deviation
        fields = [
            "id",
            "urn",
            "domain",
            "status",
            "review_on",
            "requested_at",
            "decided_on",
            "reason",
            "conditions",
            "decision_note",
        ]

    def _narrative(self, value: str) -> str | None:
        return None if summary_only(self.context["request"].user) else value

    def get_reason(self, obj: Deviation) -> str | None:
        return self._narrative(obj.reason)

    def get_conditions(self, obj: Deviation) -> str | None:
        return self._narrative(obj.conditions)

    def get_decision_note(self, obj: Deviation) -> str | None:
        return self._narrative(obj.decision_note)


class AreaMean(serializers.Serializer):
    area = serializers.CharField(help_text="The framework's area.")
    mean = serializers.FloatField(
        allow_null=True, help_text="Mean item score in the area this round (null: none scored)."
    )


class RoundSerializer(Described):
    trust = serializers.SlugRelatedField(
        source="framework.trust", slug_field="slug", read_only=True, help_text=TRUST
    )
    framework = serializers.CharField(
        source="framework.name", read_only=True, help_text="The self-evaluation framework."
    )
    area_means = serializers.SerializerMethodField(help_text="Mean score per area this round.")
    descriptions = {"title": "The round's title.", "held_on": "When the review was held."}

    class Meta:
        model = Round
        fields = ["id", "trust", "framework", "title", "held_on", "area_means"]

    @staticmethod
    def get_area_means(obj: Round) -> list[dict[str, Any]]:
        from trustlens.governance.selfeval import area_means

        return [{"area": a.area, "mean": a.means[0]} for a in area_means([obj])]


class ProfileSerializer(Described):
    urn = urn_field("academy.urn")
    descriptions = {
        "score": "Mean score on the area (1 to 5).",
        "respondents": "Respondents (shown only from 5).",
        "area": "The area of practice.",
    }

    class Meta:
        model = PracticeProfile
        fields = ["id", "urn", "academic_year", "area", "score", "respondents", "source"]


class NetworkSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The network's short name (used in its URLs).")
    name = serializers.CharField(help_text="The network's name.")
    description = serializers.CharField(help_text="What the network is for.")
    members = serializers.ListField(
        child=serializers.CharField(), help_text="Names of the current member trusts."
    )
    as_trust = serializers.CharField(
        allow_null=True, help_text="The member trust you see it as (null for a partner)."
    )
    measures = serializers.ListField(
        child=serializers.CharField(), help_text="Measures you may ask a benchmark of."
    )


class BenchmarkRow(serializers.Serializer):
    trust = serializers.CharField(allow_null=True, help_text="The member trust (null: network).")
    urn = serializers.IntegerField(
        allow_null=True, help_text="URN of the academy (null for trust and network rows)."
    )
    academy = serializers.CharField(allow_null=True, help_text="The academy's or row's label.")
    group = serializers.CharField(allow_null=True, help_text="The pupil group.")
    level = serializers.CharField(allow_null=True, help_text="academy, trust, network or national.")
    measure = serializers.CharField(allow_null=True, help_text="What is measured.")
    subject = serializers.CharField(allow_null=True, help_text="The subject, else null.")
    term = serializers.CharField(allow_null=True, help_text="The term, else null.")
    pupils = NumberOrSuppressed(allow_null=True, help_text='Pupils (n); "c" when suppressed.')
    score = NumberOrSuppressed(allow_null=True, help_text='The figure; "c" when suppressed.')
    ci_low = NumberOrSuppressed(allow_null=True, help_text='Lower 95% limit; "c" if suppressed.')
    ci_high = NumberOrSuppressed(allow_null=True, help_text='Upper 95% limit; "c" if suppressed.')


class Benchmark(serializers.Serializer):
    network = serializers.CharField(help_text="The network's slug.")
    measure = serializers.CharField(help_text="The measure benchmarked.")
    year = serializers.CharField(allow_null=True, help_text="The academic year (null: none held).")
    years = serializers.ListField(
        child=serializers.CharField(), help_text="Years any sharing member holds, newest first."
    )
    trusts = serializers.ListField(
        child=serializers.CharField(), help_text="Member trusts whose figures are in it."
    )
    threshold = serializers.IntegerField(help_text="Cells of fewer pupils are suppressed.")
    rows = BenchmarkRow(many=True, help_text="The benchmark rows, suppressed as on the page.")
