"""What the imports and tokens endpoints take and return: every field described."""

from __future__ import annotations

from rest_framework import serializers

from trustlens.api.models import ApiToken
from trustlens.api.serializers import Described


class ImportSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The import's id.")
    status = serializers.CharField(
        help_text="ready (validated, awaiting confirmation), invalid, loaded or failed."
    )
    created_at = serializers.DateTimeField(help_text="When it was uploaded.")
    committed_at = serializers.DateTimeField(allow_null=True, help_text="When it was loaded.")
    file_names = serializers.ListField(child=serializers.CharField(), help_text="Files uploaded.")
    datasets = serializers.ListField(child=serializers.CharField(), help_text="Datasets found.")
    urns = serializers.ListField(
        child=serializers.IntegerField(), help_text="URNs of the academies it touches."
    )
    rows = serializers.IntegerField(help_text="Rows read.")
    error_count = serializers.IntegerField(help_text="Validation errors found.")
    summary = serializers.CharField(help_text="One line on the outcome.")
    report = serializers.DictField(help_text="The validation report: errors, warnings, preview.")


class ImportUpload(serializers.Serializer):
    trust = serializers.SlugField(help_text="Slug of the trust to import into.")
    files = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="The data-standard CSV files (docs/data-standard.md).",
    )


class TokenSerializer(Described):
    descriptions = {
        "id": "The token's id (to revoke it).",
        "created_at": "When it was issued.",
        "revoked_at": "When it was revoked (null while it is live).",
        "last_used_at": "When it was last used, to the minute (null if never).",
    }

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]


class NewToken(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="What the token is for.")
    days = serializers.IntegerField(
        min_value=1, max_value=366, default=90, help_text="How many days it lasts (1 to 366)."
    )


class IssuedTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The token: shown this once only.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
