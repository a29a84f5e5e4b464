"""Views of the quality app: the QA calendar and activities, frameworks and moderation."""

from trustlens.quality.views.activities import (
    activity_create,
    activity_detail,
    activity_edit,
    evidence_add,
    evidence_delete,
    evidence_download,
    finding_action,
    finding_create,
    finding_delete,
    finding_edit,
    index,
    participant_add,
    participant_remove,
)
from trustlens.quality.views.frameworks import (
    area_add,
    area_delete,
    area_edit,
    framework_activate,
    framework_create,
    framework_detail,
    framework_edit,
    framework_list,
    framework_retire,
    framework_version,
    prompt_add,
    prompt_delete,
    prompt_edit,
    quality_settings,
)
from trustlens.quality.views.moderation import (
    moderation_create,
    moderation_detail,
    moderation_edit,
    moderation_index,
    sample_add,
    sample_delete,
    sample_edit,
)

__all__ = [
    "activity_create", "activity_detail", "activity_edit", "area_add", "area_delete", "area_edit",
    "evidence_add", "evidence_delete", "evidence_download", "finding_action", "finding_create",
    "finding_delete", "finding_edit", "framework_activate", "framework_create", "framework_detail",
    "framework_edit", "framework_list", "framework_retire", "framework_version", "index",
    "moderation_create", "moderation_detail", "moderation_edit", "moderation_index",
    "participant_add", "participant_remove", "prompt_add", "prompt_delete", "prompt_edit",
    "quality_settings", "sample_add", "sample_delete", "sample_edit",
]
