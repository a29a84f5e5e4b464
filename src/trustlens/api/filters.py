"""Filtering by academy (``urn``), academic year and term: one backend, paths per view.

A view sets ``filter_paths = {"urn": "academy__urn", "academic_year": "academic_year"}``; only
the names it maps are offered (and documented in the schema). Filters narrow the already
restricted queryset, so they can never widen what a user sees.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from trustlens.core.choices import Term

YEAR = re.compile(r"^\d{4}/\d{2}$")
DESCRIPTIONS = {
    "urn": "Only records of the academy with this URN.",
    "academic_year": 'Only this academic year, e.g. "2024/25".',
    "term": "Only this term: autumn, spring or summer.",
}
SCHEMAS = {
    "urn": {"type": "integer", "minimum": 1},
    "academic_year": {"type": "string", "pattern": YEAR.pattern},
    "term": {"type": "string", "enum": list(Term.values)},
}


def clean(name: str, value: str) -> Any:
    """The filter's value, or 400 naming the parameter and the reason."""
    if name == "urn":
        if not value.isdigit():
            raise exceptions.ValidationError({"urn": "A URN is a whole number."})
        return int(value)
    if name == "academic_year" and not YEAR.match(value):
        raise exceptions.ValidationError({"academic_year": 'Write the year as "2024/25".'})
    if name == "term" and value not in Term.values:
        raise exceptions.ValidationError({"term": "Choose autumn, spring or summer."})
    return value


class RecordFilter(BaseFilterBackend):
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        for name, path in getattr(view, "filter_paths", {}).items():
            value = request.query_params.get(name)
            if value not in (None, ""):
                queryset = queryset.filter(**{path: clean(name, value)})
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": DESCRIPTIONS[name],
                "schema": SCHEMAS[name],
            }
            for name in getattr(view, "filter_paths", {})
        ]
