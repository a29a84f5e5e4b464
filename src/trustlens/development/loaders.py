"""The ``staff_expertise.csv`` loader: the expertise register from the trust's own files.

Rows add to or update staff (by the trust's staff id) and their expertise (by staff, area and
topic); nothing is removed, so records entered on the pages stay. Called by the import
pipeline after every row has passed the data standard's checks (``trustlens.ingest``).
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from trustlens.core.audit import save_audited
from trustlens.development import models
from trustlens.ingest.registry import LoadTarget
from trustlens.organisations.models import Academy


def _staff(row: dict, academy_id: int, held: dict) -> models.StaffMember:
    staff = held.get(row["staff_id"]) or models.StaffMember(staff_ref=row["staff_id"])
    staff.academy_id = academy_id
    staff.name = row["name"]
    staff.job_title = row.get("job_title") or staff.job_title
    if row.get("leader") is not None:
        staff.is_leader = bool(row["leader"])
    staff.days_available = Decimal(str(row["days_available"]))
    staff.consent_to_deploy = bool(row["consent_to_deploy"])
    return staff


def load_staff_expertise(target: LoadTarget, frame: pl.DataFrame) -> int:
    """Upsert staff and their expertise; returns the expertise rows written."""
    academies = dict(Academy.objects.unscoped().filter(trust=target.trust).values_list("urn", "pk"))
    people = models.StaffMember.objects.unscoped().filter(academy__trust=target.trust)
    held = {s.staff_ref: s for s in people.exclude(staff_ref="")}
    written = 0
    for row in frame.iter_rows(named=True):
        staff = _staff(row, academies[row["urn"]], held)
        held[row["staff_id"]] = save_audited(target.user, staff)
        expertise = models.Expertise.objects.unscoped().filter(
            staff=staff, area=row["area"], topic__iexact=row["topic"]
        ).first() or models.Expertise(staff=staff, area=row["area"], topic=row["topic"])
        expertise.level = row["level"]
        expertise.accreditation = row.get("accreditation") or expertise.accreditation
        expertise.evidence = row.get("evidence") or expertise.evidence
        save_audited(target.user, expertise)
        written += 1
    return written
