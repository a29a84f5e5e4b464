"""The API's reference page (``/api/v1/docs/``), rendered on the server from the OpenAPI schema.

drf-spectacular's Swagger UI and Redoc views load their JavaScript from a CDN, which the
Content-Security-Policy (``'self'`` only) refuses and which an offline installation cannot
reach; this page needs neither: every operation with its parameters and every field of every
request and response, with its description, as plain HTML tables (it works without scripts).
The machine-readable schema stays at ``/api/v1/schema/`` for Swagger Editor, Postman or
schemathesis.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _type(prop: dict) -> str:
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "allOf" in prop or "oneOf" in prop:
        parts = prop.get("allOf") or prop.get("oneOf")
        return " or ".join(_type(p) for p in parts)
    if prop.get("type") == "array":
        return f"list of {_type(prop.get('items', {}))}"
    kind = prop.get("type", "any")
    if "enum" in prop:
        return f"{kind}: " + ", ".join(str(v) for v in prop["enum"] if v not in ("", None))
    return kind + (f" ({prop['format']})" if "format" in prop else "")


def components(schema: dict) -> list[dict]:
    """Each schema component with its fields: name, type, description, required."""
    found = []
    for name, body in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(body.get("required", []))
        fields = [
            {
                "name": field,
                "type": _type(prop),
                "description": prop.get("description", ""),
                "required": field in required,
            }
            for field, prop in body.get("properties", {}).items()
        ]
        found.append(
            {
                "name": name,
                "description": body.get("description", ""),
                "fields": fields,
                "enum": body.get("enum"),
            }
        )
    return found


def operations(schema: dict) -> list[dict]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                found.append(_operation(path, method, item[method]))
    return found


def _operation(path: str, method: str, op: dict) -> dict:
    responses = []
    for code, body in op.get("responses", {}).items():
        content = body.get("content", {}).get("application/json", {}).get("schema", {})
        responses.append(
            {
                "code": code,
                "description": body.get("description", ""),
                "type": _type(content) if content else "",
            }
        )
    request_types = [
        f"{kind}: {_type(body.get('schema', {}))}"
        for kind, body in op.get("requestBody", {}).get("content", {}).items()
    ]
    return {
        "id": op.get("operationId", ""),
        "method": method.upper(),
        "path": path,
        "description": op.get("description", ""),
        "parameters": [
            {
                "name": p["name"],
                "in": p["in"],
                "type": _type(p.get("schema", {})),
                "description": p.get("description", ""),
                "required": p.get("required", False),
            }
            for p in op.get("parameters", [])
        ],
        "request": request_types,
        "responses": responses,
    }


def reference(request: HttpRequest) -> HttpResponse:
    schema = api_schema()
    context = {
        "info": schema.get("info", {}),
        "operations": operations(schema),
        "components": components(schema),
    }
    return render(request, "api/reference.html", context)
