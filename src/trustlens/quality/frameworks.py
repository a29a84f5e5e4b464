"""Writes for a trust's QA frameworks (versioned areas and prompts) and its rating setting.

Only the trust's executives configure these (``access.check_can_configure``). A framework's
areas and prompts change only while it is a draft; ``new_version`` copies an in-use framework to
the next draft version and ``activate`` puts a draft in use (retiring the version it replaces),
so every activity keeps the version it was carried out with.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from trustlens.core.access import require
from trustlens.core.audit import delete_audited, save_audited
from trustlens.core.choices import Theme
from trustlens.organisations.models import Trust
from trustlens.quality.choices import DEFAULT_RATING_SCALE, FrameworkStatus
from trustlens.quality.models import Framework, FrameworkArea, FrameworkPrompt, QualitySettings

#: A starting framework: areas (with their theme) and two prompts each.
DEFAULT_AREAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Curriculum",
        Theme.CURRICULUM,
        (
            "Is the curriculum ambitious, well sequenced and taught as planned?",
            "How do leaders know what pupils have remembered?",
        ),
    ),
    (
        "Teaching",
        Theme.TEACHING,
        (
            "How well do teachers check understanding and adapt?",
            "Is there consistency across classes and subjects?",
        ),
    ),
    (
        "Behaviour and attitudes",
        Theme.BEHAVIOUR,
        (
            "Are routines calm, consistent and understood by everyone?",
            "How are pupils who struggle with behaviour supported?",
        ),
    ),
    (
        "Assessment rigour",
        Theme.ASSESSMENT,
        (
            "Are judgements moderated and reliable?",
            "Is assessment information used to change teaching?",
        ),
    ),
    (
        "Leadership",
        Theme.LEADERSHIP,
        (
            "Do leaders at every level know their strengths and weaknesses accurately?",
            "How well is staff development aligned with priorities?",
        ),
    ),
    (
        "SEND and inclusion",
        Theme.SEND,
        (
            "Are needs identified early and met in lessons?",
            "Do pupils with SEND access the full curriculum?",
        ),
    ),
    (
        "Safeguarding culture",
        Theme.SAFEGUARDING,
        (
            "Do all staff know how to raise a concern and do they?",
            "Is there a culture of vigilance (without recording any pupil detail here)?",
        ),
    ),
)


# --- the rating setting -----------------------------------------------------------------------


def settings_for(trust_id: int) -> QualitySettings:
    """The trust's QA settings (an unsaved default when none were saved)."""
    found = QualitySettings.objects.unscoped().filter(trust_id=trust_id).first()
    return found or QualitySettings(trust_id=trust_id, rating_scale=DEFAULT_RATING_SCALE)


def rating_scale_for(trust_id: int) -> list[str]:
    """The developmental scale lesson visits may use; empty when the trust has not enabled it."""
    found = settings_for(trust_id)
    return found.scale if found.rating_enabled else []


def save_settings(user: Any, settings: QualitySettings) -> QualitySettings:
    require(user, "configure", settings.trust_id)
    if settings.rating_enabled and not settings.scale:
        raise ValidationError({"rating_scale": "Give the points of the scale, one per line."})
    return save_audited(user, settings)


# --- frameworks -----------------------------------------------------------------------------


def active_frameworks(trust_id: int) -> list[Framework]:
    return list(
        Framework.objects.unscoped().filter(trust_id=trust_id, status=FrameworkStatus.ACTIVE)
    )


@transaction.atomic
def create_framework(user: Any, framework: Framework, with_defaults: bool = True) -> Framework:
    """A new framework (version 1, draft), optionally filled with the default areas."""
    require(user, "configure", framework.trust_id)
    taken = Framework.objects.unscoped().filter(trust_id=framework.trust_id, name=framework.name)
    if taken.exists():
        raise ValidationError({"name": "The trust already has a framework with this name."})
    framework.version, framework.status = 1, FrameworkStatus.DRAFT
    save_audited(user, framework)
    if with_defaults:
        for order, (name, theme, prompts) in enumerate(DEFAULT_AREAS, start=1):
            area = save_audited(
                user, FrameworkArea(framework=framework, name=name, theme=theme, order=order)
            )
            for number, text in enumerate(prompts, start=1):
                save_audited(user, FrameworkPrompt(area=area, text=text, order=number))
    return framework


