"""A database that stops answering gives a clear 503 page (no traceback), and the next request
after it answers again is served normally, without restarting anything.

Simulated here by making the connection's cursor raise ``OperationalError`` for one request
(as psycopg does for "connection refused" / "server closed the connection"); the real drill
against a throwaway PostgreSQL cluster is ``scripts/db_outage_drill.py``.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
DOWN = "The database is not answering"


@pytest.fixture
def signed_in(exec_user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(exec_user)
    return client


def _cursor_raising(error: Exception):
    return mock.patch.object(connection, "cursor", side_effect=error)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection to server at 127.0.0.1, port 5432 failed: refused"),
        InterfaceError("connection already closed"),
    ],
)
def test_database_down_gives_503_then_recovers(world, signed_in, error):
    url = reverse("pupils:list")
    with _cursor_raising(error):
        down = signed_in.get(url)
    page = down.content.decode()
    assert down.status_code == 503 and down["Retry-After"] == "60"
    assert DOWN in page and "Try again in a minute" in page
    assert "Traceback" not in page and "5432" not in page and "Alicea" not in page
    assert down["Cache-Control"] == "private, no-store"
    back = signed_in.get(url)
    assert back.status_code == 200 and "Aardvarkson" in back.content.decode()


def test_database_error_inside_a_view_is_503_too(world, signed_in):
    """Raised by the view's own query (the session lookup already succeeded)."""
    target = "trustlens.pupils.views.pupil_services.visible_pupils"
    with mock.patch(target, side_effect=OperationalError("server closed the connection")):
        down = signed_in.get(reverse("pupils:list"))
    assert down.status_code == 503 and DOWN in down.content.decode()
    assert signed_in.get(reverse("pupils:list")).status_code == 200


def test_other_errors_stay_500_with_a_plain_page(world, signed_in):
    target = "trustlens.pupils.views.pupil_services.visible_pupils"
    with mock.patch(target, side_effect=ValueError("a bug")):
        broken = signed_in.get(reverse("pupils:list"))
    page = broken.content.decode()
    assert broken.status_code == 500 and "Something went wrong" in page
    assert DOWN not in page and "a bug" not in page


def test_persistent_connections_are_health_checked(settings):
    """So a connection the database dropped while idle is replaced, not failed on."""
    from trustlens.config.settings.base import database_config

    with mock.patch.dict("os.environ", {"DATABASE_URL": "postgres://u@localhost:5432/db"}):
        config = database_config()
    assert config["CONN_HEALTH_CHECKS"] is True and config["CONN_MAX_AGE"] == 60
