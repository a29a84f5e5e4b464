"""Subject access export, erasure and the retention list (``trustlens pupil ...``).

After an erasure, no Parquet file under the store (read whole with DuckDB) and no text value in
any table of the records database (every model, unscoped) holds the pupil's id, UPN or name, and
the audit log refers to the pupil only by the HMAC hash.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from django.apps import apps
from typer.testing import CliRunner

from tests.ingest import builders as b
from trustlens.cli.pupil import pupil_app
from trustlens.core.audit import log_pupil_access
from trustlens.core.models import AuditEvent
from trustlens.imports.services import import_path
from trustlens.ingest.store import AnalyticalStore
from trustlens.pupils.models import Enrolment, Pupil
from trustlens.pupils.services import past_retention, pupil_hash

pytestmark = pytest.mark.django_db
ERASED = "A00002"


@pytest.fixture
def store(settings, tmp_path) -> AnalyticalStore:
    settings.DATA_DIR = tmp_path
    settings.STORE_DIR = tmp_path / "store"
    settings.MEDIA_ROOT = tmp_path / "media"
    import_path(b.write_folder(tmp_path / "in", b.small_trust()), "demo")
    return AnalyticalStore(settings.STORE_DIR)


def parquet_hits(root: Path, needles: list[str]) -> list[str]:
    """Every Parquet file under ``root`` (including summaries) with a value equal to a needle."""
    hits = []
    for file in sorted(root.rglob("*.parquet")):
        rows = duckdb.sql(f"select * from read_parquet('{file}')").fetchall()
        if any(str(value) in needles for row in rows for value in row):
            hits.append(str(file))
    return hits


def database_hits(needles: list[str]) -> list[str]:
    """Every (model, field) whose text contains a needle, over every table, unscoped."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        for row in model._base_manager.all().values():
            text = json.dumps(row, default=str)
            hits += [f"{model._meta.label}:{row['id']}" for n in needles if n in text]
    return hits


def test_export_holds_records_store_rows_and_access_log(store):
    pupil = Pupil.objects.unscoped().get(pupil_id=ERASED)
    log_pupil_access(None, pupil, None, "viewed the pupil page")
    result = CliRunner().invoke(pupil_app, ["export", ERASED, "--trust", "demo"])
    assert result.exit_code == 0, result.output
    held = json.loads(result.stdout)
    assert held["records"]["pupils.pupil"][0]["fields"]["upn"] == pupil.upn
    assert len(held["records"]["pupils.enrolment"]) == 1
    assert {"pupils", "enrolments", "assessment_results", "attendance"} <= set(
        held["analytical_store"]
    )
    assert all(r["pupil_id"] == ERASED for rows in held["analytical_store"].values() for r in rows)
    assert held["access_log"][0]["fields"]["summary"] == "viewed the pupil page"
    assert AuditEvent.objects.filter(action="export", object_id=str(pupil.pk)).exists()


def test_erase_leaves_no_trace_in_store_or_database_and_audits_only_the_hash(store, settings):
    pupil = Pupil.objects.unscoped().get(pupil_id=ERASED)
    needles = [pupil.pupil_id, pupil.upn, f"{pupil.forename} {pupil.surname}"]
    log_pupil_access(None, pupil, None, f"viewed {pupil} ({pupil.upn}, {pupil.pupil_id})")
    reports = settings.DATA_DIR / "import-reports"
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "import-1.json").write_text(json.dumps({"sample": [[pupil.pupil_id, "x"]]}))
    assert parquet_hits(settings.STORE_DIR, needles) and database_hits(needles)
    others = store.polars("demo", "assessment_results").filter(
        store.polars("demo", "assessment_results")["pupil_id"] != ERASED
    )

    result = CliRunner().invoke(
        pupil_app, ["erase", ERASED, "--trust", "demo", "--reason", "erasure request", "--yes"]
    )

    assert result.exit_code == 0, result.output
    assert parquet_hits(settings.STORE_DIR, needles) == []
    assert database_hits(needles) == []
    assert ERASED not in (reports / "import-1.json").read_text()
    token = pupil_hash("demo", ERASED)
    erasure = AuditEvent.objects.get(action="delete", object_type="pupils.pupil")
    assert erasure.object_id == token and erasure.changes["pupil_hash"] == token
    assert ERASED not in json.dumps(erasure.changes) + erasure.summary
    earlier = AuditEvent.objects.get(action="view_pupil")
    assert earlier.object_id == token and token[:16] in earlier.summary
    after = store.polars("demo", "assessment_results")
    assert after.sort(after.columns).equals(others.sort(others.columns))
    assert Pupil.objects.unscoped().filter(pupil_id="A00001").exists()


def test_erase_refuses_without_yes_and_for_an_unknown_pupil(store):
    runner = CliRunner()
    refused = runner.invoke(pupil_app, ["erase", ERASED, "--trust", "demo", "--reason", "x"])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert Pupil.objects.unscoped().filter(pupil_id=ERASED).exists()
    unknown = runner.invoke(
        pupil_app, ["erase", "NOPE", "--trust", "demo", "--reason", "x", "--yes"]
    )
    assert unknown.exit_code == 1 and "No pupil" in unknown.output


def test_retention_lists_leavers_past_the_period_only(store, settings):
    settings.LEAVER_RETENTION_YEARS = 3
    today = dt.date(2030, 1, 1)
    old, recent = Enrolment.objects.unscoped().filter(pupil__pupil_id__in=["A00001", "A00003"])
    old.end_date, recent.end_date = dt.date(2026, 7, 20), dt.date(2027, 7, 20)
    Enrolment.objects.unscoped().bulk_update([old, recent], ["end_date"])
    listed = list(past_retention("demo", today).values_list("pupil_id", flat=True))
    assert listed == [old.pupil.pupil_id]
