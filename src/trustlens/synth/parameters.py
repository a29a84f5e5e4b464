"""Every planted effect and population parameter of the synthetic trust, in one place.

The numbers are chosen to look like English national data, with sources where there is one:
- KS4 Attainment 8 estimates and the SD of pupil Progress 8 (about 1.41 in 2022-2024): the DfE
  KS4 ready-reckoner reference data (dfe-analytical-services/KS4-ready-reckoners; the 2023
  provisional ``p8_att8_splits.csv`` is shipped in ``synth/data``).
- Pupil characteristics (about 25% disadvantaged, 13% SEN support, 2-4% EHC plan, 20% EAL):
  DfE *Schools, pupils and their characteristics* and *SEN in England* (2023/24 orders of size).
- Attendance (overall absence about 7%, persistent absence about 15-20%, higher for disadvantaged
  pupils), suspension rates (secondary about 10-15 per 100 pupils, primary 1-2) and permanent
  exclusions (about 0.1 per 100): DfE *Pupil absence in schools in England* and *Suspensions and
  permanent exclusions in England*, 2022/23 orders of size.
Effects "in SD units" are in standard deviations of the score they shift (15 points for an in-year
standardised score, ``GCSE_SD`` grades for a GCSE-style grade, the KS2 SDs below for KS2).
"""

from __future__ import annotations

import datetime as dt

TRUST_SLUG = "demo"
TRUST_NAME = "Northern Lights Learning Trust"
TODAY = dt.date(2026, 11, 23)
#: Start year of the current academic year (2026/27).
CURRENT_YEAR = 2026
DEFAULT_YEARS = 5
MIN_ACADEMIES, MAX_ACADEMIES = 3, 80
PRIMARY_SHARE = 0.7

#: National shares the pupil-level effects are centred on, so an academy with a national mix of
#: pupils has no composition effect (contribution = effect x (indicator - share)).
NATIONAL_SHARES = {"disadvantaged": 0.25, "sen_k": 0.13, "sen_e": 0.025, "eal": 0.20}
TARGET_SHARES = {"disadvantaged": 0.25, "sen_k": 0.13, "sen_e": 0.025, "eal": 0.20}
LOOKED_AFTER_SHARE = 0.006

#: Early (KS1-age) attainment shifts in SD units: lower prior attainment itself.
LATENT_SHIFTS = {"disadvantaged": -0.5, "sen_k": -0.9, "sen_e": -1.6, "eal": -0.15}
#: KS1-age shift of a pupil born in August against one born in September (SD units).
SUMMER_BORN_SHIFT = -0.35

#: KS2 given KS1 APS (SD units of each KS2 score): the primary progress gaps.
KS2_PUPIL_EFFECTS = {"disadvantaged": -0.2, "sen_k": -0.3, "sen_e": -0.6}
#: Progress 8 given KS2 prior attainment (P8 units). DfE national P8 of these groups has the
#: same signs (disadvantaged about -0.5, SEN support -0.4, EHC plan -1.0, EAL +0.5 in 2019).
P8_PUPIL_EFFECTS = {"disadvantaged": -0.3, "sen_k": -0.4, "sen_e": -0.8, "eal": 0.3}
#: In-year assessments given prior attainment (SD units of the score).
INYEAR_PUPIL_EFFECTS = {"disadvantaged": -0.2}

#: School effects: P8 units at KS4 and SD units in KS2 and in-year assessments.
SCHOOL_EFFECT_SD = 0.15
HIGH_EFFECT, LOW_EFFECT = 0.5, -0.5
IMPROVING_SLOPE = 0.15
#: The improving academy's effect in the last complete year.
IMPROVING_LATEST = 0.15

#: Pupil P8 noise (P8 units) so that pupil P8 SD is about 1.41 with school and pupil effects.
P8_NOISE_SD = 1.40
#: Share of the P8 / KS2 / in-year noise that is a persistent pupil trait ("progress propensity").
PROPENSITY_WEIGHT = 0.5

#: KS1 average point score: mean, SD and bounds (KS1 APS runs 3-21 in the DfE files).
KS1_MEAN, KS1_SD, KS1_MIN, KS1_MAX = 16.0, 3.4, 3.0, 21.0
#: KS2 scaled scores: national mean and SD by subject (STA 2023 orders of size).
KS2_MEAN = {"reading": 105.0, "maths": 104.0, "gps": 105.5, "writing": 0.0}
KS2_SD = {"reading": 7.0, "maths": 7.0, "gps": 7.5, "writing": 1.0}
#: Correlation of KS2 with KS1 (through the standardised KS1 APS).
KS2_FROM_KS1 = 0.75
#: Standardisation of the KS2 fine level (mean of reading and maths) for in-year priors.
KS2_FINE_MEAN, KS2_FINE_SD = 104.5, 6.2

#: In-year assessments: correlation with prior attainment, reliability, score scales.
INYEAR_FROM_PRIOR = 0.75
INYEAR_RELIABILITY = 0.85
SCALED_MEAN, SCALED_SD, SCALED_MIN, SCALED_MAX = 100.0, 15.0, 70.0, 141.0
GCSE_START, GCSE_STEP, GCSE_SD, GCSE_MIN, GCSE_MAX = 3.6, 0.075, 1.7, 1.0, 9.0
#: Writing band cut points on the writing z-score (about 29% WTS, 13% GDS as in KS2 2023).
WTS_BELOW, GDS_ABOVE = -0.55, 1.13

#: Yearly probability that a pupil leaves mid-course (mobility), by phase.
EXIT_HAZARD = {"primary": 0.04, "secondary": 0.035}
#: Reasons for mid-course leavers, by phase (the off-rolling academy adds unexplained exits).
EXIT_REASONS = (
    "transfer_state",
    "transfer_independent",
    "elective_home",
    "emigrated",
    "permanent_exclusion",
    "unknown",
)
EXIT_REASON_P = {
    "primary": (0.72, 0.06, 0.07, 0.10, 0.002, 0.048),
    "secondary": (0.68, 0.05, 0.09, 0.09, 0.03, 0.06),
}
#: Off-rolling: extra yearly exit hazard in these year groups at one secondary, mostly unknown.
OFFROLL_YEAR_GROUPS = (10, 11)
OFFROLL_EXTRA_HAZARD = 0.06
OFFROLL_REASON_P = {"unknown": 0.8, "elective_home": 0.2}
#: Share of trust Y6 leavers who move on to a trust secondary in their region.
TRUST_TRANSITION = 0.6

#: Attendance: logit of the absence rate by phase; pupil and academy spreads.
ABSENCE_LOGIT = {"primary": -3.5, "secondary": -3.15}
ABSENCE_PUPIL_SD = 0.7
ABSENCE_EFFECTS = {"disadvantaged": 0.5, "sen_k": 0.35, "sen_e": 0.6}
ABSENCE_ACADEMY_SD = 0.12
WORSE_ATTENDANCE_SHIFT = 0.5
TERM_SESSIONS = {"autumn": 134, "spring": 120, "summer": 126}

#: Suspensions per pupil per year by phase; permanent exclusions come from enrolments.
SUSPENSION_RATE = {"primary": 0.015, "secondary": 0.12}

#: Intervention true effects (SD units of the subject's score, post window).
INTERVENTION_EFFECTS = (0.3, 0.1, 0.0, -0.1, 0.2, 0.05)

#: Academies whose current autumn window results are missing (late submitters).
LATE_SUBMITTERS = 2
