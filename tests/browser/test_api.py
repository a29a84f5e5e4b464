"""The API reference page in Debian Chromium: a headteacher signs in, opens /api/v1/docs/ and
reads the operations and the fields of a record; no request leaves the server (the page must
work offline) and the Content-Security-Policy reports nothing. Screenshots:
tests/browser/screenshots/api-reference*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_reference_renders_offline(world, head_a, live_server, browser_page):
    page = browser_page
    outside, problems = [], []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.on(
        "request",
        lambda req: None if req.url.startswith(live_server.url) else outside.append(req.url),
    )
    login(page, live_server, "head_a")
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="trustlens API 1.0.0").is_visible()
    table = page.get_by_role("table", name="Every operation of the API")
    assert table.get_by_role("link", name="/api/v1/measures/").is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-reference.png"))
    page.get_by_role("link", name="/api/v1/measures/").click()
    fields = page.get_by_role("table", name="Fields of MeasureRow")
    fields.scroll_into_view_if_needed()
    assert "Lower end of the 95% confidence interval" in fields.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "api-reference-fields.png"))
    assert not outside, outside
    assert missing == []  # every resource of the page loaded (the browser's own favicon
    # request is not a page resource: it shows only as a console "Failed to load resource")
    assert not [p for p in problems if "Failed to load resource" not in p], problems
