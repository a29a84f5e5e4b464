"""Log in through the real form in Debian Chromium and look at the landing page per role."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trust_executive_landing_page(world, exec_user, live_server, browser_page):
    login(browser_page, live_server, exec_user.username)
    page = browser_page
    assert page.get_by_role("heading", name="Your view of the trust").is_visible()
    body = page.content()
    assert "Alderbrook Academy" in body and "Bramblewood Academy" in body
    assert "Xenon Ridge Academy" not in body
    assert "Trust executive: Riverside Learning Trust" in body
    screenshot(page, "landing-trust-executive")


def test_headteacher_landing_page(world, head_a, live_server, browser_page):
    login(browser_page, live_server, head_a.username)
    page = browser_page
    body = page.content()
    assert "Alderbrook Academy" in body
    assert "Bramblewood Academy" not in body
    assert "Pupil-level data for 1 academy" in body
    screenshot(page, "landing-headteacher")


def test_wrong_password_shows_an_error(world, head_a, live_server, browser_page):
    login(browser_page, live_server, head_a.username, password="not-the-password")
    assert browser_page.get_by_role("alert").is_visible()
    assert "did not match" in browser_page.content()


def test_sign_out(world, head_a, live_server, browser_page):
    login(browser_page, live_server, head_a.username)
    browser_page.get_by_role("button", name="Sign out").click()
    browser_page.wait_for_load_state("networkidle")
    browser_page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in browser_page.url
