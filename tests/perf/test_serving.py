"""Serving: compressed pages, the fragment cache (per trust, audience, data version), Gunicorn."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys

import pytest
from django.core.cache import cache

from trustlens.cli.system import GUNICORN_CONFIG, gunicorn_command
from trustlens.config import gunicorn as gunicorn_settings
from trustlens.core import fragments, hooks


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_pages_are_compressed_for_clients_that_accept_gzip(client):
    plain = client.get("/accounts/login/")
    packed = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    page = gzip.decompress(packed.content)  # the same page (its CSRF token masked anew)
    assert page.startswith(b"<!DOCTYPE html>") and len(page) == len(plain.content)
    assert len(packed.content) < len(plain.content) / 2


def test_a_fragment_is_built_once_per_trust_audience_and_data_version():
    calls = []

    def build(label):
        return lambda: calls.append(label) or f"<table>{label}</table>"

    first = fragments.cached_fragment("overview", trust="t1", audience="exec", build=build("a"))
    again = fragments.cached_fragment("overview", trust="t1", audience="exec", build=build("b"))
    assert first == again == "<table>a</table>" and calls == ["a"]
    other_audience = fragments.cached_fragment(
        "overview", trust="t1", audience="trustee", build=build("c")
    )
    other_trust = fragments.cached_fragment(
        "overview", trust="t2", audience="exec", build=build("d")
    )
    assert (other_audience, other_trust) == ("<table>c</table>", "<table>d</table>")
    assert calls == ["a", "c", "d"]


def test_an_import_or_store_rewrite_retires_the_trusts_fragments_only():
    built = []
    make = lambda: built.append(1) or len(built)  # noqa: E731
    assert fragments.cached_fragment("o", trust="t1", audience="x", build=make) == 1
    assert fragments.cached_fragment("o", trust="t2", audience="x", build=make) == 2
    fragments.bump_on_signal(sender=None, trust_slug="t1")
    assert fragments.cached_fragment("o", trust="t1", audience="x", build=make) == 3
    assert fragments.cached_fragment("o", trust="t2", audience="x", build=make) == 2
    fragments.bump_on_signal(sender=None, trust_slug="t2", from_scratch=True)
    assert fragments.cached_fragment("o", trust="t2", audience="x", build=make) == 4
    for signal in (hooks.after_import, hooks.store_rewritten):  # connected by CoreConfig.ready
        assert fragments.bump_on_signal in [entry[1]() for entry in signal.receivers]


def test_data_versions_only_move_forward():
    before = fragments.data_version("t1")
    assert fragments.bump_data_version("t1") > before
    assert fragments.data_version("t1") > before


def test_gunicorn_workers_come_from_the_cpu_count():
    assert gunicorn_settings.default_workers(2) == 5
    assert gunicorn_settings.default_workers(8) == 17
    cpus = len(os.sched_getaffinity(0))
    if not os.environ.get("WEB_CONCURRENCY"):
        assert gunicorn_settings.workers == 2 * cpus + 1
    assert gunicorn_settings.worker_class == "gthread"


def test_serve_production_runs_gunicorn_with_the_config_module_and_production_settings(
    monkeypatch,
):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    command = gunicorn_command("127.0.0.1", 8123, workers=3)
    assert command[1:5] == ["-m", "gunicorn", "-c", GUNICORN_CONFIG]
    assert command[-1] == "trustlens.config.wsgi:application"
    assert command[5:7] == ["--bind", "127.0.0.1:8123"] and command[7:9] == ["--workers", "3"]
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "trustlens.config.settings.production"


def test_gunicorn_accepts_the_config_and_loads_the_app(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustlens.config.settings.production",
        "SECRET_KEY": "x" * 50,
        "TRUSTLENS_DATA_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", GUNICORN_CONFIG]
        + ["trustlens.config.wsgi:application"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
