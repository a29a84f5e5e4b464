"""The Content-Security-Policy does not break the app's own pages: Chromium reports no violation
(no refused script, style or image) on the sign-in page, the dashboards (charts, htmx) and the
account pages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.browser.test_dashboards import seeded  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGES = ("/schools/", "/schools/academy/190002/", "/imports/", "/accounts/two-factor/")


def watch(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_no_page_breaks_the_content_security_policy(seeded, live_server, browser_page):  # noqa: F811
    page = browser_page
    refused = watch(page)
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    login(page, live_server, "dash_exec")
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
    assert page.evaluate("typeof window.htmx") == "object"  # the static script ran
    assert refused == []
