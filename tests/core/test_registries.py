"""Dependency inversion: core asks registries, the apps above register (and it fails closed)."""

from __future__ import annotations

import weakref

import pytest

from trustlens.core import hooks, scoping
from trustlens.core.scoping import ScopeError, scope_of
from trustlens.ingest import registry
from trustlens.ingest.report import Report
from trustlens.people.scopes import build_scope
from trustlens.pupils.models import Pupil

pytestmark = pytest.mark.django_db


def test_the_people_app_registered_the_scope_builder(world, head_a):
    assert scoping._BUILDERS["scope"] is build_scope
    assert world.academy_a.pk in scope_of(head_a).academy_ids


def test_no_scope_builder_fails_closed(world, head_a, monkeypatch):
    monkeypatch.delitem(scoping._BUILDERS, "scope")
    with pytest.raises(ScopeError, match="no scope builder"):
        scope_of(head_a)
    with pytest.raises(ScopeError):
        list(Pupil.objects.restrict(head_a))
    assert scope_of(None).is_empty  # anonymous users still see nothing, builder or not


def test_teachers_see_their_class_through_the_registered_lookup(world, teacher_a, monkeypatch):
    scope = build_scope(teacher_a)
    assert list(Pupil.objects.restrict(scope)) == [world.pupils["A"][0]]
    monkeypatch.delitem(scoping._BUILDERS, "class_pupils")
    assert list(Pupil.objects.restrict(scope)) == []  # no lookup: no class rows (fails closed)


def test_apps_attach_their_loaders_and_record_snapshots():
    from trustlens.assessment.services import load_windows, windows_frame
    from trustlens.organisations.services import academies_frame
    from trustlens.pupils.services import load_pupils, pupils_frame

    assert registry.get("pupils").loader is load_pupils
    assert registry.get("assessment_windows").loader is load_windows
    snapshots = hooks.record_snapshots()
    core = ["academies", "pupils", "enrolments", "assessment_windows"]
    assert list(snapshots)[:4] == core  # the core data set first, then the domain apps' own
    assert "practice_profile" in snapshots
    assert snapshots["pupils"] is pupils_frame and snapshots["academies"] is academies_frame
    assert snapshots["assessment_windows"] is windows_frame


def test_dashboards_connect_the_rebuild_and_provide_the_headline():
    from trustlens.dashboards.apps import rebuild_summaries_after_import
    from trustlens.dashboards.choices import MEASURES
    from trustlens.dashboards.services import academy_headline

    live = [r() if isinstance(r, weakref.ref) else r for _, r, _ in hooks.after_import.receivers]
    assert rebuild_summaries_after_import in live
    provider = hooks.academy_headline()
    assert provider.headline is academy_headline and provider.catalogue is MEASURES


def test_without_a_headline_provider_triangulation_says_measures_are_not_loaded(world, monkeypatch):
    from trustlens.improvement import reports

    monkeypatch.setattr(hooks, "_PROVIDERS", {})
    assert reports.measures_for(world.academy_a) == ([], reports.MEASURES_NOT_LOADED)


def test_a_failing_after_import_receiver_becomes_a_warning(monkeypatch):
    from trustlens.imports.services import after_import

    calls: list[str] = []

    def records(sender, trust_slug, **kwargs):
        calls.append(trust_slug)

    def explodes(sender, trust_slug, **kwargs):
        raise RuntimeError("summaries exploded")

    monkeypatch.setattr(hooks.after_import, "receivers", [])
    monkeypatch.setattr(hooks.after_import, "sender_receivers_cache", {})
    hooks.after_import.connect(records, weak=False)
    hooks.after_import.connect(explodes, weak=False)
    report = Report()
    after_import("demo", report)
    assert calls == ["demo"]
    assert report.warnings == [
        "The data were loaded, but explodes failed (RuntimeError: summaries exploded); "
        "dashboards may show the previous figures"
    ]
