"""truth.json: every planted effect of a synthetic trust, so analyses can be checked against it.

Units: school effects and the KS4 pupil effects are in Progress 8 units (grades per slot); KS2 and
in-year effects are in SD units of the score they shift (in-year: 15 standardised-score points,
``GCSE_SD`` fine grades, or the writing z-score); pupil-level effects are contributions
effect x (indicator - national share), so they also hold as plain differences between groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trustlens.synth import parameters as params
from trustlens.synth.calendar import Calendar, year_label
from trustlens.synth.organisation import Academies

SCHEMA_VERSION = 1


@dataclass
class TrustTruth:
    """The planted effects of one generated trust (the content of truth.json)."""

    seed: int
    academies: list[dict[str, Any]]
    roles: dict[str, int]  #: role -> URN (high, low, improving, offrolling, worse_attendance)
    late_submitters: list[int]
    interventions: list[dict[str, Any]]
    files: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def effect(self, urn: int, academic_year: str) -> float:
        """An academy's true school effect in one academic year."""
        row = next(a for a in self.academies if a["urn"] == urn)
        return row["effect_by_year"][academic_year]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            **self.extra,
            "planted_effects": planted_effects(self),
            "roles": self.roles,
            "academies": self.academies,
            "late_submitters": {
                "academic_year": self.extra["current_academic_year"],
                "term": "autumn",
                "urns": self.late_submitters,
            },
            "interventions": self.interventions,
            "files": self.files,
        }


def _round(x: float) -> float:
    return round(float(x), 4)


def academy_truth(academies: Academies, calendar: Calendar) -> list[dict[str, Any]]:
    """Per academy: the effect in the last complete year, by year, its roles and mix."""
    role_of: dict[int, list[str]] = {}
    for role, index in academies.roles.items():
        role_of.setdefault(index, []).append(role)
    rows = []
    for a in range(academies.n):
        by_year = {
            year_label(y): _round(academies.effect[a, i]) for i, y in enumerate(calendar.years)
        }
        rows.append(
            {
                "urn": int(academies.urn[a]),
                "name": str(academies.name[a]),
                "phase": str(academies.phase[a]),
                "region": str(academies.region[a]),
                "cluster": str(academies.cluster[a]),
                "roles": sorted(role_of.get(a, [])),
                "effect": by_year[year_label(calendar.current - 1)],
                "effect_by_year": by_year,
                "shares": {k: _round(v[a]) for k, v in academies.shares.items()},
                "absence_logit_shift": _round(academies.absence_shift[a]),
                "late_submitter": a in academies.late_submitters,
            }
        )
    return rows


def parameters(calendar: Calendar) -> dict[str, Any]:
    """The model constants that define the planted effects."""
    lam, rel = params.INYEAR_FROM_PRIOR, params.INYEAR_RELIABILITY
    return {
        "national_shares": params.NATIONAL_SHARES,
        "pupil_effects": {
            "p8_given_ks2_p8_units": params.P8_PUPIL_EFFECTS,
            "ks2_given_ks1_sd": params.KS2_PUPIL_EFFECTS,
            "inyear_given_prior_sd": params.INYEAR_PUPIL_EFFECTS,
            "early_attainment_sd": params.LATENT_SHIFTS,
            "summer_born_early_attainment_sd": params.SUMMER_BORN_SHIFT,
        },
        "school_effects": {
            "sd": params.SCHOOL_EFFECT_SD,
            "high": params.HIGH_EFFECT,
            "low": params.LOW_EFFECT,
            "improving_slope_per_year": params.IMPROVING_SLOPE,
        },
        "p8": {
            "noise_sd": params.P8_NOISE_SD,
            "target_pupil_sd": 1.41,
            "estimates": "DfE KS4 ready-reckoner 2023 provisional p8_att8_splits.csv",
        },
        "inyear": {
            "correlation_with_prior": lam,
            "reliability": rel,
            "residual_sd_given_prior": _round(np.sqrt(rel * (1 - lam**2) + 1 - rel)),
            "score_sd": {"scaled": params.SCALED_SD, "gcse": params.GCSE_SD, "band": 1.0},
            "scaled": {
                "mean": params.SCALED_MEAN,
                "min": params.SCALED_MIN,
                "max": params.SCALED_MAX,
            },
            "gcse_mean": f"{params.GCSE_START} + {params.GCSE_STEP} x (3 x (year_group - 7) + term index)",
            "writing_bands_z": {"WTS_below": params.WTS_BELOW, "GDS_above": params.GDS_ABOVE},
        },
        "off_rolling": {
            "year_groups": list(params.OFFROLL_YEAR_GROUPS),
            "extra_exit_hazard_per_year": params.OFFROLL_EXTRA_HAZARD,
            "reasons": params.OFFROLL_REASON_P,
            "baseline_exit_hazard": params.EXIT_HAZARD,
            "baseline_reason_shares": {
                k: dict(zip(params.EXIT_REASONS, v, strict=True))
                for k, v in params.EXIT_REASON_P.items()
            },
        },
        "attendance": {
            "absence_logit": params.ABSENCE_LOGIT,
            "pupil_sd": params.ABSENCE_PUPIL_SD,
            "effects": params.ABSENCE_EFFECTS,
            "worse_academy_logit_shift": params.WORSE_ATTENDANCE_SHIFT,
        },
        "suspensions_per_pupil_year": params.SUSPENSION_RATE,
    }


