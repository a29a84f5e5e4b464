"""The scoping meta-test's checks applied to this app's pages alone (every URL, every role)."""

from __future__ import annotations

import pytest

from trustlens.core.testing import leaks, load_scope_params, visit_all, visitable_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes():
    found = [r for r in visitable_routes() if r.namespace == "interventions"]
    assert {r.name for r in found} >= {
        "interventions:library",
        "interventions:detail",
        "interventions:pupils",
    }
    return found


@pytest.mark.parametrize("user_fixture", ["head_a", "teacher_a", "datamanager_a", "cluster_lead_a"])
def test_users_of_academy_a_see_nothing_of_academy_b(
    request, world, routes, client_for, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    visits = visit_all(client_for(user), routes, world.academy_b, load_scope_params())
    assert not leaks(visits, world.markers("B") + world.markers("X"))


def test_another_trust_sees_nothing(world, routes, client_for, exec_x):
    visits = visit_all(client_for(exec_x), routes, world.academy_a, load_scope_params())
    assert not leaks(visits, world.markers("A") + world.markers("B") + [world.trust.name])


def test_trustee_sees_no_pupil(world, routes, client_for, trustee_user):
    markers = [p.surname for key in ("A", "B") for p in world.pupils[key]]
    for academy in (world.academy_a, world.academy_b):
        visits = visit_all(client_for(trustee_user), routes, academy, load_scope_params())
        assert not leaks(visits, markers, object_routes_must_refuse=False)


def test_own_pages_work(world, routes, client_for, head_a):
    visits = visit_all(client_for(head_a), routes, world.academy_a, load_scope_params())
    assert all(v.status < 500 for v in visits)
    assert any(v.status == 200 and "Catch-up at Alderbrook Academy" in v.body for v in visits)
