"""Folder imports into the records database and the store: all or nothing, replace, scope, audit."""

from __future__ import annotations

import weakref
from dataclasses import replace

import polars as pl
import pytest

from tests.ingest import builders as b
from trustlens.assessment.models import AssessmentWindow
from trustlens.core.models import AuditEvent
from trustlens.core.scoping import scope_of
from trustlens.imports.choices import ImportStatus
from trustlens.imports.models import ImportRun
from trustlens.imports.services import build_context, import_path, run_import, visible_runs
from trustlens.ingest.pipeline import read_sources
from trustlens.organisations.models import Academy, Cluster, Trust
from trustlens.pupils.models import Enrolment, GroupMembership, Pupil, TeachingGroup

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "trusts": Trust.objects.unscoped().count(),
        "academies": Academy.objects.unscoped().count(),
        "pupils": Pupil.objects.unscoped().count(),
        "enrolments": Enrolment.objects.unscoped().count(),
        "windows": AssessmentWindow.objects.unscoped().count(),
        "groups": TeachingGroup.objects.unscoped().count(),
    }


def classes_for(pupils_a):
    classes = [
        {
            "class_id": "C9X1",
            "urn": b.URN_A,
            "academic_year": "2024/25",
            "name": "9X1",
            "subject": "Maths",
            "year_group": 9,
        },
        {
            "class_id": "C9X2",
            "urn": b.URN_A,
            "academic_year": "2024/25",
            "name": "9X2",
            "subject": "",
            "year_group": 9,
        },
    ]
    members = [{"class_id": "C9X1", "pupil_id": p["pupil_id"]} for p in pupils_a[:2]] + [
        {"class_id": "C9X2", "pupil_id": pupils_a[2]["pupil_id"]}
    ]
    return classes, members


def test_folder_import_creates_the_trust_and_loads_records_and_store(tmp_path, private_store):
    data = b.small_trust()
    data["classes"], data["class_members"] = classes_for(data["pupils"][:3])
    outcome = import_path(
        b.write_folder(tmp_path / "in", data), "newtrust", trust_name="New Learning Trust"
    )
    assert outcome.report.ok and outcome.report.loaded and outcome.created_trust
    assert any("does not exist yet" in n for n in outcome.report.notes)
    assert any("Created trust 'newtrust'" in n for n in outcome.report.notes)
    trust = Trust.objects.unscoped().get(slug="newtrust")
    assert trust.name == "New Learning Trust"
    assert counts() == {
        "trusts": 1,
        "academies": 2,
        "pupils": 6,
        "enrolments": 6,
        "windows": 3,
        "groups": 2,
    }
    academy = Academy.objects.unscoped().get(urn=b.URN_A)
    assert academy.cluster.name == "North Cluster" and academy.cluster.region.name == "Northshire"
    pupil = Pupil.objects.unscoped().get(pupil_id="A00002")
    assert pupil.sen == "K" and pupil.sen_primary_need == "SPLD" and pupil.upn == "A000000000002"
    assert GroupMembership.objects.unscoped().filter(group__class_id="C9X1").count() == 2
    assert private_store.polars("newtrust", "assessment_results").height == 12
    assert private_store.polars("newtrust", "enrolments").height == 6
    assert sorted(private_store.polars("newtrust", "academies")["cluster"].to_list()) == [
        "North Cluster",
        "South Cluster",
    ]
    run = outcome.run
    assert run.status == ImportStatus.COMMITTED and run.trust == trust and run.rows > 0
    assert sorted(run.academies.unscoped().values_list("urn", flat=True)) == [b.URN_A, b.URN_B]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).latest("at")
    assert event.user is None and "loaded" in event.summary and event.changes["trust"] == "newtrust"


def test_any_error_anywhere_loads_nothing(tmp_path, private_store):
    import_path(b.write_folder(tmp_path / "first", b.small_trust()), "demo")
    before, store_before = counts(), private_store.manifest("demo")["version"]
    data = b.small_trust()
    data["pupils"].append({**data["pupils"][0], "pupil_id": "NEW1", "upn": ""})
    data["attendance"][-1]["attended_sessions"] = 999  # the one error is in the last file
    outcome = import_path(b.write_folder(tmp_path / "second", data), "demo")
    assert not outcome.report.ok and not outcome.report.loaded
    assert counts() == before and private_store.manifest("demo")["version"] == store_before
    assert outcome.run.status == ImportStatus.INVALID
    assert outcome.report.issues[0].file == "attendance.csv" and outcome.report.issues[0].row == 7


def test_a_loader_failure_rolls_everything_back(tmp_path, private_store, monkeypatch):
    import_path(b.write_folder(tmp_path / "first", b.small_trust()), "demo")
    before, version = counts(), private_store.manifest("demo")["version"]

    def broken(target, frame):
        raise RuntimeError("disk on fire")

    from trustlens.ingest import registry

    windows = registry.get("assessment_windows")
    monkeypatch.setitem(registry._REGISTRY, "assessment_windows", replace(windows, loader=broken))
    data = b.small_trust()
    data["pupils"].append({**data["pupils"][0], "pupil_id": "NEW1", "upn": ""})
    outcome = import_path(b.write_folder(tmp_path / "second", data), "demo")
    assert not outcome.report.loaded and "disk on fire" in outcome.report.issues[-1].reason
    assert outcome.run.status == ImportStatus.FAILED
    assert counts() == before and private_store.manifest("demo")["version"] == version


