"""What the figures and calendar endpoints return (measures rows as the CLI prints them,
headline cells, assessment windows and completeness): every field described."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trustlens.api.serializers import URN, Described
from trustlens.assessment.models import AssessmentWindow


class WindowSerializer(Described):
    trust = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The trust's short name (slug)."
    )

    class Meta:
        model = AssessmentWindow
        fields = ["id", "trust", "academic_year", "term", "opens", "closes"]


class CompletenessCell(serializers.Serializer):
    urn = serializers.IntegerField(help_text=URN)
    academy = serializers.CharField(help_text="The academy's name.")
    academic_year = serializers.CharField(help_text="The window's academic year.")
    term = serializers.CharField(help_text="The window's term.")
    status = serializers.CharField(
        help_text="submitted, late (closed with nothing submitted), open or upcoming."
    )
    rows = serializers.IntegerField(help_text="Assessment result rows held for the window.")
    submitted_at = serializers.DateTimeField(
        allow_null=True, help_text="When the results were last written (null if never)."
    )


FIGURE_TEXT = {
    "urn": "URN of the academy (null for the trust's own rows).",
    "academy": "The academy's name, or the trust's label for trust rows.",
    "academic_year": "The academic year.",
    "level": 'academy, trust, or "trust (MAT measure)" (the DfE multi-academy trust measure).',
    "measure": "What is measured, e.g. progress 8.",
    "subject": "The subject (KS2 progress), else null.",
    "term": "The term for in-year measures, else null.",
    "pupils": "Pupils in the figure (n).",
    "score": 'The figure, in its unit; "c" when suppressed (fewer than 6 pupils).',
    "ci_low": 'Lower end of the 95% confidence interval; "c" when suppressed.',
    "ci_high": 'Upper end of the 95% confidence interval; "c" when suppressed.',
    "band": 'The significance band against the reference; "c" when suppressed.',
    "se": 'Standard error of the score; "c" when suppressed.',
    "unit": "The unit of score and its interval.",
    "flag": "Funnel-plot position at 95% / 99.8% (progress, value added), else null.",
    "method": "How the figure and its interval were made.",
}


def _figure(name: str) -> serializers.Field:
    text = FIGURE_TEXT[name]
    if name in ("score", "ci_low", "ci_high", "se"):
        return NumberOrSuppressed(allow_null=True, help_text=text)
    if name in ("urn", "pupils"):
        return serializers.IntegerField(allow_null=True, help_text=text)
    return serializers.CharField(allow_null=True, help_text=text)


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string", "enum": ["c"]}], "nullable": True}
)
class NumberOrSuppressed(serializers.Field):
    """A number, or the GSS suppression symbol c."""

    def to_representation(self, value: Any) -> Any:
        return value


class MeasureRow(serializers.Serializer):
    """One row of trustlens measure NAME --format json."""

    def get_fields(self) -> dict[str, Any]:
        return {name: _figure(name) for name in FIGURE_TEXT}


class HeadlineCell(serializers.Serializer):
    urn = serializers.IntegerField(help_text=URN)
    measure = serializers.CharField(help_text="The dashboard measure's code.")
    period = serializers.CharField(allow_null=True, help_text="The period of the figure.")
    pupils = serializers.IntegerField(allow_null=True, help_text="Pupils in the figure (n).")
    value = serializers.FloatField(allow_null=True, help_text="The figure (null if withheld).")
    ci_low = serializers.FloatField(allow_null=True, help_text="Lower end of its 95% interval.")
    ci_high = serializers.FloatField(allow_null=True, help_text="Upper end of its 95% interval.")
    band = serializers.CharField(allow_null=True, help_text="Its significance band.")
    rag = serializers.CharField(allow_null=True, help_text="The dashboard's RAG rating.")
    reason = serializers.CharField(allow_null=True, help_text="Why it has that rating.")
