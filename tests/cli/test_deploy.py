"""Production settings pass ``manage check --deploy``; the Content-Security-Policy allows the
app's own pages (no inline script anywhere, each inline style allowed by its hash) and nothing
else."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import trustlens

TRUSTLENS = str(Path(sys.executable).with_name("trustlens"))
TEMPLATES = Path(trustlens.__file__).parent


#: Set by the test session itself (Playwright's browser tests need it), never by a deployment.
TEST_ONLY = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(
        DJANGO_SETTINGS_MODULE="trustlens.config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="trustlens.example.org",
        TRUSTLENS_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [TRUSTLENS, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="trustlens.config.settings.production",
        TRUSTLENS_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [TRUSTLENS, "manage", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stdout + result.stderr


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("templates/**/*.html"))


def test_no_template_has_an_inline_script_or_event_handler():
    for template in _templates():
        text = template.read_text()
        scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        handlers = re.findall(r"\son[a-z]+=\"", text)
        assert not scripts and not handlers, template


def test_every_inline_style_attribute_is_allowed_by_its_hash():
    styles = {s for t in _templates() for s in re.findall(r'style="([^"]*)"', t.read_text())}
    assert styles  # the pages do use a few
    allowed = set(settings.CSP_STYLE_HASHES)
    assert {s: _hash(s) for s in styles if _hash(s) not in allowed} == {}


@pytest.mark.django_db
def test_pages_carry_the_policy_without_unsafe_inline():
    response = Client().get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
