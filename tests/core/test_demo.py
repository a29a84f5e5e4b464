"""`make demo` end to end, as a new user would run it: synth -> import -> demo-users -> serve,
then every printed demo login signs in through the real login form over HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

PASSWORD = "trustlens-demo"


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "TRUSTLENS_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "trustlens.config.settings.local",
    }
    env.pop("DATABASE_URL", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "trustlens", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"trustlens {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"server did not answer at {url}")


def _sign_in(base: str, username: str, next_path: str = "/") -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    data = urllib.parse.urlencode(
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": next_path,
        }
    )
    request = urllib.request.Request(
        f"{base}/accounts/login/",
        data=data.encode(),
        headers={"Referer": f"{base}/accounts/login/"},
    )
    return opener.open(request, timeout=30).read().decode()


@pytest.mark.browser
def test_demo_pipeline_and_every_printed_login_works(tmp_path):
    env = _env(tmp_path)
    _run(["init"], env)
    _run(["synth", "--out", str(tmp_path / "synth"), "--academies", "3", "--seed", "7"], env)
    _run(["import", str(tmp_path / "synth"), "--trust", "demo"], env)
    printed = _run(["demo-users", "--trust", "demo"], env)
    usernames = re.findall(r"^\s{2}(\w+)\s", printed, flags=re.MULTILINE)
    assert {"exec", "trustee", "head", "teacher", "datamanager"} <= set(usernames), printed
    seeded = _run(["demo-workflow", "--trust", "demo"], env)
    assert "nothing to add" not in seeded, seeded
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "trustlens", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/accounts/login/")
        for username in usernames:
            page = _sign_in(base, username)
            assert "Your view of the trust" in page, f"{username} could not sign in"
            assert "You have no role yet" not in page, f"{username} has no role"
        overdue = _sign_in(base, "exec", next_path="/improvement/actions/overdue/")
        assert "Overdue" in overdue and "Nothing overdue." not in overdue, (
            "the demo shows no overdue actions"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