def test_reimport_replaces_the_same_academy_and_period(tmp_path, private_store):
    import_path(b.write_folder(tmp_path / "first", b.small_trust()), "demo")
    pupils_a = b.pupils("A")
    again = {
        "enrolments": b.enrolments(pupils_a[:2], b.URN_A),
        "assessment_results": b.results(pupils_a[:1], b.URN_A, base=8.0),
        "assessment_windows": b.windows()[:2],
    }
    outcome = import_path(b.write_folder(tmp_path / "again", again), "demo")
    assert outcome.report.loaded
    assert Enrolment.objects.unscoped().filter(academy__urn=b.URN_A).count() == 2
    assert Enrolment.objects.unscoped().filter(academy__urn=b.URN_B).count() == 3
    assert AssessmentWindow.objects.unscoped().count() == 2  # the year's calendar was replaced
    results = private_store.polars("demo", "assessment_results")
    assert (
        results.filter(pl.col("urn") == b.URN_A).height == 2
        and results.filter(pl.col("urn") == b.URN_B).height == 6
    )
    assert private_store.polars("demo", "enrolments").height == 5
    preview = outcome.run.report["preview"]["assessment_results"]["replaces"]
    assert preview == [
        {
            "partition": "academic_year=2024/25, urn=141001, term=autumn",
            "new_rows": 2,
            "held_rows": 6,
        }
    ]


def test_pupils_update_in_place_and_are_never_deleted(tmp_path):
    import_path(b.write_folder(tmp_path / "first", b.small_trust()), "demo")
    changed = b.pupils("A", 1)
    changed[0].update(surname="Renamed", looked_after="Y")
    for row in changed:
        row.pop("ethnicity")
    import_path(b.write_folder(tmp_path / "again", {"pupils": changed}), "demo")
    pupil = Pupil.objects.unscoped().get(pupil_id="A00001")
    assert pupil.surname == "Renamed" and pupil.looked_after and pupil.ethnicity == "WBRI"
    assert Pupil.objects.unscoped().count() == 6


def test_unknown_trust_without_academies_is_an_error(tmp_path):
    outcome = import_path(b.write_folder(tmp_path / "in", {"pupils": b.pupils("A")}), "nowhere")
    assert not outcome.report.ok and "no trust 'nowhere'" in outcome.report.issues[0].reason
    assert Trust.objects.unscoped().count() == 0


def test_scoped_data_manager_cannot_import_for_another_academy(world, datamanager_a, tmp_path):
    rows = b.results(
        world.pupils["A"][:1] and [{"pupil_id": p.pupil_id} for p in world.pupils["A"]],
        world.academy_a.urn,
    )
    rows += b.results([{"pupil_id": p.pupil_id} for p in world.pupils["B"]], world.academy_b.urn)
    folder = b.write_folder(
        tmp_path / "in", {"assessment_windows": b.windows(), "assessment_results": rows}
    )
    outcome = run_import(
        read_sources(folder),
        "riverside",
        user=datamanager_a,
        scope=scope_of(datamanager_a),
        dry_run=True,
    )
    reasons = {(i.file, i.reason.split(":")[0]) for i in outcome.report.issues}
    assert ("assessment_results.csv", "academy outside your scope") in reasons
    assert (
        "assessment_windows.csv",
        "only a trust-wide importer can change this trust-level dataset",
    ) in reasons
    outside = [i for i in outcome.report.issues if i.reason.startswith("academy outside")]
    assert {i.value for i in outside} == {str(world.academy_b.urn)}


def test_trust_executive_may_import_for_every_academy(world, exec_user, tmp_path):
    rows = b.results([{"pupil_id": p.pupil_id} for p in world.pupils["B"]], world.academy_b.urn)
    folder = b.write_folder(
        tmp_path / "in", {"assessment_windows": b.windows(), "assessment_results": rows}
    )
    outcome = run_import(
        read_sources(folder), "riverside", user=exec_user, scope=scope_of(exec_user)
    )
    assert outcome.report.loaded, [i.as_text() for i in outcome.report.issues]
    assert outcome.run.created_by == exec_user


def test_urn_of_another_trust_is_refused(world, tmp_path):
    rows = b.academies((world.academy_x.urn,))
    outcome = import_path(b.write_folder(tmp_path / "in", {"academies": rows}), "riverside")
    assert [i.reason for i in outcome.report.issues] == [
        "this URN belongs to an academy of another trust"
    ]


def test_context_holds_existing_keys(world):
    context = build_context(world.trust)
    assert context.known("academies", ("urn",)) == {world.academy_a.urn, world.academy_b.urn}
    assert "A00001" in context.known("pupils", ("pupil_id",)) and "X00001" not in context.known(
        "pupils", ("pupil_id",)
    )
    assert world.academy_x.urn in context.other_trust_urns


