"""The scoping meta-test for every API route, with tokens: a head's token never reads another
academy's record (404, or 403 where the role may not read that kind of record at all), a
trustee's token lists no pupils (and reads no pupil-level record), and without a token every
route answers 401 JSON.

Routes come from the URL conf (``trustlens.core.testing.visitable_routes``, namespace ``api``),
so a new API route is covered without anyone listing it here.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from trustlens.core.testing import leaks, load_scope_params, url_for, visit_all, visitable_routes

pytestmark = pytest.mark.django_db
#: The reference page is HTML for people: a browser without a session goes to the login page.
LOGIN_PAGES = {"api:docs"}
#: Detail routes of the people, framework, practice and network records.
NEW_DETAIL_ROUTES = (
    "api:staff-detail",
    "api:expertise-detail",
    "api:need-detail",
    "api:deployment-detail",
    "api:coaching-pair-detail",
    "api:deviation-detail",
    "api:practice-profile-detail",
    "api:network-detail",
    "api:network-benchmark",
)


@pytest.fixture
def api_routes():
    routes = [r for r in visitable_routes() if r.namespace.split(":")[0] == "api"]
    names = {r.name for r in routes}
    assert {"api:pupil-list", "api:action-detail", "api:measures", "api:schema"} <= names
    assert set(NEW_DETAIL_ROUTES) | {"api:matrix-domain-list", "api:round-list"} <= names
    return routes


@pytest.fixture
def builders():
    return load_scope_params()


def test_every_api_route_is_visited(api_routes):
    assert len(api_routes) >= 25


def test_a_heads_token_never_reads_another_academys_record(world, api_routes, builders, head_a):
    visits = visit_all(token_client(head_a), api_routes, world.academy_b, builders)
    problems = leaks(visits, world.markers("B") + world.markers("X"))
    assert not problems, "\n".join(problems)
    detail = [v for v in visits if v.route.params]
    assert detail and all(v.status in (403, 404, 405) for v in detail)
    assert any(v.status == 404 for v in detail)
    new = {v.route.name: v.status for v in visits if v.route.name in NEW_DETAIL_ROUTES}
    assert new == dict.fromkeys(NEW_DETAIL_ROUTES, 404)


def test_the_same_routes_answer_for_the_heads_own_academy(world, api_routes, builders, head_a):
    """Not vacuous: the head's own records are served (and server errors would show here)."""
    visits = visit_all(token_client(head_a), api_routes, world.academy_a, builders)
    errors = [f"{v.url}: {v.status}" for v in visits if v.status >= 500]
    assert not errors, "\n".join(errors)
    served = {v.route.name for v in visits if v.status == 200}
    assert {"api:academy-detail", "api:pupil-detail", "api:intervention-detail"} <= served
    assert any("Alderbrook Academy" in v.body for v in visits)


def test_another_trusts_token_sees_nothing_of_this_trust(world, api_routes, builders, exec_x):
    visits = visit_all(token_client(exec_x), api_routes, world.academy_a, builders)
    problems = leaks(visits, world.markers("A") + world.markers("B") + [world.trust.name])
    assert not problems, "\n".join(problems)


def test_a_trustees_token_lists_no_pupils(world, api_routes, builders, trustee_user):
    client = token_client(trustee_user)
    markers = []
    for key in ("A", "B"):
        markers += [p.surname for p in world.pupils[key]] + [p.upn for p in world.pupils[key]]
    for academy in (world.academy_a, world.academy_b):
        visits = visit_all(client, api_routes, academy, builders)
        problems = leaks(visits, markers, object_routes_must_refuse=False)
        assert not problems, "\n".join(problems)
        pupil_routes = [v for v in visits if v.route.name.startswith("api:pupil")]
        assert pupil_routes and all(v.status == 403 for v in pupil_routes)


def test_a_trustees_token_lists_no_staff_level_personal_notes(
    world, api_routes, builders, trustee_user
):
    """Staff records, coaching and deviation narratives stay with staff: a trustee walking
    every route with arguments at their own trust's academy sees none of them."""
    from trustlens.development.models import CoachingPair, CoachingSession

    pair = CoachingPair.objects.unscoped().get(pk=builders["pair_id"](world.academy_a))
    CoachingSession.objects.create(
        pair=pair,
        held_on=pair.started_on,
        focus="Focus on cold calling",
        action_step="Step: wait time",
        notes="Private coaching note",
    )
    for name in ("staff_id", "expertise_id", "need_id", "deployment_id", "deviation_id"):
        builders[name](world.academy_a)
    visits = visit_all(token_client(trustee_user), api_routes, world.academy_a, builders)
    markers = [
        f"Staff of {world.academy_a.name}",
        "Deviation of",
        "Focus on cold",
        "wait time",
        "Private coaching",
        pair.coachee.name,
    ]
    problems = leaks(visits, markers, object_routes_must_refuse=False)
    assert not problems, "\n".join(problems)
    deviations = [v for v in visits if v.route.name == "api:deviation-list"]
    assert (
        deviations
        and deviations[0].status == 200
        and str(world.academy_a.urn) in deviations[0].body
    )


def test_without_a_token_every_route_is_401(world, api_routes, builders):
    client = APIClient()
    for route in api_routes:
        url = url_for(route, world.academy_a, builders)
        response = client.get(url)
        if route.name in LOGIN_PAGES:
            assert response.status_code == 302 and "/accounts/login" in response["Location"]
            continue
        assert response.status_code == 401, f"{url}: {response.status_code}"
        assert response.json()["detail"], url


def test_pupil_reads_are_audited(world, head_a):
    from trustlens.core.models import AuditEvent

    client = token_client(head_a)
    listed = client.get("/api/v1/pupils/").json()["results"]
    assert {p["surname"] for p in listed} == {p.surname for p in world.pupils["A"]}
    assert {p["urn"] for p in listed} == {world.academy_a.urn}
    events = AuditEvent.objects.filter(user=head_a, action=AuditEvent.Action.VIEW_PUPIL)
    assert events.count() == len(listed)
    assert set(events.values_list("academy_id", flat=True)) == {world.academy_a.pk}
    one = world.pupils["A"][0]
    assert client.get(f"/api/v1/pupils/{one.pk}/").status_code == 200
    assert events.filter(object_id=str(one.pk)).count() == 2


def test_filters_narrow_within_scope(world, exec_user):
    client = token_client(exec_user)
    both = client.get("/api/v1/academies/").json()["results"]
    assert {a["urn"] for a in both} == {world.academy_a.urn, world.academy_b.urn}
    one = client.get(f"/api/v1/pupils/?urn={world.academy_b.urn}").json()["results"]
    assert {p["surname"] for p in one} == {p.surname for p in world.pupils["B"]}
    other_trust = client.get(f"/api/v1/pupils/?urn={world.academy_x.urn}").json()
    assert other_trust["count"] == 0
    bad = client.get("/api/v1/pupils/?urn=abc")
    assert bad.status_code == 400 and "urn" in bad.json()


def test_every_record_of_an_academy_carries_its_urn(world, exec_user, builders):
    client = token_client(exec_user)
    builders["plan_id"](world.academy_a)
    builders["action_id"](world.academy_a)
    builders["support_id"](world.academy_a)
    builders["finding_id"](world.academy_a)
    for path in ("plans", "actions", "support", "qa/activities", "qa/findings", "classes"):
        rows = client.get(f"/api/v1/{path}/").json()["results"]
        assert rows, path
        assert all(row["urn"] in {world.academy_a.urn, world.academy_b.urn} for row in rows), path
