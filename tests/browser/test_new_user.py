"""What a new user trips over (issue 12, items 1-8), each seen on a page in Debian Chromium.

The dashboards' small synthetic trust is seeded as in ``test_dashboards.py``, with a class of
two pupils added before the summaries are built; the pupil page's writing bands come from a
one-academy trust of its own. Screenshots: tests/browser/screenshots/new-user-*.png.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pandas as pd
import pytest

from tests.browser.conftest import login, screenshot
from tests.dashboards.trust_fixture import build_tables

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_DATA: dict = {}
DOUBLED = re.compile(r"\b([A-Za-z]+) +\1\b")  #: within a run of text ("the the")
MINUS_ZERO = re.compile(r"[-\u2212]£?0(?:\.0+)?(?![.\d])")
TINY_CLASS = "7Z2"


@pytest.fixture
def seeded(live_server):
    """The dashboards' trust, plus class 7Z2 of two pupils at Harbour Point (the head's)."""
    from tests.dashboards.conftest import (
        SLUG,
        create_records,
        create_users,
        remove_records,
        write_store,
    )
    from trustlens.dashboards import services
    from trustlens.pupils.models import GroupMembership, TeachingGroup

    remove_records(SLUG)
    if "data" not in _DATA:
        _DATA["data"] = build_tables()
        write_store(SLUG, _DATA["data"].tables)
    trust, academies = create_records(_DATA["data"])
    users, group = create_users(trust, academies)
    harbour = academies[190001]
    tiny = TeachingGroup.objects.unscoped().create(
        academy=harbour, name=TINY_CLASS, academic_year="2023/24", year_group=7
    )
    two = GroupMembership.objects.unscoped().filter(group=group).order_by("pk")[:2]
    GroupMembership.objects.unscoped().bulk_create(
        [GroupMembership(group=tiny, pupil_id=m.pupil_id) for m in two]
    )
    services.rebuild_summaries(SLUG)
    return {"slug": SLUG, "academies": academies, "users": users, "class": group, "tiny": tiny}


def plant(slug: str, urn: int, measure: str, **values) -> None:
    """Overwrite the latest academy-level fact of one measure (the figure a page shows)."""
    from trustlens.dashboards import services

    path = services.summary_dir(slug) / services.FACTS_FILE
    facts = pd.read_parquet(path)
    rows = facts[
        (facts["level"] == "academy")
        & (facts["unit"] == str(urn))
        & (facts["measure"] == measure)
        & (facts["breakdown"] == "all")
    ]
    latest = rows.sort_values("period_order").index[-1]
    for column, value in values.items():
        facts.loc[latest, column] = value
    facts.to_parquet(path.with_suffix(".tmp"), index=False)
    os.replace(path.with_suffix(".tmp"), path)


def page_text(page) -> str:
    return page.locator("main").inner_text()


def assert_clean_copy(page, where: str) -> None:
    text = page_text(page)
    assert not DOUBLED.findall(text), (where, DOUBLED.findall(text))
    assert not MINUS_ZERO.findall(text), (where, MINUS_ZERO.findall(text))


def links_of(page, base: str) -> list[str]:
    """Same-site links on the page (not in-page anchors, not downloads), as absolute URLs."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for href in hrefs:
        url = urljoin(page.url, href)
        if href.startswith("#") or not url.startswith(base) or "format=" in url:
            continue
        out.append(url.split("#")[0])
    return sorted(set(out))


def assert_links_open(page, base: str, seen: dict, signed_in: bool = True) -> list[str]:
    """Every link on the page answers 200 to this user (signed in: no redirect at all, so no
    login page, 403 or 404; signed out: a redirect may lead to the app's sign-in page, never
    to the admin's)."""
    found = links_of(page, base)
    for url in found:
        if url not in seen:
            response = page.request.get(url, max_redirects=0 if signed_in else 5)
            seen[url] = (response.status, response.url)
        status, final = seen[url]
        assert status == 200, f"{urlsplit(url).path} answers {status} on {page.url}"
        assert "/admin/" not in final, f"{urlsplit(url).path} leads to the admin on {page.url}"
    return found


# --- 1. the pupil page -----------------------------------------------------------------------


