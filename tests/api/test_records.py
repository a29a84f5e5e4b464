"""The people, framework, practice and network endpoints: each app's own scoping, every
academy record with its urn, no coaching notes anywhere, trustees without narrative, practice
profiles only from 5 respondents, and network benchmarks exactly as the networks app builds
(and suppresses) them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import token_client
from trustlens.core.testing import load_scope_params

pytestmark = pytest.mark.django_db
#: Detail routes of academy records: (URL prefix, builder parameter).
ACADEMY_RECORDS = [
    ("people/staff", "staff_id"),
    ("people/expertise", "expertise_id"),
    ("people/needs", "need_id"),
    ("people/deployments", "deployment_id"),
    ("people/coaching-pairs", "pair_id"),
    ("framework/deviations", "deviation_id"),
    ("practice/profiles", "practice_profile_id"),
]


@pytest.fixture
def builders():
    return load_scope_params()


@pytest.mark.parametrize(("prefix", "param"), ACADEMY_RECORDS)
def test_a_head_reads_own_academys_record_and_404_for_anothers(
    world, builders, head_a, prefix, param
):
    client = token_client(head_a)
    own = builders[param](world.academy_a)
    other = builders[param](world.academy_b)
    body = client.get(f"/api/v1/{prefix}/{own}/")
    assert body.status_code == 200 and body.json()["urn"] == world.academy_a.urn
    assert client.get(f"/api/v1/{prefix}/{other}/").status_code == 404
    listed = client.get(f"/api/v1/{prefix}/").json()["results"]
    assert [row["id"] for row in listed] == [own]


def test_every_academy_record_carries_its_urn_for_an_executive(world, builders, exec_user):
    client = token_client(exec_user)
    for prefix, param in ACADEMY_RECORDS:
        builders[param](world.academy_a)
        builders[param](world.academy_b)
        rows = client.get(f"/api/v1/{prefix}/").json()["results"]
        assert {row["urn"] for row in rows} == {world.academy_a.urn, world.academy_b.urn}, prefix


def test_coaching_pairs_never_carry_a_sessions_focus_or_notes(world, head_a, teacher_a):
    from trustlens.development.factories import CoachingPairFactory, StaffFactory
    from trustlens.development.models import CoachingSession

    mine = StaffFactory(academy=world.academy_a, user=teacher_a, name="Tess Teacher")
    coaching = CoachingPairFactory(coachee=mine, coach=StaffFactory(academy=world.academy_a))
    other = CoachingPairFactory(
        coachee=StaffFactory(academy=world.academy_a), coach=StaffFactory(academy=world.academy_a)
    )
    CoachingSession.objects.create(
        pair=coaching,
        held_on=dt.date(2026, 1, 12),
        focus="Secret focus on questioning",
        action_step="Cold call every pupil",
        notes="Private note about confidence",
    )
    for user, expected in ((head_a, {coaching.pk, other.pk}), (teacher_a, {coaching.pk})):
        response = token_client(user).get("/api/v1/people/coaching-pairs/")
        text = response.content.decode()
        assert {row["id"] for row in response.json()["results"]} == expected
        for secret in ("Secret focus", "Cold call", "Private note"):
            assert secret not in text
    assert (
        token_client(teacher_a).get(f"/api/v1/people/coaching-pairs/{other.pk}/").status_code == 404
    )


def test_a_trustee_gets_no_staff_records_and_no_deviation_narrative(world, builders, trustee_user):
    client = token_client(trustee_user)
    builders["staff_id"](world.academy_a)
    for prefix in ("people/staff", "people/expertise", "people/needs", "people/deployments"):
        assert client.get(f"/api/v1/{prefix}/").status_code == 403, prefix
    assert client.get("/api/v1/people/coaching-pairs/").status_code == 403
    builders["deviation_id"](world.academy_a)
    response = client.get("/api/v1/framework/deviations/")
    rows = response.json()["results"]
    assert [row["urn"] for row in rows] == [world.academy_a.urn]
    assert rows[0]["reason"] is None and rows[0]["conditions"] is None
    assert "Deviation of" not in response.content.decode()


def test_practice_profiles_under_five_respondents_are_never_returned(world, exec_user):
    from trustlens.practice.factories import PracticeProfileFactory

    shown = PracticeProfileFactory(academy=world.academy_a, area="feedback", respondents=5)
    hidden = PracticeProfileFactory(academy=world.academy_a, area="homework", respondents=4)
    client = token_client(exec_user)
    rows = client.get("/api/v1/practice/profiles/").json()["results"]
    assert [row["id"] for row in rows] == [shown.pk]
    assert client.get(f"/api/v1/practice/profiles/{hidden.pk}/").status_code == 404


def test_matrix_and_rounds_are_the_trusts_own(world, head_a, exec_x):
    from trustlens.governance.factories import DomainFactory, FrameworkFactory, RoundFactory

    domain = DomainFactory(trust=world.trust)
    DomainFactory(trust=world.other_trust)
    round_ = RoundFactory(framework=FrameworkFactory(trust=world.trust))
    domains = token_client(head_a).get("/api/v1/framework/domains/").json()
    assert [d["id"] for d in domains] == [domain.pk]
    assert {d["trust"] for d in domains} == {world.trust.slug}
    rounds = token_client(head_a).get("/api/v1/framework/self-evaluation-rounds/").json()
    assert [r["id"] for r in rounds] == [round_.pk]
    assert token_client(exec_x).get("/api/v1/framework/self-evaluation-rounds/").json() == []


def test_networks_follow_the_networks_access_function(world, builders, exec_user, head_a, exec_x):
    slug = builders["network_slug"](world.academy_a)
    listed = token_client(exec_user).get("/api/v1/networks/").json()
    assert [n["slug"] for n in listed] == [slug]
    assert listed[0]["as_trust"] == world.trust.name and listed[0]["measures"] == ["attendance"]
    for outsider in (head_a, exec_x):  # academy staff and other trusts: as if it did not exist
        client = token_client(outsider)
        assert client.get("/api/v1/networks/").json() == []
        assert client.get(f"/api/v1/networks/{slug}/").status_code == 404
        assert client.get(f"/api/v1/networks/{slug}/benchmark/").status_code == 404
    refused = token_client(exec_user).get(f"/api/v1/networks/{slug}/benchmark/?measure=ks2")
    assert refused.status_code == 403
