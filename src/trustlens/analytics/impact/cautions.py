"""Plain-words cautions: what an evaluation's result can and cannot show.

The checks follow the EEF's padlock criteria for a study's security (EEF *Classifying the
security of EEF findings*, 2019: design, size, attrition, balance at baseline, threats to
validity) and the EEF *DIY Evaluation Guide*'s warnings on comparison groups and regression to
the mean. Thresholds: fewer than 30 pupils in an arm; attrition above 10%; a standardised mean
difference above 0.1 after matching (Austin 2011); participants more than 0.2 SD below their
peers at baseline signal selection on low scores.

Academies are two separate questions, and each gets its own caution:

- *Internal validity* (is the comparison fair?): comparison pupils from other academies differ
  from participants in their academy as well as in the intervention. ``academy_adjusted`` (a
  note) says the model allowed for this; ``academy_differences`` (a warning) says it could not,
  and is given only when comparison pupils really are in other academies (``comparison_elsewhere``
  is their share; unknown or 0 means there is nothing to warn about).
- *External validity* (does it carry over?): an intervention run in one academy shows how it
  went there, with those staff and pupils (EEF padlock criteria: a single-site study is less
  secure evidence for other settings). ``single_academy`` (a note) says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SMALL_ARM = 30
ATTRITION_LIMIT = 0.10
SELECTION_SMD = -0.2
FEW_ACADEMIES = 3


@dataclass(frozen=True)
class Caution:
    """One caution: a stable ``code`` for filters and tests, and its plain-words ``text``."""

    code: str
    text: str
    severity: str = "warning"  # "serious" | "warning" | "note"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PupilCounts:
    """The design and pupil counts an evaluation reports and its cautions are judged on."""

    design: str
    n_registered: int
    n_with_outcome: int
    n_intervention: int = 0
    n_comparison: int = 0
    n_unmatched: int = 0
    n_no_baseline: int = 0


@dataclass
class Facts(PupilCounts):
    """What the cautions are generated from (filled in by ``evaluate``)."""

    no_comparison_reason: str = ""
    baseline: str = ""
    ci: tuple[float, float] | None = None
    imbalanced: list[str] = field(default_factory=list)
    baseline_smd_before: float | None = None
    n_academies: int = 1
    academy_adjusted: bool = False
    comparison_elsewhere: float | None = None
    min_reference: int = 10
    context_adjusted: bool = False
    n_comparison_academies: int | None = None
    randomised: bool = False

    @property
    def attrition(self) -> float:
        if self.n_registered <= 0:
            return 0.0
        return 1 - self.n_with_outcome / self.n_registered


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _no_comparison(f: Facts) -> list[Caution]:
    if f.n_comparison:
        return []
    return [
        Caution(
            "no_comparison",
            f"No comparison group could be formed ({f.no_comparison_reason}). Without one we cannot "
            "separate the intervention's effect from the progress these pupils would have made anyway, "
            "so no effect size or months' progress is given.",
            "serious",
        )
    ]


def _small(f: Facts) -> list[Caution]:
    if not f.n_comparison or min(f.n_intervention, f.n_comparison) >= SMALL_ARM:
        return []
    return [
        Caution(
            "small_sample",
            f"Only {f.n_intervention} participants and {f.n_comparison} comparison pupils were compared "
            f"(fewer than {SMALL_ARM} in a group). Results from groups this small move a lot by chance: "
            "read this as a first look, not a verdict.",
        )
    ]


def _interval(f: Facts) -> list[Caution]:
    if f.ci is None or not (f.ci[0] <= 0 <= f.ci[1]):
        return []
    low, high = f.ci
    return [
        Caution(
            "ci_spans_zero",
            f"The 95% confidence interval runs from {low:+.2f} to {high:+.2f} and includes zero: we cannot "
            "tell whether it worked. The data fit no effect at all as well as an effect anywhere in that range.",
            "serious",
        )
    ]


def _attrition(f: Facts) -> list[Caution]:
    if f.attrition <= ATTRITION_LIMIT:
        return []
    missing = f.n_registered - f.n_with_outcome
    return [
        Caution(
            "attrition",
            f"{missing} of {f.n_registered} registered participants ({_pct(f.attrition)}) have no result in "
            "the post-test window and are left out. If the pupils who are missing differ from those who "
            "stayed (left the academy, were absent for the test), the result can be biased; the EEF treats "
            "attrition above 10% as a weakness.",
        )
    ]


def _unmatched(f: Facts) -> list[Caution]:
    lost = f.n_unmatched + f.n_no_baseline
    if not lost or not f.n_comparison:
        return []
    parts = []
    if f.n_no_baseline:
        parts.append(f"{f.n_no_baseline} had no baseline score to match on")
    if f.n_unmatched:
        parts.append(
            f"{f.n_unmatched} had no pupil close enough in prior attainment in their year group"
        )
    return [
        Caution(
            "unmatched",
            f"Of the participants with a result, {' and '.join(parts)}; they are not in the estimate, "
            "which describes the matched participants only.",
            "note" if lost / max(f.n_with_outcome, 1) <= ATTRITION_LIMIT else "warning",
        )
    ]


def _imbalance(f: Facts) -> list[Caution]:
    if not f.imbalanced:
        return []
    return [
        Caution(
            "imbalance",
            f"After matching, participants and comparison pupils still differ on {', '.join(f.imbalanced)} "
            "(a standardised difference above 0.1). The adjusted effect size allows for these measures, but "
            "a gap this size makes the comparison less like-for-like.",
        )
    ]


def _selection(f: Facts) -> list[Caution]:
    if f.baseline_smd_before is None or f.baseline_smd_before > SELECTION_SMD:
        return []
    return [
        Caution(
            "regression_to_mean",
            f"Participants started {abs(f.baseline_smd_before):.2f} SD below other pupils in their year, so they "
            "look chosen for low scores. Pupils picked for low scores tend to score nearer the average next "
            "time anyway (regression to the mean). The comparison pupils had the same scores, which allows for "
            "this on the scores we hold; if pupils were picked on something else (a teacher's judgement, a "
            "bad week), part of any gain may still be regression to the mean.",
        )
    ]


def _no_pretest(f: Facts) -> list[Caution]:
    if not f.n_comparison or f.baseline != "prior":
        return []
    return [
        Caution(
            "no_pretest",
            "There is no pre-test in this intervention's window, so pupils were matched on their key stage "
            "prior attainment from earlier years. More can have changed since then, and the "
            "difference-in-differences check is not available.",
        )
    ]


def _academies(f: Facts) -> list[Caution]:
    """Internal validity: were differences between academies allowed for?"""
    if not f.n_comparison:
        return []
    if f.academy_adjusted:
        return [
            Caution(
                "academy_adjusted",
                "Academies differ, so participants are compared with similar pupils across the trust and, "
                "through the model, with the other pupils of their own academy. This allows for how well each "
                "academy does with all its pupils, and assumes its other pupils show how the participants would "
                "otherwise have done (it would not, if they had extra support too).",
                "note",
            )
        ]
    if not f.comparison_elsewhere:
        return []
    where = (
        "the participants' academy"
        if f.n_academies == 1
        else "one or more of the participants' academies"
    )
    if f.context_adjusted:
        allowed = (
            "The results are corrected for each academy's average pre-test (a low scorer at a "
            "high-attaining academy tends to move towards that academy's average), but not for differences "
            "in how much progress academies make (their teaching, timetable, how the assessment is run and "
            "marked): part of the difference may come from the academy rather than the intervention."
        )
    else:
        allowed = (
            "Differences between academies are not allowed for: part of the difference may come from "
            "the academy (its teaching, timetable, how the assessment is run and marked) rather than the "
            "intervention."
        )
    few = ""
    if f.n_comparison_academies is not None and f.n_comparison_academies < FEW_ACADEMIES:
        k = f.n_comparison_academies
        few = (
            f" The comparison pupils come from only {k} {'academy' if k == 1 else 'academies'}, so an "
            "academy that happens to make more (or less) progress than others moves the whole result, "
            "and the 95% interval does not include that uncertainty."
        )
    return [
        Caution(
            "academy_differences",
            f"{_pct(f.comparison_elsewhere)} of the comparison pupils are in academies that did not run it, and "
            f"fewer than {f.min_reference} other pupils of {where} were in the comparison, too few to compare "
            "within the academy. " + allowed + few,
        )
    ]


def _single_academy(f: Facts) -> list[Caution]:
    """External validity: one academy's result may not carry over to others."""
    if not f.n_comparison or f.n_academies != 1:
        return []
    return [
        Caution(
            "single_academy",
            "It ran in one academy, so the result describes how it went there, with those staff, pupils and "
            "that way of delivering it. It does not show that it would work as well in another academy: look for "
            "other evaluations of the same programme in the what-works library before scaling it up.",
            "note",
        )
    ]


def _not_randomised(f: Facts) -> list[Caution]:
    if f.randomised or not f.n_comparison:
        return []
    return [
        Caution(
            "not_randomised",
            "Pupils were not allocated at random. Matching makes the two groups alike on what we measure "
            "(prior attainment, disadvantage, SEN, EAL, sex), not on what we do not (motivation, support at "
            "home, why staff chose them): the result shows an association, not proof that the "
            "intervention caused it.",
        )
    ]


RULES = (
    _no_comparison,
    _interval,
    _small,
    _attrition,
    _unmatched,
    _imbalance,
    _selection,
    _no_pretest,
    _academies,
    _single_academy,
    _not_randomised,
)


def cautions_for(facts: Facts) -> list[Caution]:
    """Every caution that applies, most serious first."""
    found = [caution for rule in RULES for caution in rule(facts)]
    order = {"serious": 0, "warning": 1, "note": 2}
    return sorted(found, key=lambda c: order[c.severity])
