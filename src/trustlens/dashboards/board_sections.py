"""The board pack's sections: outcomes and inclusion from the summaries (``boardpack``), the
others from the apps that own them through ``core.hooks.board_sections`` (quality here, as
the dashboards may read the quality app below them; stages, support by improvement; impact by
interventions, which are siblings and register themselves).

Every section is aggregates only: counts, sums and rated figures, never a narrative.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from trustlens.core.hooks import board_sections, register_board_section

#: The board pack's sections, in order: the XLSX has one sheet named exactly after each.
SECTION_KEYS = ("outcomes", "inclusion", "quality", "stages", "support", "impact")
TITLES = {
    "outcomes": "Outcomes",
    "inclusion": "Inclusion",
    "quality": "Quality assurance themes",
    "stages": "Improvement stages",
    "support": "Support",
    "impact": "Intervention impact",
}


def quality_section(user: Any, trust: Any, as_of: dt.date | None) -> dict:
    """QA findings by theme and kind (strength, area for development, concern) from the
    activities done by ``as_of``: how many of each, in how many academies."""
    from trustlens.quality.choices import ActivityStatus, FindingKind
    from trustlens.quality.models import Finding

    found = Finding.objects.restrict(user).filter(
        activity__academy__trust=trust, activity__status=ActivityStatus.DONE
    )
    if as_of:
        found = found.filter(activity__scheduled_on__lte=as_of)
    counts: Counter = Counter()
    academies: dict[str, set[int]] = {}
    for finding in found.select_related("area", "activity"):
        theme = finding.area.get_theme_display() if finding.area_id else "Other"
        counts[(theme, finding.kind)] += 1
        academies.setdefault(theme, set()).add(finding.activity.academy_id)
    kinds = [k for k, _label in FindingKind.choices]
    rows = [
        [theme, len(academies[theme]), *[counts[(theme, k)] for k in kinds]]
        for theme in sorted(academies)
    ]
    return {
        "columns": ["Theme", "Academies", *[label for _k, label in FindingKind.choices]],
        "rows": rows,
        "notes": ["Findings of completed QA activities (counts; the narrative stays with staff)."],
    }


def register() -> None:
    register_board_section("quality", TITLES["quality"], quality_section, order=20)


def app_sections(user: Any, trusts: list, as_of: dt.date | None) -> list[dict]:
    """Quality, stages, support and impact for each trust: a registered section's table, or
    a row saying that the app providing it is not installed."""
    registered = board_sections()
    out = []
    for key in SECTION_KEYS[2:]:
        section = registered.get(key)
        tables = []
        for trust in trusts:
            if section is None:
                table = {
                    "columns": ["Note"],
                    "rows": [["Not available: no app provides this section."]],
                    "notes": [],
                }
            else:
                table = dict(section.build(user, trust, as_of))
            tables.append({"trust": trust, **table})
        out.append({"key": key, "title": TITLES[key], "tables": tables})
    return out
