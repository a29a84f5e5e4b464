"""Unit tests of the one scoping layer: fail closed, restrict by role, teachers' own classes."""

from __future__ import annotations

import pytest

from trustlens.core.scoping import EMPTY_SCOPE, ScopedManager, ScopeError, scope_of
from trustlens.organisations.models import Academy, Region
from trustlens.pupils.models import Enrolment, Pupil

pytestmark = pytest.mark.django_db


def test_query_without_scope_raises(world):
    with pytest.raises(ScopeError):
        list(Pupil.objects.all())
    with pytest.raises(ScopeError):
        Academy.objects.filter(urn=world.academy_a.urn).count()
    with pytest.raises(ScopeError):
        Pupil.objects.filter(surname="x").exists()
    with pytest.raises(ScopeError):
        Academy.objects.get(urn=world.academy_a.urn)


def test_related_manager_without_scope_raises(world):
    with pytest.raises(ScopeError):
        list(world.academy_a.enrolments.all())


def test_unscoped_is_the_explicit_escape_hatch(world):
    assert Pupil.objects.unscoped().count() == 6


def test_anonymous_and_ungranted_users_see_nothing(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert scope_of(nobody).is_empty
    assert Academy.objects.restrict(nobody).count() == 0
    assert Pupil.objects.restrict(None).count() == 0
    assert Pupil.objects.restrict(EMPTY_SCOPE).count() == 0


def test_headteacher_sees_own_academy_and_pupils_only(world, head_a):
    assert set(Academy.objects.restrict(head_a)) == {world.academy_a}
    assert set(Pupil.objects.restrict(head_a)) == set(world.pupils["A"])
    assert {e.academy_id for e in Enrolment.objects.restrict(head_a)} == {world.academy_a.pk}


def test_executive_sees_trust_but_not_other_trust(world, exec_user):
    assert set(Academy.objects.restrict(exec_user)) == {world.academy_a, world.academy_b}
    assert set(Pupil.objects.restrict(exec_user)) == set(world.pupils["A"] + world.pupils["B"])
    assert set(Region.objects.restrict(exec_user)) == {world.region}


def test_trustee_sees_academies_but_no_pupil_rows(world, trustee_user):
    scope = scope_of(trustee_user)
    assert scope.aggregate_only
    assert Academy.objects.restrict(trustee_user).count() == 2
    assert Pupil.objects.restrict(trustee_user).count() == 0
    assert Enrolment.objects.restrict(trustee_user).count() == 0


def test_teacher_sees_only_own_class_pupils(world, teacher_a):
    assert set(Pupil.objects.restrict(teacher_a)) == {world.pupils["A"][0]}
    assert Academy.objects.restrict(teacher_a).get() == world.academy_a


def test_cluster_lead_sees_own_cluster_only(world, cluster_lead_a):
    assert set(Academy.objects.restrict(cluster_lead_a)) == {world.academy_a}


def test_pupil_with_two_enrolments_appears_once(world, head_a):
    pupil = world.pupils["A"][0]
    Enrolment.objects.create(
        pupil=pupil, academy=world.academy_a, year_group=10, start_date="2025-09-01"
    )
    assert list(Pupil.objects.restrict(head_a)).count(pupil) == 1


def test_scoped_manager_cannot_override_get_queryset():
    with pytest.raises(TypeError):

        class Sneaky(ScopedManager):
            def get_queryset(self):  # pragma: no cover - the class statement itself must fail
                return super().get_queryset()


def test_views_cannot_override_get_queryset():
    from trustlens.core.views import ScopedUpdateView

    with pytest.raises(TypeError):

        class Sneaky(ScopedUpdateView):
            model = Academy

            def get_queryset(self):  # pragma: no cover
                return Academy.objects.unscoped()


def test_analytics_never_imports_django():
    import subprocess
    import sys

    code = (
        "import pkgutil, importlib, sys, trustlens.analytics as a\n"
        "for m in pkgutil.walk_packages(a.__path__, 'trustlens.analytics.'):\n"
        "    importlib.import_module(m.name)\n"
        "assert 'django' not in sys.modules, 'trustlens.analytics imported django'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
