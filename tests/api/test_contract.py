"""Contract test: schemathesis generates requests from the published OpenAPI schema and sends
them to the Django WSGI app with the tokens of a trust executive, a headteacher and a trustee;
every response must be no server error (5xx) and conform to the schema (status documented,
body valid against its schema, content type as documented).

Examples are bounded (``EXAMPLES`` per operation and role) so the run takes a minute or two;
the test prints the number of operations and examples and asserts they were all run.
"""

from __future__ import annotations

import pytest
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from trustlens.api.services import issue_token

pytestmark = pytest.mark.django_db
EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Revoking would end the run's own token; it is tested in test_tokens.py.
SKIPPED = {("DELETE", "/api/v1/tokens/{token_id}/")}


@pytest.fixture
def keep_connection():
    """As Django's test client does: the WSGI handler must not close the test's connection."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def run_operation(operation, headers: dict, counter: list[int]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case) -> None:
        counter[0] += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.parametrize("role", ["exec", "head", "trustee"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    seaward, keep_connection, role, capsys
):
    secret = issue_token(seaward.users[role], "contract").secret
    #: The WSGI transport does not decode gzip (GZipMiddleware): ask for plain bodies.
    headers = {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}
    schema = openapi.from_wsgi(
        "/api/v1/schema/?format=json", get_wsgi_application(), headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    tested, counter = 0, [0]
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        run_operation(operation, headers, counter)
        tested += 1
    with capsys.disabled():
        print(f"\nschemathesis [{role}]: {tested} operations, {counter[0]} examples, 0 failures")
    assert tested >= 25 and counter[0] >= tested
