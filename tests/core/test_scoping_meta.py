"""The scoping meta-test: every view of the project, visited as users of academy A with
arguments pointing at academy B (same trust) and at academy X (another trust), must show
nothing of B or X; a trustee must see no pupil-level data anywhere.

Pattern from NetBox's view-test meta-test and PostHog's fail-closed scoping. A new view whose
URL parameter nobody registered makes this test fail (see trustlens.core.testing).
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from trustlens.core.testing import leaks, load_scope_params, visit_all, visitable_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes():
    found = visitable_routes()
    assert any(r.name == "home" for r in found), "the URL conf walk found no views"
    return found


@pytest.fixture
def builders():
    return load_scope_params()


@pytest.mark.parametrize("user_fixture", ["head_a", "teacher_a", "datamanager_a", "cluster_lead_a"])
def test_users_of_academy_a_see_nothing_of_academy_b(
    request, world, routes, builders, client_for, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    visits = visit_all(client_for(user), routes, world.academy_b, builders)
    problems = leaks(visits, world.markers("B") + world.markers("X"))
    assert not problems, "\n".join(problems)


def test_users_of_another_trust_see_nothing_of_trust_one(
    world, routes, builders, client_for, exec_x
):
    visits = visit_all(client_for(exec_x), routes, world.academy_a, builders)
    problems = leaks(visits, world.markers("A") + world.markers("B") + [world.trust.name])
    assert not problems, "\n".join(problems)


def test_trustee_sees_no_pupil_level_data(world, routes, builders, client_for, trustee_user):
    pupil_markers = []
    for key in ("A", "B"):
        pupil_markers += [p.surname for p in world.pupils[key]] + [p.upn for p in world.pupils[key]]
    for academy in (world.academy_a, world.academy_b):
        visits = visit_all(client_for(trustee_user), routes, academy, builders)
        problems = leaks(visits, pupil_markers, object_routes_must_refuse=False)
        assert not problems, "\n".join(problems)


def test_own_academy_pages_work(world, routes, builders, client_for, head_a):
    """Not vacuous: the same pages for the user's own academy answer without errors."""
    visits = visit_all(client_for(head_a), routes, world.academy_a, builders)
    errors = [f"{v.url}: {v.status}" for v in visits if v.status >= 500]
    assert not errors, "\n".join(errors)
    assert any(v.status == 200 and "Alderbrook Academy" in v.body for v in visits)


@pytest.fixture
def trust_one_audit_rows(world, head_a, exec_user):
    """Audit rows of trust 1 naming its academies and pupils (surname and UPN in the text, the
    worst a summary could hold): a DPO of another trust must see none of them."""
    from trustlens.core.audit import log_pupil_access, record_pupil_read

    for key, academy in (("A", world.academy_a), ("B", world.academy_b)):
        for pupil in world.pupils[key]:
            log_pupil_access(exec_user, pupil, academy.pk, f"viewed {pupil.surname} {pupil.upn}")
        record_pupil_read(head_a, f"viewed the pupil list of {academy.name}", academy_id=academy.pk)


def test_dpo_of_another_trust_sees_nothing_of_trust_ones_audit(
    world, routes, builders, client_for, dpo_x, trust_one_audit_rows
):
    visits = visit_all(client_for(dpo_x), routes, world.academy_a, builders)
    problems = leaks(visits, world.markers("A") + world.markers("B") + [world.trust.name])
    assert not problems, "\n".join(problems)
    audit_page = next(v for v in visits if v.route.name == "accounts:audit")
    assert audit_page.status == 200 and "(dpo_hillcrest)" in audit_page.body  # their own rows


def test_dpo_sees_own_trusts_audit_but_no_pupil_pages(
    world, routes, builders, client_for, dpo_user, trust_one_audit_rows
):
    """Not vacuous: trust 1's DPO finds trust 1's rows on the audit page, while every page that
    is not the audit log shows them no pupil-level data (they are not a pupil-level role)."""
    pupil_markers = []
    for key in ("A", "B"):
        pupil_markers += [p.surname for p in world.pupils[key]] + [p.upn for p in world.pupils[key]]
    visits = visit_all(client_for(dpo_user), routes, world.academy_a, builders)
    audit_pages = [v for v in visits if v.route.name.startswith("accounts:")]
    assert any(v.status == 200 and "Alderbrook Academy" in v.body for v in audit_pages)
    others = [v for v in visits if not v.route.name.startswith("accounts:")]
    problems = leaks(others, pupil_markers, object_routes_must_refuse=False)
    assert not problems, "\n".join(problems)


def test_audit_pages_refuse_every_other_role(world, client_for, head_a, exec_user, trustee_user):
    from django.urls import reverse

    for user in (head_a, exec_user, trustee_user):
        for name in ("accounts:audit", "accounts:audit_export", "accounts:subject_access"):
            assert client_for(user).get(reverse(name)).status_code == 403, (user, name)


@override_settings(ROOT_URLCONF="tests.core.leaky_urls")
def test_meta_test_catches_a_deliberately_unscoped_view(world, builders, client_for, head_a):
    """Proof that the meta-test has teeth: a view that skips restrict() is reported."""
    routes = [r for r in visitable_routes() if r.name == "leaky-academy"]
    assert routes, "the leaky test view was not found in the test URL conf"
    visits = visit_all(client_for(head_a), routes, world.academy_b, builders)
    problems = leaks(visits, world.markers("B"))
    assert problems and "Bramblewood Academy" in problems[0]


def test_unregistered_url_parameter_fails_loudly(world, client_for, head_a):
    from trustlens.core.testing import Route, url_for

    route = Route(name="home", pattern="x/<int:mystery_id>/", params=("mystery_id",), namespace="")
    with pytest.raises(LookupError, match="mystery_id"):
        url_for(route, world.academy_b, {})
