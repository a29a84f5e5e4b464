"""``generate_trust``: build a synthetic trust and write it as core data set CSV files + truth.json."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from trustlens.synth import assessments, attendance, classes, interventions, operations, tables
from trustlens.synth import parameters as params
from trustlens.synth.calendar import Calendar, census_date, year_label
from trustlens.synth.organisation import Academies, build_academies
from trustlens.synth.panel import PupilYears, pupil_terms, pupil_years
from trustlens.synth.population import ks2_sitters, populate
from trustlens.synth.pupils import Pupils
from trustlens.synth.roll import Spells
from trustlens.synth.streams import stream
from trustlens.synth.truth import TrustTruth, academy_truth, parameters
from trustlens.synth.writer import CsvWriter, Progress


@dataclass
class Trust:
    """Everything generated so far, shared by the dataset writers."""

    seed: int
    calendar: Calendar
    academies: Academies
    pupils: Pupils
    spells: Spells
    years: PupilYears
    ids: pl.Series  #: pupil_id of each pupil index

    def rng(self, name: str) -> np.random.Generator:
        return stream(self.seed, name)


def _check(academies: int, years: int, pupils_per_academy: int | None) -> None:
    if not params.MIN_ACADEMIES <= academies <= params.MAX_ACADEMIES:
        raise ValueError(
            f"academies must be from {params.MIN_ACADEMIES} to {params.MAX_ACADEMIES}, not {academies}"
        )
    if not 1 <= years <= 10:
        raise ValueError(f"years must be from 1 to 10, not {years}")
    if pupils_per_academy is not None and not 35 <= pupils_per_academy <= 3000:
        raise ValueError(f"pupils_per_academy must be from 35 to 3000, not {pupils_per_academy}")


def roll_counts(calendar: Calendar, academies: Academies, years: PupilYears) -> np.ndarray:
    """Pupils on roll per academy and year: on census day, or today in the current year."""
    days = np.array(
        [np.datetime64(min(census_date(y), calendar.today), "D") for y in calendar.years]
    )
    index = years.year - calendar.first
    on = (years.first_day <= days[index]) & (days[index] <= years.last_day)
    counts = np.zeros((academies.n, len(calendar.years)))
    np.add.at(counts, (years.academy[on], index[on]), 1)
    return counts


def generate_trust(
    out_dir: Path | str,
    academies: int = 12,
    seed: int = 1,
    *,
    years: int = params.DEFAULT_YEARS,
    pupils_per_academy: int | None = None,
    progress: Progress | None = None,
) -> TrustTruth:
    """Generate a synthetic trust into ``out_dir`` and return its planted truth.

    Same arguments, same bytes: every file, truth.json included, is byte-identical on a re-run.
    """
    _check(academies, years, pupils_per_academy)
    calendar = Calendar(history_years=years)
    writer = CsvWriter(Path(out_dir), progress)
    org = build_academies(stream(seed, "organisation"), academies, calendar, pupils_per_academy)
    pupils, spells = populate(seed, calendar, org)
    py = pupil_years(calendar, spells, pupils)
    trust = Trust(seed, calendar, org, pupils, spells, py, tables.pupil_ids(len(pupils)))
    _write_roll(trust, writer)
    _write_outcomes(trust, writer)
    planted = _write_assessments(trust, writer)
    _write_operations(trust, writer)
    intervention_frame, participant_frame = interventions.frames(planted, org.urn, trust.ids)
    writer.write("interventions", intervention_frame)
    writer.write("intervention_pupils", participant_frame)
    arguments = {
        "academies": academies,
        "seed": seed,
        "years": years,
        "pupils_per_academy": pupils_per_academy,
    }
    truth = _truth(trust, arguments, planted, writer.rows)
    writer.write_json("truth.json", truth.to_dict())
    return truth


def _write_roll(trust: Trust, writer: CsvWriter) -> None:
    """academies, pupils, enrolments, classes and class members."""
    org, pupils, ids = trust.academies, trust.pupils, trust.ids
    writer.write("academies", tables.academies_frame(org))
    writer.write("pupils", tables.pupils_frame(trust.rng("names"), pupils, ids))
    enrolments = tables.enrolments_frame(trust.calendar, pupils, trust.spells, org.urn, ids)
    writer.write("enrolments", enrolments)
    prior = assessments.prior_z(pupils, np.arange(len(pupils)), np.full(len(pupils), 10))
    made = classes.frames(
        trust.rng("classes"), trust.calendar, org, trust.years, prior, ids, trust.rng("teachers")
    )
    writer.write("classes", made[0])
    writer.write("class_members", made[1])


def _write_outcomes(trust: Trust, writer: CsvWriter) -> None:
    """prior attainment, KS2 and KS4."""
    calendar, org, pupils, spells, ids = (
        trust.calendar,
        trust.academies,
        trust.pupils,
        trust.spells,
        trust.ids,
    )
    sat = ks2_sitters(calendar, pupils, spells, org)
    writer.write("prior_attainment", tables.prior_frame(calendar, pupils, spells, sat, ids))
    writer.write("ks2", tables.ks2_frame(pupils, spells, sat, org.urn, ids))
    writer.write("ks4", tables.ks4_frame(trust.rng("ks4"), calendar, org, pupils, spells, ids))


def _write_assessments(trust: Trust, writer: CsvWriter) -> list[interventions.Planted]:
    """Windows and results, with the interventions' effects planted in them."""
    calendar, org = trust.calendar, trust.academies
    terms = pupil_terms(calendar, trust.years)
    writer.write("assessment_windows", assessments.windows_frame(calendar))
    rng = trust.rng("assessments")
    results = assessments.results(rng, calendar, org, trust.pupils, trust.years, terms)
    planted = interventions.plant(trust.rng("interventions"), calendar, org, results)
    writer.write("assessment_results", assessments.results_frame(results, org.urn, trust.ids))
    return planted


