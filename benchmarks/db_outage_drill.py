"""Database outage drill: stop PostgreSQL under a running trustlens for 10 s, then start it again.

Issue 19 (item 7): "the database stopped for 10 s mid-load gives clear error pages and recovers
without a restart". Against a THROWAWAY PostgreSQL cluster of its own (``initdb`` in a temporary
directory, on a free port, Unix socket in that directory): the machine's shared PostgreSQL on
127.0.0.1:5432 is never touched. Steps:

1. ``initdb`` + ``pg_ctl start`` (binaries from ``/usr/lib/postgresql/*/bin`` or ``$PG_BIN``);
   ``trustlens manage migrate`` and one login, into a temporary data dir.
2. ``trustlens manage runserver --nothreading --noreload`` on another free port: ONE thread,
   so one persistent connection (``CONN_MAX_AGE`` 60 s) is reused across requests; the drill
   signs in through the form like a browser.
3. Requests to the home page (session, user, grants: several queries) every 0.25 s: a few with
   the database up; ``pg_ctl stop -m fast``; 10 s of requests with it down; ``pg_ctl start``;
   requests until 20 in a row answer 200 — the server process is never restarted. Then a
   restart between two requests (stop, start, then a request): the idle persistent connection
   died, and ``CONN_HEALTH_CHECKS`` must replace it so that request answers 200.

Pass: every answer while down is the 503 page ("The database is not answering", no traceback),
none is a 500, the first request after the start answers 200 (the health check replaced the dead
connection) and the server's PID is unchanged. Writes ``benchmarks/results/db_outage_drill.json``.
Run: ``python benchmarks/db_outage_drill.py`` (about 30 s).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "benchmarks" / "results" / "db_outage_drill.json"
DOWN_SECONDS = 10.0
INTERVAL = 0.25
USER, PASSWORD = "drill", "outage drill password 1"
DOWN_TEXT = "The database is not answering"


def pg_bin() -> Path:
    """The newest PostgreSQL server binaries on the machine (``$PG_BIN`` wins)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (set PG_BIN)")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its tools as the ``postgres`` user."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", os.environ.get("PG_USER", "postgres"), "--"]


class Cluster:
    """A private PostgreSQL cluster in ``folder`` on ``port`` (never the shared one)."""

    def __init__(self, folder: Path, port: int) -> None:
        assert port != 5432, "the drill must never use the shared cluster's port"
        self.bin, self.data, self.port = pg_bin(), folder / "pgdata", port
        self.socket_dir = folder / "pg"
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            folder.chmod(0o755)  # the drill's own temporary folder: let the server user in
            shutil.chown(self.socket_dir, os.environ.get("PG_USER", "postgres"))
            self.data = self.socket_dir / "data"

    def run(self, tool: str, *args: str) -> None:
        command = [*as_server_user(), str(self.bin / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stderr or done.stdout}")

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "trustlens", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        log = str(self.socket_dir / "postgres.log")
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://trustlens@127.0.0.1:{self.port}/postgres"


def trustlens(env: dict, *args: str, **popen) -> subprocess.Popen | subprocess.CompletedProcess:
    command = [sys.executable, "-m", "trustlens", *args]
    if popen:
        return subprocess.Popen(command, env=env, **popen)
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True)


def make_login(env: dict) -> None:
    code = (
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.create_user({USER!r}, password={PASSWORD!r})"
    )
    trustlens(env, "manage", "shell", "-c", code)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/accounts/login/", timeout=5).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = session.post(
        f"{base}/accounts/login/",
        {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302, f"sign-in failed: {answer.status_code}"
    return session


def probe(session: requests.Session, base: str, phase: str, t0: float) -> dict:
    """One GET of the home page: status, time and whether it was the clear 503 page."""
    started = time.monotonic()
    try:
        answer = session.get(f"{base}/", timeout=10, allow_redirects=False)
        status, body = answer.status_code, answer.text
    except requests.RequestException as error:
        status, body = 0, str(error)
    return {
        "phase": phase,
        "t": round(started - t0, 2),
        "status": status,
        "ms": round(1000 * (time.monotonic() - started), 1),
        "clear_503": status == 503 and DOWN_TEXT in body and "Traceback" not in body,
    }


def drill(folder: Path) -> dict:
    cluster = Cluster(folder, free_port())
    cluster.init()
    cluster.start()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": cluster.url,
        "TRUSTLENS_DATA_DIR": str(folder / "var"),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    trustlens(env, "manage", "migrate", "--noinput")
    make_login(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = trustlens(
        env,
        "manage",
        "runserver",
        f"127.0.0.1:{port}",
        "--nothreading",
        "--noreload",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"{base}/accounts/login/")
        return run_phases(cluster, server, sign_in(base), base)
    finally:
        server.terminate()
        server.wait(10)
        cluster.stop()


def run_phases(cluster: Cluster, server: subprocess.Popen, session, base: str) -> dict:
    t0, probes = time.monotonic(), []
    for _ in range(8):
        probes.append(probe(session, base, "up", t0))
        time.sleep(INTERVAL)
    cluster.stop()
    stopped_at = time.monotonic()
    while time.monotonic() - stopped_at < DOWN_SECONDS:
        probes.append(probe(session, base, "down", t0))
        time.sleep(INTERVAL)
    cluster.start()
    started_at, healthy = time.monotonic(), 0
    while healthy < 20 and time.monotonic() - started_at < 60:
        probes.append(probe(session, base, "after", t0))
        healthy = healthy + 1 if probes[-1]["status"] == 200 else 0
        time.sleep(INTERVAL)
    # A restart between two requests: the server's idle persistent connection is now dead; the
    # health check (CONN_HEALTH_CHECKS) must replace it before the next request uses it.
    cluster.stop()
    cluster.start()
    probes += [probe(session, base, "bounce", t0) for _ in range(3)]
    return summarise(probes, server, started_at - t0)


def summarise(probes: list[dict], server: subprocess.Popen, restarted_t: float) -> dict:
    phases = ("up", "down", "after", "bounce")
    by_phase = {p: [x for x in probes if x["phase"] == p] for p in phases}
    after = by_phase["after"]
    first_ok = next((x for x in after if x["status"] == 200), None)
    result = {
        "database_down_seconds": DOWN_SECONDS,
        "server_pid_unchanged": server.poll() is None,
        "up": _counts(by_phase["up"]),
        "down": _counts(by_phase["down"]),
        "after": _counts(after),
        "bounce_between_requests": _counts(by_phase["bounce"]),
        "down_all_clear_503": all(x["clear_503"] for x in by_phase["down"]),
        "first_after_restart_status": after[0]["status"] if after else None,
        "seconds_to_first_200_after_start": max(0.0, round(first_ok["t"] - restarted_t, 2))
        if first_ok
        else None,
        "server_errors_500": sum(x["status"] == 500 for x in probes),
        "probes": probes,
    }
    result["passed"] = bool(
        result["server_pid_unchanged"]
        and result["down_all_clear_503"]
        and result["server_errors_500"] == 0
        and all(x["status"] == 200 for x in by_phase["up"])
        and result["first_after_restart_status"] == 200
        and all(x["status"] == 200 for x in by_phase["bounce"])
    )
    return result


def _counts(probes: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for x in probes:
        counts[str(x["status"])] = counts.get(str(x["status"]), 0) + 1
    return counts


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="trustlens-outage-"))
    try:
        result = drill(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=1) + "\n")
    summary = {k: v for k, v in result.items() if k != "probes"}
    print(json.dumps(summary, indent=1))
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
