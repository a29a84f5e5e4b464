"""Pages with pupil data are never cached, and a sign-in lasts a working day (issue 12, item 16)."""

from __future__ import annotations

import importlib
import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from trustlens.imports.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_store(settings, tmp_path):
    settings.STORE_DIR = tmp_path / "store"
    settings.MEDIA_ROOT = tmp_path / "media"


def no_store(response) -> bool:
    return response["Cache-Control"] == "private, no-store" and not response.has_header("Expires")


def test_pupil_list_page_and_class_page_are_no_store(world, client_for, head_a, teacher_a):
    client = client_for(head_a)
    pupil = world.pupils["A"][0]
    for url in (
        reverse("pupils:list"),
        reverse("pupils:detail", kwargs={"pupil_id": pupil.pupil_id}),
        reverse(
            "dashboards:class", kwargs={"urn": world.academy_a.urn, "class_id": world.class_a.pk}
        ),
    ):
        response = client.get(url)
        assert response.status_code == 200 and no_store(response), url


def test_import_reports_and_exports_are_no_store(
    world, client_for, datamanager_a, exec_user, private_store
):
    run = ImportRun.objects.create(trust=world.trust, created_by=datamanager_a, status="invalid")
    client = client_for(datamanager_a)
    for name in ("imports:run", "imports:report"):
        response = client.get(reverse(name, kwargs={"import_id": run.pk}))
        assert response.status_code == 200 and no_store(response), name
    pack = client_for(exec_user).get(reverse("dashboards:board_pack"), {"format": "xlsx"})
    assert pack.status_code == 200 and no_store(pack)


def test_every_signed_in_page_is_no_store(world, client_for, head_a):
    assert no_store(client_for(head_a).get(reverse("home")))
    assert no_store(client_for(head_a).get(reverse("interventions:library")))


def test_a_session_lasts_a_working_day_and_ends_with_the_browser():
    assert 9 * 3600 <= settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_the_session_length_comes_from_the_environment(monkeypatch):
    import trustlens.config.settings.base as base

    monkeypatch.setitem(os.environ, "TRUSTLENS_SESSION_HOURS", "8")
    monkeypatch.setitem(os.environ, "TRUSTLENS_SESSION_EXPIRE_AT_BROWSER_CLOSE", "N")
    monkeypatch.setitem(os.environ, "TRUSTLENS_LEAVER_RETENTION_YEARS", "6")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.SESSION_COOKIE_AGE == 8 * 3600
        assert reloaded.SESSION_EXPIRE_AT_BROWSER_CLOSE is False
        assert reloaded.LEAVER_RETENTION_YEARS == 6
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_the_login_cookie_expires_at_browser_close(world, head_a):
    client = Client()
    client.post(reverse("login"), {"username": head_a.username, "password": "wrong"})
    head_a.set_password("a-long-test-password")
    head_a.save()
    client.post(reverse("login"), {"username": head_a.username, "password": "a-long-test-password"})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["expires"] and not cookie["max-age"]