@pytest.fixture
def pupil_with_bands(live_server):
    """A primary pupil with scaled scores (value, no band) and writing bands (band, no value)."""
    from tests.dashboards.conftest import write_store
    from trustlens.organisations.models import Academy, Trust
    from trustlens.people.choices import Role
    from trustlens.people.factories import UserFactory
    from trustlens.people.services import grant_role
    from trustlens.pupils.models import Enrolment, Pupil

    trust = Trust.objects.create(slug="newuser-bands", name="Bandwidth Primary Trust")
    academy = Academy.objects.create(
        trust=trust, urn=190901, name="Wrenfield Primary", phase="primary", laestab=9990901
    )
    pupil = Pupil.objects.create(
        trust=trust,
        pupil_id="B000001",
        upn="B00000000001",
        surname="Quillband",
        forename="Ada",
        date_of_birth="2013-05-01",
        sex="F",
        disadvantaged=False,
        sen="N",
        eal=False,
    )
    Enrolment.objects.create(pupil=pupil, academy=academy, year_group=6, start_date="2019-09-01")
    head = UserFactory(username="bands_head")
    grant_role(head, Role.HEADTEACHER, academy)
    rows = []
    for term in ("autumn", "spring", "summer"):
        for subject, scale, value, band in (
            ("Reading", "scaled", 104.0, None),
            ("Maths", "scaled", 98.0, None),
            ("Writing", "band", None, {"autumn": "WTS", "spring": "EXS", "summer": "GDS"}[term]),
        ):
            rows.append(
                {
                    "pupil_id": pupil.pupil_id,
                    "urn": academy.urn,
                    "academic_year": "2023/24",
                    "term": term,
                    "subject": subject,
                    "year_group": 6,
                    "scale": scale,
                    "value": value,
                    "band": band,
                }
            )
    write_store(trust.slug, {"assessment_results": pd.DataFrame(rows)})
    return pupil


def test_pupil_page_shows_numbers_and_writing_bands(pupil_with_bands, live_server, browser_page):
    page = browser_page
    login(page, live_server, "bands_head")
    page.goto(f"{live_server.url}/pupils/{pupil_with_bands.pupil_id}/")
    table = page.locator("table", has_text="Results by window")
    results = table.locator("tbody tr")
    assert results.count() == 9
    cells = [
        [c.strip() for c in results.nth(i).locator("th, td").all_inner_texts()]
        for i in range(results.count())
    ]
    by_subject = {(r[0], r[1]): r[4] for r in cells}
    assert by_subject[("2023/24 summer", "Writing")] == "GDS"
    assert by_subject[("2023/24 autumn", "Writing")] == "WTS"
    assert by_subject[("2023/24 summer", "Reading")] == "104"
    assert by_subject[("2023/24 spring", "Maths")] == "98"
    assert "nan" not in table.inner_text().lower() and all(r[4] for r in cells)
    screenshot(page, "new-user-pupil-page")


# --- 2-4. what n counts, no rating under the threshold, no -0 ---------------------------------