def test_visible_runs_need_every_academy_in_scope(world, datamanager_a, exec_user):
    from trustlens.imports.testing import import_in

    own, other = import_in(world.academy_a), import_in(world.academy_b)
    both = ImportRun.objects.unscoped().get(pk=import_in(world.academy_a))
    ImportRun.academies.through.objects.create(importrun=both, academy=world.academy_b)
    assert set(visible_runs(datamanager_a).values_list("pk", flat=True)) == {own}
    assert set(visible_runs(exec_user).values_list("pk", flat=True)) == {own, other, both.pk}


def test_classes_keep_app_made_classes_and_adopt_by_name(world, tmp_path):
    TeachingGroup.objects.create(
        academy=world.academy_a, name="9X1", academic_year="2024/25", year_group=9
    )
    classes = [
        {
            "class_id": "C1",
            "urn": world.academy_a.urn,
            "academic_year": "2024/25",
            "name": "9X1",
            "subject": "",
            "year_group": 9,
        }
    ]
    members = [{"class_id": "C1", "pupil_id": "A00001"}]
    outcome = import_path(
        b.write_folder(tmp_path / "in", {"classes": classes, "class_members": members}), "riverside"
    )
    assert outcome.report.loaded, [i.as_text() for i in outcome.report.issues]
    group = TeachingGroup.objects.unscoped().get(class_id="C1")
    assert group.name == "9X1" and group.memberships.unscoped().count() == 1
    assert (
        TeachingGroup.objects.unscoped()
        .filter(academy=world.academy_a, academic_year="2024/25")
        .count()
        == 1
    )
    assert Cluster.objects.unscoped().count() == 3


def test_a_committed_import_rebuilds_the_dashboards_summaries(tmp_path, private_store):
    """The real hook: after the import, the dashboards' summaries exist and were built from it."""
    from trustlens.core.hooks import after_import
    from trustlens.dashboards.apps import rebuild_summaries_after_import
    from trustlens.dashboards.services import summary_dir

    live = [r() if isinstance(r, weakref.ref) else r for _, r, _ in after_import.receivers]
    assert rebuild_summaries_after_import in live
    outcome = import_path(b.write_folder(tmp_path / "in", b.small_trust()), "demo")
    assert outcome.report.loaded
    assert not [w for w in outcome.report.warnings if "rebuild_summaries" in w], (
        outcome.report.warnings
    )
    meta = summary_dir("demo") / "meta.json"
    assert meta.exists()
    assert "assessment_results" in meta.read_text()


def test_after_import_hooks_get_the_slug_and_a_failing_hook_never_undoes_the_import(
    tmp_path, monkeypatch
):
    calls: list[str] = []
    _only_receivers(monkeypatch, _record_call, _fail)
    monkeypatch.setattr("tests.imports.test_services.CALLS", calls, raising=False)
    outcome = import_path(b.write_folder(tmp_path / "in", b.small_trust()), "demo")
    assert calls == ["demo"]
    assert outcome.report.loaded and outcome.run.status == ImportStatus.COMMITTED
    assert counts()["pupils"] == 6
    assert any(
        "_fail failed (RuntimeError: summaries exploded)" in w for w in outcome.report.warnings
    )
    assert any(
        "_fail failed" in w
        for w in ImportRun.objects.unscoped().get(pk=outcome.run.pk).report["warnings"]
    )


def test_a_rejected_import_runs_no_after_import_hook(tmp_path, monkeypatch):
    calls: list[str] = []
    _only_receivers(monkeypatch, _record_call)
    monkeypatch.setattr("tests.imports.test_services.CALLS", calls, raising=False)
    data = b.small_trust()
    data["attendance"][0]["attended_sessions"] = 999
    outcome = import_path(b.write_folder(tmp_path / "in", data), "demo")
    assert not outcome.report.loaded and calls == []


CALLS: list[str] = []


def _only_receivers(monkeypatch, *receivers) -> None:
    """Replace the ``after_import`` receivers by ``receivers`` for one test."""
    from trustlens.core.hooks import after_import

    monkeypatch.setattr(after_import, "receivers", [])
    monkeypatch.setattr(after_import, "sender_receivers_cache", {})
    for receiver in receivers:
        after_import.connect(receiver, weak=False)


def _record_call(sender, trust_slug: str, **kwargs) -> None:
    CALLS.append(trust_slug)


def _fail(sender, trust_slug: str, **kwargs) -> None:
    raise RuntimeError("summaries exploded")


def test_an_upload_of_no_files_is_never_ready_to_confirm(world, datamanager_a):
    """Behind the form's own check: the service refuses an import with nothing in it."""
    from trustlens.imports.services import validate_upload

    run = validate_upload(datamanager_a, [], world.trust)
    assert run.status == ImportStatus.INVALID and not run.can_confirm
    assert run.report["errors"][0]["reason"] == "no CSV, XLSX or zip file to import"