def _write_operations(trust: Trust, writer: CsvWriter) -> None:
    """attendance, suspensions, staff, cover, admissions, finance, safeguarding."""
    calendar, org, pupils, py = trust.calendar, trust.academies, trust.pupils, trust.years
    ids = (org.urn, trust.ids)
    terms = pupil_terms(calendar, py)
    rng = trust.rng("attendance")
    writer.write(
        "attendance", attendance.attendance_frame(rng, calendar, org, pupils, py, terms, ids)
    )
    rng = trust.rng("suspensions")
    writer.write(
        "suspensions", attendance.suspensions_frame(rng, org, pupils, py, trust.spells, ids)
    )
    rng = trust.rng("operations")
    roll = roll_counts(calendar, org, py)
    staff, fte, absence = operations.staff_frame(rng, calendar, org, roll)
    writer.write("staff", staff)
    writer.write("cover", operations.cover_frame(rng, calendar, org, fte, absence))
    writer.write("admissions", operations.admissions_frame(rng, calendar, org))
    writer.write("finance", operations.finance_frame(rng, calendar, org, roll))
    writer.write("safeguarding", operations.safeguarding_frame(rng, calendar, org, roll))


def _truth(trust: Trust, arguments: dict, planted: list, rows: dict[str, int]) -> TrustTruth:
    calendar, org = trust.calendar, trust.academies
    extra = {
        "generator": "trustlens.synth",
        "arguments": arguments,
        "trust": {"slug": params.TRUST_SLUG, "name": params.TRUST_NAME},
        "today": calendar.today.isoformat(),
        "current_academic_year": year_label(calendar.current),
        "academic_years": [year_label(y) for y in calendar.years],
        "units": {
            "school_effect": "P8 units at KS4; SD units of the score for KS2 and in-year assessments",
            "pupil_effects": "added as effect x (indicator - national share); "
            "differences between groups equal the effect",
            "intervention_effect": "SD units of the subject's score, "
            "added to participants' post-window results",
        },
        "parameters": parameters(calendar),
    }
    return TrustTruth(
        seed=trust.seed,
        academies=academy_truth(org, calendar),
        roles={role: int(org.urn[i]) for role, i in org.roles.items()},
        late_submitters=[int(org.urn[i]) for i in org.late_submitters],
        interventions=interventions.truth(planted, org.urn),
        files=dict(rows),
        extra=extra,
    )
