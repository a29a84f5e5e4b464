"""Every page, every role (issue 22): sign in as each demo login of a small synthetic trust and
walk every page reachable from the navigation, breadth-first and bounded, holding each page to
one bar (tests/browser/walk/checks.py): status 200, no console error or uncaught exception, no
link or form to a page the same user gets 403/404 from, axe-core (WCAG 2.2 AA) without serious
or critical violations, no ``nan``/``None``/``-0``/template syntax in the visible text, no pupil
identifier on a trustee's page, HTML and warm server time within budget.

Every failure of the whole walk is collected and asserted once, so one run lists every defect.
Outputs: tests/browser/screenshots/walk/<role>/*.png, tests/browser/screenshots/walk/report.json
(exact sizes and times per page, and the URL patterns each role never reached) and a summary
table on the terminal. Marked ``walk``: the PostgreSQL pass of ``make test`` deselects it.

Run alone: ``pytest tests/browser/test_walk.py``. Knobs (environment): TRUSTLENS_WALK_ROLES
(comma-separated), _MAX_PAGES (80 a role), _PER_PATTERN (2 pages of one URL pattern a role),
_LINK_SAMPLE (10 new links of one pattern requested per page; 0 = every link), _WORKERS (2
roles at a time), _HTML_KB (150) and _SERVER_MS (600, twice the 300 ms target) budgets.
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, SCREENSHOTS, launch_chromium, login
from tests.browser.walk import report, trust
from tests.browser.walk.crawler import Walker
from tests.browser.walk.urlconf import app_patterns

pytestmark = [pytest.mark.browser, pytest.mark.walk, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "walk"
MAX_PAGES = int(os.environ.get("TRUSTLENS_WALK_MAX_PAGES", 80))
PER_PATTERN = int(os.environ.get("TRUSTLENS_WALK_PER_PATTERN", 2))
LINK_SAMPLE = int(os.environ.get("TRUSTLENS_WALK_LINK_SAMPLE", 10))
#: Roles walked at a time (threads): the browser's work and the server's overlap on two cores.
WORKERS = int(os.environ.get("TRUSTLENS_WALK_WORKERS", 2))
ROLES = tuple(os.environ.get("TRUSTLENS_WALK_ROLES", ",".join(trust.ROLES)).split(","))


@pytest.fixture(scope="session")
def synth_folder(tmp_path_factory):
    """``trustlens synth --academies 4``, once per session."""
    return trust.generate(tmp_path_factory.mktemp("walk") / "synth")


@pytest.fixture
def walk_trust(synth_folder, settings, tmp_path):
    """The trust imported (its analytical store in this test's own temporary STORE_DIR), the
    demo logins and the demo workflow records; returns the logins and the pupils' identifiers."""
    settings.STORE_DIR = tmp_path / "store"
    logins = trust.load(synth_folder)
    assert set(ROLES) <= set(logins), f"demo-users made {logins}"
    return trust.pupil_identifiers(synth_folder, trust.adult_names())


def _walk_role(role, live_server, pupils, contrast_checked):
    """One role's walk in its own thread: its own Playwright, browser and database connection."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                return _walk_in(browser, role, live_server, pupils, contrast_checked)
            finally:
                browser.close()
    finally:
        connections.close_all()


def _walk_in(browser, role, live_server, pupils, contrast_checked):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20000)
    login(page, live_server, role, trust.PASSWORD)
    assert "/accounts/login/" not in page.url, f"{role} could not sign in"
    walker = Walker(
        role,
        page,
        live_server.url,
        SHOTS,
        max_pages=MAX_PAGES,
        per_pattern=PER_PATTERN,
        link_sample=LINK_SAMPLE,
        contrast_checked=contrast_checked,
        pupils=pupils if role == "trustee" else None,
    )
    walk = walker.run("/")
    context.close()
    return walk


def test_every_page_every_role_holds_the_bar(walk_trust, live_server, capsys):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    shutil.rmtree(SHOTS, ignore_errors=True)
    patterns = app_patterns()
    contrast_checked: set[str] = set()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        walks = list(
            pool.map(lambda r: _walk_role(r, live_server, walk_trust, contrast_checked), ROLES)
        )
    report.write_json(SHOTS / "report.json", walks, patterns)
    failures = report.failure_list(walks)
    with capsys.disabled():
        print("\n" + report.summary_table(walks, patterns))
        print("\nURL patterns never walked, per role:\n" + report.unreached_list(walks, patterns))
        print(f"\nReport: {SHOTS / 'report.json'}")
    assert all(len(w.pages) > 1 for w in walks), "a role's walk opened no page beyond home"
    assert not any(w.failures for w in walks), f"The walk found defects:\n{failures}"
