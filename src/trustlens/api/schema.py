"""Schema post-processing: path parameters described, and the error answers every operation can give, documented once.

drf-spectacular documents the success responses; this adds 400 (bad input, naming the field),
401 (no or bad token), 403 (your role may not), 404 (not in your scope) and 429 (too many
requests for this token) with the ``Error`` body, so clients and contract tests know them.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer tl_...`` (``trustlens api-token USER``) in the schema."""

    target_class = "trustlens.api.authentication.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from `trustlens api-token USER` or POST /api/v1/tokens/.",
        }


ERRORS = {
    "400": "Bad input: each field named with the reasons.",
    "401": "No token, or a token that is unknown, expired or revoked.",
    "403": "Your role may not do this (e.g. pupil-level data for trustees).",
    "404": "No such record in your scope.",
    "429": "Too many requests for this token: wait and retry (Retry-After).",
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "An error: ``detail`` for one message, else field name -> list of reasons.",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong."},
    },
    "additionalProperties": {
        "description": "Reasons for one field.",
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object"},
        ],
    },
}


PATH_TEXT = {"urn": "The academy's URN (GIAS unique reference number)."}


def _describe_path_parameters(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and not parameter.get("description"):
            name = parameter["name"]
            kind = name.removesuffix("_id").removesuffix("_pk").replace("_", " ")
            parameter["description"] = PATH_TEXT.get(name, f"The {kind}'s id (from its list).")


def add_errors(result: dict, generator: Any, request: Any, public: bool) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            _describe_path_parameters(operation)
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
                responses.setdefault(
                    code, {"description": text, "content": {"application/json": {"schema": ref}}}
                )
    return result
