"""Every people page answers every role without a server error, over the demo data (the
whole-app walk's rule, for this app's pages), and trustees never see staff names."""

from __future__ import annotations

import datetime as dt

import pytest

from trustlens.core.testing import load_scope_params, url_for, visitable_routes
from trustlens.development.demo import seed_demo
from trustlens.development.models import StaffMember
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db
ROLES = ("exec_user", "head_a", "teacher_a", "cluster_lead_a", "datamanager_a", "trustee_user")


@pytest.fixture
def seeded(world):
    Academy.objects.unscoped().filter(pk=world.academy_a.pk).update(improvement_stage="stabilise")
    Academy.objects.unscoped().filter(pk=world.academy_b.pk).update(improvement_stage="lead")
    seed_demo(world.trust.slug, 1, dt.date.today())
    return world


@pytest.mark.parametrize("role", ROLES)
def test_every_people_page_answers(request, seeded, client_for, role):
    user = request.getfixturevalue(role)
    client = client_for(user)
    builders = load_scope_params()
    routes = [r for r in visitable_routes() if r.namespace == "development"]
    assert len(routes) > 30
    names = list(StaffMember.objects.unscoped().values_list("name", flat=True))
    for route in routes:
        response = client.get(url_for(route, seeded.academy_a, builders))
        assert response.status_code < 500, route.name
        if role == "trustee_user" and response.status_code == 200:
            body = response.content.decode()
            assert not [n for n in names if n in body], route.name
