"""In-year assessments: the trust's termly windows and every pupil's results in them.

Primary Years 1-6 sit reading and maths tests reported as standardised scores (mean 100, SD 15,
70-141 as NFER/GL-style standardised tests are) and get a writing band (WTS/EXS/GDS); secondary
Years 7-11 get GCSE-style fine grades (1.0-9.0) in English, maths and science. A result is drawn
*given prior attainment* (KS2 fine level for Y7+, KS1 APS for Y3-6, early attainment for Y1-2):
z = lambda x prior + pupil traits + noise, standardised so one unit is one SD of the score, then
the academy's school effect for that year and the disadvantaged gap (SD units) are added. So a
value-added model on prior attainment recovers the planted effects. The current autumn window is
left out for the late-submitting academies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from trustlens.synth import parameters as params
from trustlens.synth.calendar import TERMS, Calendar, labels, window_dates, year_label, year_labels
from trustlens.synth.columns import Columns
from trustlens.synth.organisation import Academies
from trustlens.synth.outcomes import ks2_fine
from trustlens.synth.panel import PupilTerms, PupilYears
from trustlens.synth.pupils import Pupils

#: Assessment slots (subject, scale): primary slots 0-2, secondary slots 3-5.
SLOTS = (
    ("reading", "scaled"),
    ("maths", "scaled"),
    ("writing", "band"),
    ("english", "gcse"),
    ("maths", "gcse"),
    ("science", "gcse"),
)
SUBJECT_OF = np.array([s for s, _ in SLOTS])
SCALE_OF = np.array([c for _, c in SLOTS])
PRIMARY_SLOTS = np.array([0, 1, 2])
SECONDARY_SLOTS = np.array([3, 4, 5])
BANDS = np.array(["WTS", "EXS", "GDS"])


@dataclass
class Results(Columns):
    """One row per pupil x subject x window; ``z`` is the score in SD units before scaling."""

    pupil: np.ndarray
    academy: np.ndarray
    year: np.ndarray
    term: np.ndarray
    year_group: np.ndarray
    slot: np.ndarray  #: index into SLOTS
    z: np.ndarray

    def __len__(self) -> int:
        return len(self.pupil)

    def window(
        self, academy: int, year: int, term: str, subject: str, year_group: int
    ) -> np.ndarray:
        """Row numbers of one academy's results in one window, subject and year group."""
        mask = (self.academy == academy) & (self.year == year) & (self.term == TERMS.index(term))
        slot = slot_of(subject, year_group)
        mask &= (self.slot == slot) & (self.year_group == year_group)
        return np.flatnonzero(mask)


def slot_of(subject: str, year_group: int) -> int:
    """The assessment slot of ``subject`` in ``year_group``'s phase."""
    slots = SECONDARY_SLOTS if year_group >= 7 else PRIMARY_SLOTS
    return int(next(i for i in slots if SUBJECT_OF[i] == subject))


def windows_frame(calendar: Calendar) -> pl.DataFrame:
    """assessment_windows.csv: every term of every year, the current year's later ones included."""
    rows = [(year_label(y), term, *window_dates(y, term)) for y in calendar.years for term in TERMS]
    return pl.DataFrame(rows, schema=["academic_year", "term", "opens", "closes"], orient="row")


def prior_z(pupils: Pupils, pupil: np.ndarray, year_group: np.ndarray) -> np.ndarray:
    """Standardised prior attainment used to draw an in-year result."""
    secondary = (ks2_fine(pupils, pupil) - params.KS2_FINE_MEAN) / params.KS2_FINE_SD
    key_stage1 = pupils.ks1_z()[pupil]
    early = pupils.latent[pupil] / 1.1
    return np.where(year_group >= 7, secondary, np.where(year_group >= 3, key_stage1, early))


def results(
    rng: np.random.Generator,
    calendar: Calendar,
    academies: Academies,
    pupils: Pupils,
    years: PupilYears,
    terms: PupilTerms,
) -> Results:
    """Every in-year result (as z-scores) of pupils on roll when each window opened."""
    row = terms.row
    year_group = years.year_group[row]
    late = np.isin(years.academy[row], academies.late_submitters)
    late &= (years.year[row] == calendar.current) & (terms.term == 0)
    keep = terms.in_window & (year_group >= 1) & (year_group <= 11) & ~late
    row, term, year_group = row[keep], terms.term[keep], year_group[keep]
    pupil = years.pupil[row]
    shock = rng.normal(0, 1, len(years))[row]
    lam, weight = params.INYEAR_FROM_PRIOR, params.PROPENSITY_WEIGHT
    propensity = np.where(year_group >= 7, pupils.propensity_ks4[pupil], pupils.propensity[pupil])
    trait = weight * propensity + np.sqrt(1 - weight**2) * shock
    base = lam * prior_z(pupils, pupil, year_group) + np.sqrt(1 - lam**2) * trait
    rep = np.repeat(np.arange(len(row)), 3)
    slot = np.where((year_group >= 7)[:, None], SECONDARY_SLOTS, PRIMARY_SLOTS)
    noise = rng.normal(0, 1, len(rep))
    rel = params.INYEAR_RELIABILITY
    z = np.sqrt(rel) * base[rep] + np.sqrt(1 - rel) * noise
    academy, year = years.academy[row][rep], years.year[row][rep]
    z += academies.effect[academy, year - calendar.first]
    z += pupils.centred_effect(params.INYEAR_PUPIL_EFFECTS, pupil[rep])
    out = Results(pupil[rep], academy, year, term[rep], year_group[rep], slot.reshape(-1), z)
    return out.take(np.lexsort((out.slot, out.pupil, out.term, out.year, out.academy)))


def scale_values(res: Results) -> tuple[np.ndarray, np.ndarray]:
    """The reported number (NaN for bands) and band index (-1 otherwise) of each result."""
    scale = SCALE_OF[res.slot]
    scaled = np.clip(
        np.round(params.SCALED_MEAN + params.SCALED_SD * res.z),
        params.SCALED_MIN,
        params.SCALED_MAX,
    )
    step = (res.year_group - 7) * 3 + res.term
    gcse = np.clip(
        np.round(params.GCSE_START + params.GCSE_STEP * step + params.GCSE_SD * res.z, 1),
        params.GCSE_MIN,
        params.GCSE_MAX,
    )
    number = np.where(scale == "scaled", scaled, np.where(scale == "gcse", gcse, np.nan))
    band = np.where(scale == "band", np.digitize(res.z, [params.WTS_BELOW, params.GDS_ABOVE]), -1)
    return number, band


def results_frame(res: Results, urns: np.ndarray, pupil_ids: pl.Series) -> pl.DataFrame:
    """assessment_results.csv columns."""
    number, band = scale_values(res)
    frame = pl.DataFrame(
        {
            "pupil_id": pupil_ids.gather(res.pupil),
            "urn": urns[res.academy],
            "academic_year": year_labels(res.year),
            "term": labels(TERMS, res.term),
            "subject": labels(list(SUBJECT_OF), res.slot),
            "year_group": res.year_group,
            "scale": labels(list(SCALE_OF), res.slot),
            "number": number,
            "band": labels(list(BANDS), np.maximum(band, 0)),
        }
    )
    value = (
        pl.when(pl.col("scale") == "band")
        .then(pl.col("band"))
        .when(pl.col("scale") == "scaled")
        .then(pl.col("number").cast(pl.Int64).cast(pl.String))
        .otherwise(pl.col("number").cast(pl.String))
    )
    return frame.with_columns(value=value).drop("number", "band")