def _academy(truth: TrustTruth, role: str) -> dict[str, Any]:
    return next(a for a in truth.academies if a["urn"] == truth.roles[role])


def planted_effects(truth: TrustTruth) -> list[dict[str, Any]]:
    """Every planted effect as one plain entry: what, where, how big, in which units."""
    improving = _academy(truth, "improving")
    return [
        {
            "effect": "school_effect_high",
            "urn": truth.roles["high"],
            "size": params.HIGH_EFFECT,
            "units": "P8 units (KS4); SD units (KS2, in-year)",
            "years": "all",
        },
        {
            "effect": "school_effect_low",
            "urn": truth.roles["low"],
            "size": params.LOW_EFFECT,
            "units": "P8 units (KS4); SD units (KS2, in-year)",
            "years": "all",
        },
        {
            "effect": "school_effect_improving",
            "urn": truth.roles["improving"],
            "size": params.IMPROVING_SLOPE,
            "units": "rise per academic year",
            "by_year": improving["effect_by_year"],
        },
        {
            "effect": "school_effects_other",
            "size": params.SCHOOL_EFFECT_SD,
            "units": "SD of N(0, sd) draws; each academy's value is in academies[].effect",
        },
        {
            "effect": "disadvantaged_gap_p8",
            "size": params.P8_PUPIL_EFFECTS["disadvantaged"],
            "units": "P8 units, given KS2 prior attainment",
        },
        {
            "effect": "disadvantaged_gap_inyear",
            "size": params.INYEAR_PUPIL_EFFECTS["disadvantaged"],
            "units": "SD units of the score, given prior attainment",
        },
        {
            "effect": "disadvantaged_gap_ks2",
            "size": params.KS2_PUPIL_EFFECTS["disadvantaged"],
            "units": "SD units of each KS2 score, given KS1 APS",
        },
        {
            "effect": "disadvantaged_prior_attainment",
            "size": params.LATENT_SHIFTS["disadvantaged"],
            "units": "SD units of early (KS1-age) attainment",
        },
        {
            "effect": "summer_born_prior_attainment",
            "size": params.SUMMER_BORN_SHIFT,
            "units": "SD units of early attainment, August- against September-born",
        },
        {
            "effect": "off_rolling",
            "urn": truth.roles["offrolling"],
            "size": params.OFFROLL_EXTRA_HAZARD,
            "units": "extra yearly exit probability in Y10-Y11, reason unknown (80%) or elective_home (20%)",
        },
        {
            "effect": "worse_attendance",
            "urn": truth.roles["worse_attendance"],
            "size": params.WORSE_ATTENDANCE_SHIFT,
            "units": "added to the logit of each pupil's absence rate",
        },
        {
            "effect": "late_submitters",
            "urns": truth.late_submitters,
            "units": f"no results in the {truth.extra['current_academic_year']} autumn window",
        },
        *(
            {
                "effect": "intervention",
                "intervention_id": i["intervention_id"],
                "urn": i["urn"],
                "size": i["true_effect_sd"],
                "units": "SD units of the subject's score, post window",
            }
            for i in truth.interventions
        ),
    ]