def test_n_names_what_it_counts(seeded, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_exec")
    page.goto(f"{live_server.url}/schools/")
    text = page_text(page)
    assert re.search(r"£[\d,]+ n=\d+ budget lines?", text)
    assert re.search(r"n=[\d,]+ lessons", text) and re.search(r"n=\d+ staff", text)
    assert re.search(r"n=\d+ places", text) and re.search(r"n=\d+ pupils", text)
    assert not re.search(r"£[\d,]+ n=[\d,]+(?![\d,]| budget)", text)
    screenshot(page, "new-user-overview-n")


def test_class_of_two_is_not_rated(seeded, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_head")
    tiny = seeded["tiny"]
    page.goto(f"{live_server.url}/schools/academy/190001/class/{tiny.pk}/")
    table = page.locator("table", has_text="Class value added by window")
    assert table.locator("tbody tr").count() >= 1
    text = table.inner_text()
    assert "n=2 pupils" in text and "Too few pupils to rate" in text
    assert table.locator(".tl-tag").count() == 0  # no Red/Amber/Green at all
    assert not re.search(r"\b(Green|Amber|Red) —", text)
    assert not re.search(r"\b(up|down) [\d.]+ since", text)  # no change arrow
    screenshot(page, "new-user-class-of-two")


def test_no_minus_zero_and_words_from_the_printed_interval(seeded, live_server, browser_page):
    """KS2 maths progress -2.1 (-4.2 to -0.04): printed "(-4.2 to 0.0)", so "in line", never
    "wholly below 0"."""
    plant(seeded["slug"], 190004, "ks2_maths", score=-2.1, ci_low=-4.2, ci_high=-0.04, band=None)
    page = browser_page
    login(page, live_server, "dash_exec")
    page.goto(f"{live_server.url}/schools/academy/190004/")
    row = page.locator("#headline ~ div table tr", has_text="KS2 maths progress").first
    text = row.inner_text() + " " + row.locator(".tl-details div").first.text_content()
    assert "-4.2 to 0.0" in text and "-0.0" not in text
    assert "wholly below" not in text and "includes 0" in text
    assert_clean_copy(page, "academy 190004")
    screenshot(page, "new-user-no-minus-zero")


# --- 6. copy ------------------------------------------------------------------------------------


def test_pages_have_no_doubled_words(seeded, live_server, browser_page):
    """The pupil-group chart said "against the the trust average"."""
    page = browser_page
    login(page, live_server, "dash_exec")
    region = seeded["academies"][190001].cluster.region_id
    for path in ("/", "/schools/", "/schools/academy/190001/", f"/schools/region/{region}/"):
        page.goto(f"{live_server.url}{path}")
        assert_clean_copy(page, path)
        if path == "/schools/academy/190001/":
            assert "groups against the trust average" in page_text(page)


# --- 5. the board pack as a spreadsheet -------------------------------------------------------


def test_board_pack_xlsx_download_has_numbers(seeded, live_server, browser_page):
    from openpyxl import load_workbook

    page = browser_page
    login(page, live_server, "dash_exec")
    page.goto(f"{live_server.url}/schools/board-pack/")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("spreadsheet|XLSX", re.I)).first.click()
    data = Path(download.value.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(data))["outcomes"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Harbour Point Academy")
    a8 = header.index("Attainment 8 (points)")
    assert [c.data_type for c in row[a8 : a8 + 4]] == ["n", "n", "n", "n"]
    assert not any(isinstance(c.value, str) and "; " in c.value for c in row[5:])


# --- 7. every link opens ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["head", "teacher"])
def test_every_link_on_overview_academy_and_class_pages_opens(
    role, seeded, live_server, browser_page
):
    page = browser_page
    login(page, live_server, f"dash_{role}")
    base, seen = live_server.url, {}
    group = seeded["class"]
    pages = [
        "/",
        "/schools/",
        "/schools/academy/190001/",
        f"/schools/academy/190001/class/{group.pk}/",
    ]
    if role == "head":
        pages.append(f"/schools/academy/190001/class/{seeded['tiny'].pk}/")
    walked = 0
    for path in pages:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        walked += len(assert_links_open(page, base, seen))
        assert_clean_copy(page, path)
        if path == "/schools/":
            screenshot(page, f"new-user-overview-{role}")
        if path == "/schools/academy/190001/":
            screenshot(page, f"new-user-academy-{role}")
            assert "/schools/cluster/" not in page.content()  # the cluster has another academy
    assert walked > 10 and all(status == 200 for status, _url in seen.values())
    if role == "teacher":  # the class list names the other classes, links only the teacher's own
        page.goto(f"{base}/schools/academy/190001/")
        classes = links_of(page, base)
        assert [u for u in classes if "/class/" in u] == [
            f"{base}/schools/academy/190001/class/{group.pk}/"
        ]


# --- 8. the account pages are the app's own ---------------------------------------------------


def test_password_change_and_reset_use_the_apps_pages(seeded, live_server, browser_page):
    page = browser_page
    login(page, live_server, "dash_head")
    page.get_by_role("link", name="Change password").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Change your password").is_visible()
    assert "Django administration" not in page.content()
    assert page.locator("nav.tl-nav").is_visible()  # the app's own navigation
    crumbs = page.locator("nav.tl-breadcrumbs a")
    assert crumbs.first.get_attribute("href") == "/"
    assert_links_open(page, live_server.url, {})
    screenshot(page, "new-user-password-change")
    page.get_by_label("Old password").fill("correct horse battery staple")
    page.get_by_label("New password", exact=True).fill("a much longer harbour phrase 42")
    page.get_by_label("New password confirmation").fill("a much longer harbour phrase 42")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Your password has been changed").is_visible()
    assert_links_open(page, live_server.url, {})
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Sign in to trustlens").is_visible()
    page.goto(f"{live_server.url}/accounts/password_reset/")
    assert page.get_by_role("heading", name="Reset your password").is_visible()
    assert "Django administration" not in page.content()
    assert "/admin/" not in page.content()
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_links_open(page, live_server.url, {}, signed_in=False)
    screenshot(page, "new-user-password-reset-sent")
