"""improvement's board-pack sections (registered in ``apps.py`` through ``core.hooks``):
the academies' improvement stages and the support ledger, as counts and sums only."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from trustlens.improvement import models
from trustlens.improvement.services import stage_label


def _latest_stage(academy_ids: list[int], as_of: dt.date | None) -> dict[int, str]:
    rows = models.StageChange.objects.unscoped().filter(academy_id__in=academy_ids)
    if as_of:
        rows = rows.filter(changed_on__lte=as_of)
    latest: dict[int, str] = {}
    for academy_id, stage in rows.order_by("changed_on", "pk").values_list("academy_id", "stage"):
        latest[academy_id] = stage
    return latest


def stages_section(user: Any, trust: Any, as_of: dt.date | None) -> dict:
    """How many academies are at each improvement stage (latest change by ``as_of``)."""
    from trustlens.organisations.models import Academy

    academies = list(
        Academy.objects.restrict(user).filter(trust=trust).values_list("pk", flat=True)
    )
    latest = _latest_stage(academies, as_of)
    counts = Counter(latest.values())
    rows = [[stage_label(trust.pk, code), n] for code, n in sorted(counts.items())]
    rows.append(["No stage recorded", len(academies) - len(latest)])
    return {
        "columns": ["Stage", "Academies"],
        "rows": rows,
        "notes": ["Each academy's latest stage change on or before the pack's date."],
    }


def support_section(user: Any, trust: Any, as_of: dt.date | None) -> dict:
    """Support by provider and status: requests, days and cost."""
    rows_q = models.Support.objects.restrict(user).filter(academy__trust=trust)
    if as_of:
        rows_q = rows_q.filter(requested_on__lte=as_of)
    totals: dict[tuple[str, str], list[float]] = {}
    for record in rows_q:
        key = (record.get_provider_display(), record.get_status_display())
        entry = totals.setdefault(key, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += float(record.days)
        entry[2] += float(record.cost)
    rows = [[p, s, n, round(d, 1), round(c, 2)] for (p, s), (n, d, c) in sorted(totals.items())]
    return {
        "columns": ["Provider", "Status", "Requests", "Days", "Cost (£)"],
        "rows": rows,
        "notes": ["The support ledger: requests made by the pack's date, by who gives them."],
    }
