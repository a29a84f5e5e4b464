"""API measures benchmark: ``GET /api/v1/measures/`` for a 60-academy synthetic trust, p95.

Steps (each printed with its timing):
1. ``trustlens init`` and ``trustlens synth --academies N --pupils-per-academy M --seed 1``
   (default 60 academies x 750 pupils, the dashboards benchmark's trust) and
   ``trustlens import DIR --trust bench`` (the real importer).
2. A trust executive's and a headteacher's API token (``trustlens.api.services.issue_token``).
3. For each measure (progress8, attendance): the first request (cold: the measure is computed
   from the analytical store on DuckDB, as ``trustlens measure``), then ``--requests`` timed
   warm requests (the rows are cached per store version) as the executive (all 60 academies'
   rows) and as the head (one academy's rows and the trust's), in-process with Django's test
   client (server time, no network): median and p95 in ms.

Writes ``benchmarks/results/api_measures.json`` with the size actually run beside the issue's
reference (60 academies). Run from the repository root with the tree first on the path:
``PYTHONPATH=src python benchmarks/api_measures.py [--academies 60] [--pupils-per-academy 750]``.
The data lives in ``$TRUSTLENS_BENCH_DIR`` (default ``/tmp/trustlens-bench-api``); a second run
of the same size reuses it (``--fresh`` rebuilds). Nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "api_measures.json"
BENCH = Path(os.environ.get("TRUSTLENS_BENCH_DIR", "/tmp/trustlens-bench-api"))
SLUG = "bench"
REFERENCE = {"academies": 60, "pupils_per_academy": 750}
MEASURES = {"progress8": "2023/24", "attendance": "2023/24"}


def env() -> dict[str, str]:
    out = dict(os.environ)
    out.update(
        TRUSTLENS_DATA_DIR=str(BENCH / "var"),
        DJANGO_SETTINGS_MODULE="trustlens.config.settings.local",
        DEBUG="0",
        SECRET_KEY="benchmark-only-not-secret",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        TRUSTLENS_API_RATE="100000/minute",
    )
    return out


def step(label: str, *args: str) -> float:
    command = [sys.executable, "-m", "trustlens", *args]
    start = time.perf_counter()
    print(f"== {label}: {' '.join(args)}", flush=True)
    subprocess.run(command, check=True, env=env(), stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    print(f"   {seconds:.1f} s", flush=True)
    return seconds


def prepare(args: argparse.Namespace) -> dict:
    size = {"academies": args.academies, "pupils_per_academy": args.pupils_per_academy}
    marker = BENCH / "prepared.json"
    if marker.exists() and not args.fresh:
        info = json.loads(marker.read_text())
        if all(info.get(k) == v for k, v in size.items()):
            print(f"== using the trust already imported in {BENCH}")
            return info
    shutil.rmtree(BENCH, ignore_errors=True)
    (BENCH / "var").mkdir(parents=True)
    folder = BENCH / "synth"
    info = dict(size)
    step("init", "init")
    info["synth_seconds"] = step(
        "synth",
        "synth",
        "--out",
        str(folder),
        "--academies",
        str(args.academies),
        "--seed",
        "1",
        "--pupils-per-academy",
        str(args.pupils_per_academy),
    )
    info["import_seconds"] = step("import", "import", str(folder), "--trust", SLUG)
    marker.write_text(json.dumps(info, indent=1))
    return info


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def tokens() -> dict[str, str]:
    """API tokens of a new trust executive and a new headteacher of the first academy."""
    from django.contrib.auth import get_user_model

    from trustlens.api.services import issue_token
    from trustlens.organisations.models import Academy, Trust
    from trustlens.people.choices import Role
    from trustlens.people.services import grant_role

    trust = Trust.objects.unscoped().get(slug=SLUG)
    first = Academy.objects.unscoped().filter(trust=trust).order_by("urn").first()
    out = {}
    for key, role, node in (
        ("exec", Role.TRUST_EXECUTIVE, trust),
        ("head", Role.HEADTEACHER, first),
    ):
        user, _ = get_user_model().objects.get_or_create(username=f"api_bench_{key}")
        grant_role(user, role, node)
        out[key] = issue_token(user, "benchmark", days=1).secret
    return out


def time_measure(secret: str, name: str, year: str, requests: int) -> dict:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/measures/?measure={name}&academic_year={year}&trust={SLUG}"
    start = time.perf_counter()
    first = client.get(url)
    cold = (time.perf_counter() - start) * 1000
    assert first.status_code == 200, first.content[:300]
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    rows = response.json()
    return {
        "first_request_ms": round(cold, 1),
        "p95_ms": round(p95(times), 1),
        "median_ms": round(statistics.median(times), 1),
        "requests": requests,
        "rows": len(rows),
        "academy_rows": sum(1 for r in rows if r["urn"] is not None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--academies", type=int, default=60)
    parser.add_argument("--pupils-per-academy", type=int, default=750)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    info = prepare(args)
    os.environ.update(env())
    import django

    django.setup()
    secrets = tokens()
    results = {}
    for name, year in MEASURES.items():
        from trustlens.api import figures

        figures._cache.clear()  # the executive's first request is the cold one
        results[name] = {
            role: time_measure(secrets[role], name, year, args.requests) for role in secrets
        }
        print(f"== {name}: {json.dumps(results[name])}", flush=True)
    out = {
        "benchmark": "GET /api/v1/measures/ (in-process, server time)",
        "workload": info,
        "reference_workload": REFERENCE,
        "at_reference_size": info["academies"] == REFERENCE["academies"]
        and info["pupils_per_academy"] == REFERENCE["pupils_per_academy"],
        "measures": results,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=1) + "\n")
    print(f"== wrote {RESULTS}")


if __name__ == "__main__":
    main()
