"""The data protection officer's audit log in Debian Chromium, as a DPO would use it.

A headteacher signs in (after one wrong password), opens the pupil list and one pupil's page and
signs out; the trust's DPO then signs in, follows "Audit" in the navigation, reads those events,
filters by the pupil's id, downloads the CSV and a subject access file. Screenshots:
tests/browser/screenshots/audit-*.png (copied to /work/shots/audit/ when that folder exists).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/audit")


def _shot(page, name: str) -> None:
    path = screenshot(page, name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


def _headteacher_reads_a_pupil(page, live_server, pupil) -> None:
    login(page, live_server, "head_a", "not the password")
    assert "did not match" in page.content()
    login(page, live_server, "head_a")
    page.get_by_role("link", name="Pupils", exact=True).first.click()
    page.get_by_role("link", name=f"{pupil.surname}, {pupil.forename}").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_dpo_reads_filters_and_exports_the_audit_log(
    browser_page, live_server, world, head_a, dpo_user, settings, tmp_path
):
    settings.STORE_DIR = tmp_path / "store"
    page = browser_page
    pupil = world.pupils["A"][1]
    _headteacher_reads_a_pupil(page, live_server, pupil)

    login(page, live_server, "dpo_riverside")
    page.get_by_role("link", name="Audit").first.click()
    page.wait_for_load_state("networkidle")
    table = page.locator("table.tl-table")
    text = table.inner_text()
    assert "failed to sign in" in text and "signed in" in text and "signed out" in text
    assert "viewed the pupil list" in text and pupil.pupil_id in text
    assert "Head Tester (head_a)" in text
    _shot(page, "audit-log")

    page.get_by_label("Pupil id").first.fill(pupil.pupil_id)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    caption = page.locator("table.tl-table caption").inner_text()
    assert caption.startswith("1 audit row"), caption
    assert "Alderbrook Academy (141001)" in table.inner_text()
    _shot(page, "audit-log-filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [r["pupil"] for r in rows] == [pupil.pupil_id]

    page.locator("#subject-access ~ form").get_by_label("Pupil id").fill(pupil.pupil_id)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the pupil's data").click()
    held = json.loads(Path(download.value.path()).read_text())
    assert held["records"]["pupils.pupil"][0]["fields"]["surname"] == pupil.surname

    page.goto(f"{live_server.url}/accounts/audit/")
    text = page.locator("table.tl-table").inner_text()
    assert "subject access export" in text and "exported the audit log" in text
    assert "read the audit log" in text
