"""Building the dashboards' summaries after each import: the records database's part.

:func:`rebuild_summaries` gathers the organisation tree and the class lists (system work:
unscoped) and hands them, with the analytical store, to
:func:`trustlens.analytics.summaries.rebuild.rebuild`, which plans, computes and writes the
facts under ``settings.STORE_DIR/<trust>/_summaries/``.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pandas as pd
from django.conf import settings

from trustlens.analytics.summaries import files
from trustlens.analytics.summaries.rebuild import rebuild
from trustlens.ingest.store import AnalyticalStore
from trustlens.organisations.models import Academy

ACADEMY_FIELDS = ["urn", "name", "phase", "joined_trust", "cluster_id", "cluster__region_id"]


def summary_dir(trust_slug: str) -> Path:
    return files.summary_dir(settings.STORE_DIR, trust_slug)


def rebuild_summaries(trust_slug: str, datasets: list[str] | None = None) -> dict:
    """Recompute and persist the trust's dashboard summaries (incremental; see
    :func:`trustlens.analytics.summaries.rebuild.rebuild`); returns the build's metadata."""
    organisation = (academy_frame(trust_slug), membership_frame(trust_slug))
    store = AnalyticalStore(settings.STORE_DIR)
    return rebuild(store, settings.STORE_DIR, trust_slug, organisation, datasets)


def rebuild_summaries_from_scratch(trust_slug: str) -> dict:
    """A full rebuild with none of the old summaries kept (after a pupil's erasure): the old
    folder is set aside, restored if the rebuild fails, removed once it succeeded."""
    old = summary_dir(trust_slug)
    aside = old.with_name(f"{old.name}.replaced-{uuid.uuid4().hex[:8]}")
    if old.exists():
        old.rename(aside)
    try:
        meta = rebuild_summaries(trust_slug)
    except BaseException:
        if aside.exists() and not old.exists():
            aside.rename(old)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return meta


def academy_frame(trust_slug: str) -> pd.DataFrame:
    """urn, name, phase, joined_trust, cluster id, region id (system work: unscoped)."""
    rows = Academy.objects.unscoped().filter(trust__slug=trust_slug).values(*ACADEMY_FIELDS)
    frame = pd.DataFrame(list(rows), columns=ACADEMY_FIELDS)
    frame["cluster"] = frame["cluster_id"].map(_id_text)
    frame["region"] = frame["cluster__region_id"].map(_id_text)
    return frame[["urn", "name", "phase", "joined_trust", "cluster", "region"]]


def _id_text(value: object) -> str:
    return "" if pd.isna(value) else str(int(value))


def membership_frame(trust_slug: str) -> pd.DataFrame:
    """class_id (str), pupil_id, subject: every class list of the trust (unscoped)."""
    from trustlens.pupils.models import GroupMembership

    rows = (
        GroupMembership.objects.unscoped()
        .filter(group__academy__trust__slug=trust_slug)
        .values_list("group_id", "pupil__pupil_id", "group__subject")
    )
    frame = pd.DataFrame(list(rows), columns=["class_id", "pupil_id", "subject"])
    frame["class_id"] = frame["class_id"].astype(str)
    return frame
