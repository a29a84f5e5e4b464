"""QA frameworks (issue 6, build 1): configurable per trust, areas and prompts, versioned."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.quality import frameworks
from trustlens.quality.choices import FrameworkStatus
from trustlens.quality.models import Framework, FrameworkArea, FrameworkPrompt

pytestmark = pytest.mark.django_db


def _create(user, trust, name="Riverside QA"):
    return frameworks.create_framework(user, Framework(trust=trust, name=name))


def test_exec_creates_a_draft_with_default_areas(world, exec_user):
    framework = _create(exec_user, world.trust)
    assert framework.status == FrameworkStatus.DRAFT and framework.version == 1
    names = [a["area"].name for a in frameworks.areas_with_prompts(framework)]
    assert {
        "Curriculum",
        "Teaching",
        "Behaviour and attitudes",
        "Assessment rigour",
        "Leadership",
        "SEND and inclusion",
        "Safeguarding culture",
    } <= set(names)
    assert all(a["prompts"] for a in frameworks.areas_with_prompts(framework))
    assert AuditEvent.objects.filter(object_type="quality.framework", action="create").exists()


@pytest.mark.parametrize("user_fixture", ["head_a", "cluster_lead_a", "trustee_user", "exec_x"])
def test_only_the_trusts_executives_configure(request, world, user_fixture):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(user_fixture), world.trust)


def test_versioning_keeps_the_version_in_use_unchanged(world, exec_user):
    v1 = _create(exec_user, world.trust)
    frameworks.activate(exec_user, v1)
    area = FrameworkArea.objects.unscoped().filter(framework=v1).first()
    with pytest.raises(ValidationError):
        frameworks.save_prompt(exec_user, FrameworkPrompt(area=area, text="New prompt"))
    v2 = frameworks.new_version(exec_user, v1)
    assert v2.version == 2 and v2.status == FrameworkStatus.DRAFT
    assert (
        FrameworkArea.objects.unscoped().filter(framework=v2).count()
        == FrameworkArea.objects.unscoped().filter(framework=v1).count()
    )
    with pytest.raises(ValidationError):
        frameworks.new_version(exec_user, v1)  # a draft already exists
    new_area = FrameworkArea.objects.unscoped().filter(framework=v2).first()
    frameworks.save_prompt(exec_user, FrameworkPrompt(area=new_area, text="Only in v2"))
    frameworks.activate(exec_user, v2)
    v1.refresh_from_db()
    assert v1.status == FrameworkStatus.RETIRED
    assert [f.pk for f in frameworks.active_frameworks(world.trust.pk)] == [v2.pk]
    assert (
        not FrameworkPrompt.objects.unscoped()
        .filter(area__framework=v1, text="Only in v2")
        .exists()
    )


def test_framework_name_unique_per_trust(world, exec_user):
    _create(exec_user, world.trust)
    with pytest.raises(ValidationError):
        _create(exec_user, world.trust)


def test_everyone_in_the_trust_reads_frameworks_in_use(
    world, exec_user, teacher_a, exec_x, client_for
):
    framework = _create(exec_user, world.trust, name="Riverside QA")
    frameworks.activate(exec_user, framework)
    page = client_for(teacher_a).get(reverse("quality:frameworks")).content.decode()
    assert "Riverside QA v1" in page and "Curriculum" in page
    assert (
        "Riverside QA" not in client_for(exec_x).get(reverse("quality:frameworks")).content.decode()
    )


def test_framework_pages_are_configuration(world, exec_user, head_a, exec_x, client_for):
    framework = _create(exec_user, world.trust)
    url = reverse("quality:framework_detail", args=[framework.pk])
    assert client_for(exec_user).get(url).status_code == 200
    assert client_for(head_a).get(url).status_code == 403
    assert client_for(exec_x).get(url).status_code == 404


def test_framework_views_create_and_activate(world, exec_user, client_for):
    client = client_for(exec_user)
    response = client.post(
        reverse("quality:framework_create"),
        {"trust": world.trust.pk, "name": "Walks", "with_defaults": "on"},
    )
    framework = Framework.objects.unscoped().get(name="Walks")
    assert response.status_code == 302
    client.post(
        reverse("quality:area_add", args=[framework.pk]),
        {"name": "Reading", "theme": "curriculum", "order": 9},
    )
    assert FrameworkArea.objects.unscoped().filter(framework=framework, name="Reading").exists()
    client.post(reverse("quality:framework_activate", args=[framework.pk]))
    framework.refresh_from_db()
    assert framework.status == FrameworkStatus.ACTIVE


def test_settings_rating_needs_a_scale(world, exec_user):
    settings = frameworks.settings_for(world.trust.pk)
    settings.rating_enabled, settings.rating_scale = True, ""
    with pytest.raises(ValidationError):
        frameworks.save_settings(exec_user, settings)
