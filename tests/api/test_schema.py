"""The OpenAPI 3 schema (YAML and ``?format=json``) describes every field and parameter; the
reference page at /api/v1/docs/ renders from it on the server, with no script from elsewhere
(the Content-Security-Policy allows only the app's own), so it works offline."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(world, head_a) -> dict:
    response = token_client(head_a).get("/api/v1/schema/?format=json")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    return response.json()


def test_yaml_and_json_give_the_same_openapi_3_schema(schema, head_a):
    response = token_client(head_a).get("/api/v1/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content) == schema
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def _undescribed(name: str, body: dict) -> list[str]:
    props = body.get("properties", {})
    return [f"{name}.{field}" for field, prop in props.items() if not prop.get("description")]


def test_every_field_and_parameter_is_described(schema):
    missing = []
    for name, body in schema["components"]["schemas"].items():
        missing += _undescribed(name, body)
    for path, item in schema["paths"].items():
        for method, op in item.items():
            missing += [
                f"{method} {path} ?{p['name']}"
                for p in op.get("parameters", [])
                if not p.get("description")
            ]
            assert op.get("description"), f"{method} {path} has no description"
    assert not missing, "\n".join(missing)


def test_every_operation_documents_its_errors(schema):
    for item in schema["paths"].values():
        for op in item.values():
            assert {"401", "403", "404"} <= set(op["responses"])


def test_the_reference_page_renders_offline(world, client_for, head_a, schema):
    page = client_for(head_a).get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert "cdn" not in html.lower() and "<script>" not in html
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in html
    assert "URN of the academy this record belongs to" in html
    assert "<caption>" in html and 'scope="col"' in html