def _check_draft(user: Any, framework: Framework) -> None:
    require(user, "configure", framework.trust_id)
    if not framework.editable:
        raise ValidationError(
            "This version is in use or retired: make a new version to change its areas."
        )


def save_area(user: Any, area: FrameworkArea) -> FrameworkArea:
    _check_draft(user, area.framework)
    return save_audited(user, area)


def delete_area(user: Any, area: FrameworkArea) -> None:
    _check_draft(user, area.framework)
    delete_audited(user, area)


def save_prompt(user: Any, prompt: FrameworkPrompt) -> FrameworkPrompt:
    _check_draft(user, prompt.area.framework)
    return save_audited(user, prompt)


def delete_prompt(user: Any, prompt: FrameworkPrompt) -> None:
    _check_draft(user, prompt.area.framework)
    delete_audited(user, prompt)


def update_framework(user: Any, framework: Framework) -> Framework:
    """Rename or re-describe a framework (any version)."""
    require(user, "configure", framework.trust_id)
    return save_audited(user, framework)


@transaction.atomic
def new_version(user: Any, framework: Framework) -> Framework:
    """Copy a framework's areas and prompts into its next version, as a draft."""
    require(user, "configure", framework.trust_id)
    versions = Framework.objects.unscoped().filter(trust_id=framework.trust_id, name=framework.name)
    latest = max(versions.values_list("version", flat=True))
    draft = versions.filter(status=FrameworkStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(f"Version {draft.version} is already a draft: change that one.")
    copy = save_audited(
        user,
        Framework(
            trust_id=framework.trust_id,
            name=framework.name,
            version=latest + 1,
            description=framework.description,
            status=FrameworkStatus.DRAFT,
        ),
    )
    for area in FrameworkArea.objects.unscoped().filter(framework=framework):
        new_area = save_audited(
            user, FrameworkArea(framework=copy, name=area.name, theme=area.theme, order=area.order)
        )
        for prompt in FrameworkPrompt.objects.unscoped().filter(area=area):
            save_audited(user, FrameworkPrompt(area=new_area, text=prompt.text, order=prompt.order))
    return copy


@transaction.atomic
def activate(user: Any, framework: Framework) -> Framework:
    """Put a draft in use; the version of the same name that was in use is retired."""
    require(user, "configure", framework.trust_id)
    if framework.status != FrameworkStatus.DRAFT:
        raise ValidationError("Only a draft can be put in use.")
    in_use = Framework.objects.unscoped().filter(
        trust_id=framework.trust_id, name=framework.name, status=FrameworkStatus.ACTIVE
    )
    for old in in_use:
        old.status = FrameworkStatus.RETIRED
        save_audited(user, old)
    framework.status = FrameworkStatus.ACTIVE
    return save_audited(user, framework)


def retire(user: Any, framework: Framework) -> Framework:
    require(user, "configure", framework.trust_id)
    framework.status = FrameworkStatus.RETIRED
    return save_audited(user, framework)


def frameworks_for(trust: Trust) -> list[Framework]:
    """Every version of the trust's frameworks, newest version first within a name."""
    return list(Framework.objects.unscoped().filter(trust=trust).order_by("name", "-version"))


def areas_with_prompts(framework: Framework) -> list[dict]:
    """The framework's areas, each with its prompts (for the activity and framework pages)."""
    areas = list(FrameworkArea.objects.unscoped().filter(framework=framework))
    prompts = list(FrameworkPrompt.objects.unscoped().filter(area__framework=framework))
    return [{"area": a, "prompts": [p for p in prompts if p.area_id == a.pk]} for a in areas]
