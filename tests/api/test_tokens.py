"""API tokens: stored hashed, expire, can be revoked; no token is 401 JSON, never the login page;
the CLI prints a working token on its last line; throttling counts per token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient
from typer.testing import CliRunner

from trustlens.api.models import ApiToken
from trustlens.api.services import digest_of, issue_token, revoke_token
from trustlens.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ACADEMIES = "/api/v1/academies/"


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_the_digest_is_stored_and_the_prefix_is_shown(head_a):
    issued = issue_token(head_a, "Power BI", days=30)
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert stored.digest == digest_of(issued.secret) != issued.secret
    assert issued.secret not in {stored.digest, stored.prefix, stored.name}
    assert issued.secret.startswith(stored.prefix) and len(stored.prefix) == 10
    assert len(issued.secret) > 40
    delta = stored.expires_at - timezone.now()
    assert dt.timedelta(days=29, hours=23) < delta <= dt.timedelta(days=30)
    assert AuditEvent.objects.filter(object_type="api.apitoken", user=head_a).exists()


def test_a_token_acts_as_its_user(world, head_a):
    response = bearer(issue_token(head_a).secret).get(ACADEMIES)
    assert response.status_code == 200
    assert [a["urn"] for a in response.json()["results"]] == [world.academy_a.urn]


@pytest.mark.parametrize("path", [ACADEMIES, "/api/v1/pupils/", "/api/v1/measures/"])
def test_no_token_is_401_json_not_a_redirect(world, path):
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer tl_not-a-real-token", "Bearer ", "Basic abc"])
def test_a_bad_token_is_401(world, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(ACADEMIES).status_code == 401


def test_an_expired_token_is_refused(head_a):
    issued = issue_token(head_a)
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert bearer(issued.secret).get(ACADEMIES).status_code == 401


def test_a_revoked_token_is_refused_and_revoking_is_audited(head_a):
    issued = issue_token(head_a)
    client = bearer(issued.secret)
    assert client.get(ACADEMIES).status_code == 200
    response = client.delete(f"/api/v1/tokens/{issued.token.pk}/")
    assert response.status_code == 204
    assert client.get(ACADEMIES).status_code == 401
    assert AuditEvent.objects.filter(summary__contains="revoked", user=head_a).count() == 1


def test_nobody_revokes_another_users_token(head_a, datamanager_a):
    theirs = issue_token(datamanager_a).token
    response = bearer(issue_token(head_a).secret).delete(f"/api/v1/tokens/{theirs.pk}/")
    assert response.status_code == 404
    with pytest.raises(Exception, match="own tokens"):
        revoke_token(head_a, theirs)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_token_of_an_inactive_user_is_refused(head_a):
    issued = issue_token(head_a)
    head_a.is_active = False
    head_a.save()
    assert bearer(issued.secret).get(ACADEMIES).status_code == 401


@pytest.mark.parametrize(
    ("days", "name", "field"), [(0, "x", "days"), (400, "x", "days"), (5, "  ", "name")]
)
def test_bad_token_requests_name_the_field(head_a, days, name, field):
    with pytest.raises(ValidationError) as raised:
        issue_token(head_a, name, days)
    assert field in raised.value.message_dict


def test_tokens_endpoint_issues_one_shown_once(head_a):
    client = bearer(issue_token(head_a).secret)
    made = client.post("/api/v1/tokens/", {"name": "warehouse", "days": 7}, format="json")
    assert made.status_code == 201
    secret = made.json()["token"]
    assert bearer(secret).get(ACADEMIES).status_code == 200
    listed = client.get("/api/v1/tokens/").json()
    assert {t["name"] for t in listed} == {"API", "warehouse"}
    assert all("token" not in t and "digest" not in t for t in listed)


def test_cli_prints_a_working_token_on_its_last_line(world, head_a):
    from trustlens.cli import build_app

    result = CliRunner().invoke(build_app(), ["api-token", "head_a", "--days", "3"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("tl_")
    assert bearer(secret).get(ACADEMIES).status_code == 200
    token = ApiToken.objects.get(digest=digest_of(secret))
    assert dt.timedelta(days=2) < token.expires_at - timezone.now() <= dt.timedelta(days=3)


def test_cli_refuses_an_unknown_user(world):
    from trustlens.cli import build_app

    result = CliRunner().invoke(build_app(), ["api-token", "nobody_here"])
    assert result.exit_code == 1


def test_throttling_counts_each_token_separately(world, head_a):
    from django.core.cache import cache

    cache.clear()
    rates = {"api_token": "3/minute"}
    first, second = bearer(issue_token(head_a).secret), bearer(issue_token(head_a).secret)
    with override_settings(REST_FRAMEWORK={**_drf(), "DEFAULT_THROTTLE_RATES": rates}):
        codes = [first.get(ACADEMIES).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert second.get(ACADEMIES).status_code == 200
    cache.clear()


def _drf() -> dict:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)


def test_the_browser_session_works_and_its_writes_need_the_csrf_token(world, head_a):
    """Session auth for the browser: reads as on the pages; a write without the CSRF token is
    refused (a token-authenticated client needs none: it sends no cookie)."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(head_a)
    listed = client.get(ACADEMIES)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    refused = client.post("/api/v1/tokens/", {"name": "x", "days": 1}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert not ApiToken.objects.filter(user=head_a).exists()
