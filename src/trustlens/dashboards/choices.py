"""The dashboard measure catalogue: codes, labels, units, direction and which phase they suit.

Every figure on a dashboard, in a board pack or in an export is one row of the precomputed
summaries (``analytics.summaries``) identified by a code below. The catalogue says how to
label and format it and which direction is good, so the RAG rules and the charts stay generic.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    short: str
    unit: str  #: "score", "percent", "points", "per100", "count", "gbp", "ratio", "days"
    higher_is_better: bool | None  #: None: neither direction is "good" (e.g. SEN share)
    decimals: int = 1
    progress: bool = False  #: a value-added/progress score: national average 0, banded by CI
    counts_only: bool = False  #: a count of events, suppressed as a count (never a rate)
    trust_roles_only: bool = False  #: shown only to trust roles (safeguarding)
    #: n counts pupils (or their families), so small groups are suppressed; False for
    #: staff, lessons and money, which identify no pupil (DESIGN §4 Suppression).
    pupil_based: bool = True

    @property
    def measure_is_gap(self) -> bool:
        return self.code.endswith("_gap")


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("p8", "Progress 8", "P8", "score", True, 2, progress=True),
        Measure("a8", "Attainment 8", "A8", "points", True, 1),
        Measure("em4", "English and maths grade 4+", "E&M 4+", "percent", True, 0),
        Measure(
            "ks2_rwm",
            "Reading, writing and maths: expected standard",
            "RWM EXS",
            "percent",
            True,
            0,
        ),
        Measure("ks2_reading", "KS2 reading progress", "KS2 read", "score", True, 1, progress=True),
        Measure("ks2_writing", "KS2 writing progress", "KS2 writ", "score", True, 1, progress=True),
        Measure("ks2_maths", "KS2 maths progress", "KS2 maths", "score", True, 1, progress=True),
        Measure("p8_gap", "Disadvantaged gap in Progress 8", "P8 gap", "score", None, 2),
        Measure("p8_mat", "Progress 8: DfE MAT measure", "P8 MAT", "score", True, 2),
        Measure(
            "p8_time_in_trust", "Progress 8 by years in the trust", "P8 by years", "score", True, 2
        ),
        Measure(
            "ks2_rwm_gap",
            "Disadvantaged gap in RWM expected standard (percentage points)",
            "RWM gap",
            "pp",
            None,
            0,
        ),
        Measure("va", "In-year value added", "VA", "score", True, 2, progress=True),
        Measure(
            "va_group_gap",
            "Gap between pupil groups: in-year value added",
            "VA gap",
            "score",
            None,
            2,
        ),
        Measure("p8_group_gap", "Gap between pupil groups: Progress 8", "P8 gap", "score", None, 2),
        Measure(
            "attendance_group_gap",
            "Gap between pupil groups: attendance",
            "Attend gap",
            "pp",
            None,
            1,
        ),
        Measure(
            "ks2_rwm_group_gap",
            "Gap between pupil groups: RWM expected standard",
            "RWM gap",
            "pp",
            None,
            0,
        ),
        Measure("attainment", "In-year attainment (standardised)", "Attain", "score", True, 2),
        Measure("attendance", "Attendance", "Attend", "percent", True, 1),
        Measure("persistent_absence", "Persistent absence", "PA", "percent", False, 1),
        Measure("suspensions", "Suspensions per 100 pupils", "Susp", "per100", False, 1),
        Measure(
            "permanent_exclusions", "Permanent exclusions per 100 pupils", "PEx", "per100", False, 2
        ),
        Measure("exits", "Unexplained exits", "Exits", "percent", False, 1),
        Measure(
            "exits_moves",
            "Moves off roll Year 10 to 11, unexplained",
            "Off roll Y10-11",
            "percent",
            False,
            1,
        ),
        Measure("exits_explained", "Explained moves", "Moves", "percent", None, 1),
        Measure(
            "exits_excluded", "Permanently excluded leavers", "PEx leavers", "percent", None, 1
        ),
        Measure("sen_share", "Pupils with SEN (support or EHC plan)", "SEN", "percent", None, 0),
        Measure("disadvantaged_share", "Disadvantaged pupils", "Disadv", "percent", None, 0),
        Measure(
            "first_preferences",
            "First preferences per place (PAN)",
            "1st pref/PAN",
            "ratio",
            True,
            2,
        ),
        Measure(
            "cover_share",
            "Lessons covered by cover or temporary staff",
            "Cover",
            "percent",
            False,
            1,
            pupil_based=False,
        ),
        Measure(
            "staff_absence",
            "Staff absence days per FTE",
            "Staff abs",
            "days",
            False,
            1,
            pupil_based=False,
        ),
        Measure("finance_balance", "In-year balance", "Balance", "gbp", True, 0, pupil_based=False),
        Measure(
            "safeguarding",
            "Safeguarding concerns (count)",
            "Safeguarding",
            "count",
            None,
            0,
            counts_only=True,
            trust_roles_only=True,
        ),
    )
}

#: Columns of the trust overview, in order (the headline per academy).
OVERVIEW_COLUMNS = (
    "attainment_headline",
    "progress_headline",
    "gap",
    "attendance",
    "persistent_absence",
    "suspensions",
    "permanent_exclusions",
    "sen_share",
    "first_preferences",
    "cover_share",
    "staff_absence",
    "finance_balance",
    "safeguarding",
)

#: The headline attainment / progress measure per phase.
ATTAINMENT_BY_PHASE = {"secondary": "a8", "primary": "ks2_rwm"}
PROGRESS_BY_PHASE = {"secondary": "p8", "primary": "ks2_maths"}
GAP_BY_PHASE = {"secondary": "p8", "primary": "ks2_rwm"}

#: Pupil-group breakdowns shown on academy pages (DfE performance-table groups).
BREAKDOWNS = {
    "disadvantaged": "Disadvantaged",
    "sen": "Special educational needs",
    "eal": "English as an additional language",
    "sex": "Sex",
    "prior_band": "Prior attainment",
}
GROUP_LABELS = {
    ("disadvantaged", "True"): "Disadvantaged",
    ("disadvantaged", "False"): "Not disadvantaged",
    ("sen", "N"): "No SEN",
    ("sen", "K"): "SEN support",
    ("sen", "E"): "EHC plan",
    ("eal", "True"): "EAL",
    ("eal", "False"): "Not EAL",
    ("sex", "F"): "Female",
    ("sex", "M"): "Male",
    ("prior_band", "low"): "Low prior attainment",
    ("prior_band", "middle"): "Middle prior attainment",
    ("prior_band", "high"): "High prior attainment",
}


class RAG:
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"

    LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "grey": "No rating"}
    TAG_CLASSES = {
        "red": "tl-tag--red",
        "amber": "tl-tag--amber",
        "green": "tl-tag--green",
        "grey": "",
    }
    ORDER = {"red": 0, "amber": 1, "green": 2, "grey": 3}
