"""Writes for the organisation tree: trusts, regions, clusters and academies from imports.

The loaders are called by ``trustlens.imports.services`` inside the import's transaction, with
the typed rows of a validated ``academies.csv`` (see ``trustlens.ingest.standard.ACADEMIES``).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.utils.text import slugify

from trustlens.core.access import allowed_ids
from trustlens.ingest.registry import LoadTarget
from trustlens.ingest.standard import ACADEMIES
from trustlens.ingest.store import conform
from trustlens.organisations.models import Academy, Cluster, Region, Trust

ACADEMY_FIELDS = (
    "laestab",
    "name",
    "phase",
    "academy_type",
    "joined_trust",
    "ofsted_grade",
    "ofsted_date",
)


def ensure_trust(slug: str, name: str | None = None) -> tuple[Trust, bool]:
    """The trust with ``slug``, created (named ``name`` or after the slug) if it does not exist."""
    trust = Trust.objects.unscoped().filter(slug=slug).first()
    if trust is not None:
        return trust, False
    title = name or f"{slug.replace('-', ' ').replace('_', ' ').title()} Trust"
    return Trust.objects.create(slug=slugify(slug) or slug, name=title), True


def _cluster(
    trust: Trust, region_name: str | None, cluster_name: str | None, cache: dict
) -> Cluster | None:
    """Find or create the region and cluster named in a row (a cluster needs a region)."""
    if not region_name or not cluster_name:
        return None
    key = (region_name, cluster_name)
    if key not in cache:
        region, _ = Region.objects.unscoped().get_or_create(trust=trust, name=region_name)
        cache[key], _ = Cluster.objects.unscoped().get_or_create(region=region, name=cluster_name)
    return cache[key]


def _academy_values(row: dict[str, Any]) -> dict[str, Any]:
    values = {field: row.get(field) for field in ACADEMY_FIELDS}
    values["ofsted_grade"] = values["ofsted_grade"] or ""
    if not values["academy_type"]:
        values.pop("academy_type")  # keep what is held (or the model default)
    return values


def load_academies(target: LoadTarget, frame: pl.DataFrame) -> int:
    """Add or update academies by URN; create the regions and clusters they name."""
    trust: Trust = target.trust
    clusters: dict = {}
    for row in frame.iter_rows(named=True):
        values = _academy_values(row)
        values["cluster"] = _cluster(trust, row.get("region"), row.get("cluster"), clusters)
        Academy.objects.unscoped().update_or_create(urn=row["urn"], trust=trust, defaults=values)
    return frame.height


def academies_frame(trust: Trust) -> pl.DataFrame:
    """The trust's academies as the analytical store holds them (a snapshot of the records)."""
    rows = (
        Academy.objects.unscoped()
        .filter(trust=trust)
        .select_related("cluster__region")
        .order_by("urn")
    )
    data = [
        {
            "urn": a.urn,
            "laestab": a.laestab,
            "name": a.name,
            "phase": a.phase,
            "academy_type": a.academy_type,
            "region": a.cluster.region.name if a.cluster_id else None,
            "cluster": a.cluster.name if a.cluster_id else None,
            "joined_trust": a.joined_trust,
            "ofsted_grade": a.ofsted_grade or None,
            "ofsted_date": a.ofsted_date,
        }
        for a in rows
    ]
    schema = ACADEMIES.store_schema()
    return conform(
        pl.DataFrame(data, schema=schema) if data else pl.DataFrame(schema=schema), schema
    )


def academies_where(user: Any, action: str) -> list[Academy]:
    """Academies where ``user`` may do ``action`` (``core.access``), for form choices."""
    ids = allowed_ids(user, action)
    return list(Academy.objects.restrict(user).filter(pk__in=ids).order_by("name"))


def trusts_where(user: Any, action: str = "configure") -> list[Trust]:
    """Trusts whose frameworks, settings and stage names ``user`` may configure."""
    ids = allowed_ids(user, action)
    return list(Trust.objects.restrict(user).filter(pk__in=ids).order_by("name"))


def visible_trusts(user: Any) -> list[Trust]:
    """Trusts the user sees anything of, for trust-level settings pages."""
    return list(Trust.objects.restrict(user).order_by("name"))
