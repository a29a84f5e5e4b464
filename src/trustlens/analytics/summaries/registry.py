"""The summary builders and what each reads and writes (for incremental rebuilds)."""

from __future__ import annotations

from trustlens.analytics.summaries.inclusion import exit_facts
from trustlens.analytics.summaries.operational import operational_facts
from trustlens.analytics.summaries.outcomes import (
    ks2_facts,
    ks4_attainment_facts,
    progress8_facts,
    value_added_facts,
)
from trustlens.analytics.summaries.pastoral import attendance_facts, exclusion_facts, roll_facts

BUILDERS = (
    progress8_facts,
    ks4_attainment_facts,
    ks2_facts,
    value_added_facts,
    attendance_facts,
    exclusion_facts,
    roll_facts,
    exit_facts,
    operational_facts,
)
FUNNEL_MEASURES = ("p8", "va", "ks2_reading", "ks2_writing", "ks2_maths")
YEAR_SOURCES = {"attendance", "assessment_results", "ks4", "ks2"}
#: builder -> (store datasets it reads, measure codes it writes). An import of other datasets
#: leaves its rows as they were (incremental rebuild).
BUILDER_IO: dict[str, tuple[set[str], set[str]]] = {
    "progress8_facts": ({"ks4", "pupils"}, {"p8", "p8_gap", "p8_mat", "p8_time_in_trust"}),
    "ks4_attainment_facts": ({"ks4", "pupils"}, {"a8", "em4"}),
    "ks2_facts": (
        {"ks2", "pupils"},
        {"ks2_rwm", "ks2_rwm_gap", "ks2_reading", "ks2_writing", "ks2_maths"},
    ),
    "value_added_facts": (
        {"assessment_results", "prior_attainment", "pupils", "classes", "class_members"},
        {"va"},
    ),
    "attendance_facts": ({"attendance", "pupils"}, {"attendance", "persistent_absence"}),
    "exclusion_facts": (
        {"suspensions", "enrolments", "pupils"} | YEAR_SOURCES,
        {"suspensions", "permanent_exclusions"},
    ),
    "roll_facts": ({"enrolments", "pupils"} | YEAR_SOURCES, {"sen_share", "disadvantaged_share"}),
    "exit_facts": (
        {"enrolments", "pupils", "prior_attainment"} | YEAR_SOURCES,
        {"exits", "exits_moves", "exits_explained", "exits_excluded"},
    ),
    "operational_facts": (
        {"admissions", "cover", "staff", "finance", "safeguarding"},
        {"first_preferences", "cover_share", "staff_absence", "finance_balance", "safeguarding"},
    ),
}


def builders_for(datasets: set[str] | None, years_changed: bool = True) -> list[str] | None:
    """The builders an import of ``datasets`` affects; None means everything (a full rebuild:
    no list given, or the organisation tree changed). Roll and exclusions depend on which
    academic years have data, not on the rows, unless ``years_changed``."""
    if datasets is None or "academies" in datasets:
        return None
    out = []
    for name, (reads, _writes) in BUILDER_IO.items():
        if name in ("exclusion_facts", "roll_facts", "exit_facts") and not years_changed:
            reads = reads - YEAR_SOURCES
        if reads & set(datasets):
            out.append(name)
    return out


def inputs_needed(builders: list[str] | None) -> set[str] | None:
    """Store datasets the given builders read (None: all)."""
    if builders is None:
        return None
    return set().union(*(BUILDER_IO[name][0] for name in builders)) if builders else set()


def measures_of(builders: list[str]) -> set[str]:
    return set().union(*(BUILDER_IO[name][1] for name in builders)) if builders else set()
