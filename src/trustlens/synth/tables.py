"""The core data set's files for the organisation, pupils, rolls and statutory outcomes.

Columns and codes follow the trustlens data standard (DESIGN.md section 3; ``trustlens.ingest``):
dates ISO 8601, academic years "2023/24", flags as booleans (written Y/N), blanks for missing.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from trustlens.standard_codes import LEAVING_REASONS
from trustlens.synth.calendar import Calendar, census_date, year_labels
from trustlens.synth.organisation import Academies
from trustlens.synth.outcomes import WRITING_TA, ks4_results
from trustlens.synth.pupils import SEN_CODES, Pupils, names_for, upns
from trustlens.synth.roll import Spells, academic_year, on_roll_on, year_group_at


def _nullable(values: np.ndarray, mask: np.ndarray, dtype: pl.DataType) -> pl.Series:
    """A column with nulls where ``mask`` is False."""
    return pl.Series(np.where(mask, values, np.nan)).fill_nan(None).cast(dtype)


def pupil_ids(n: int) -> pl.Series:
    """Trust-wide surrogate ids P000001, P000002, ... (gather with ``ids.gather(index)``)."""
    return pl.select(
        pl.format("P{}", pl.int_range(1, n + 1, eager=False).cast(pl.String).str.zfill(6))
    ).to_series()


def academies_frame(academies: Academies) -> pl.DataFrame:
    graded = academies.ofsted_grade > 0
    return pl.DataFrame(
        {
            "urn": academies.urn,
            "laestab": academies.laestab,
            "name": academies.name,
            "phase": academies.phase,
            "region": academies.region,
            "cluster": academies.cluster,
            "joined_trust": academies.joined,
            "ofsted_grade": _nullable(academies.ofsted_grade, graded, pl.Int64),
            "ofsted_date": academies.ofsted_date,
            "academy_type": academies.academy_type,
        }
    )


def pupils_frame(rng: np.random.Generator, pupils: Pupils, ids: pl.Series) -> pl.DataFrame:
    forename, surname = names_for(rng, pupils)
    return pl.DataFrame(
        {
            "pupil_id": ids,
            "upn": upns(pupils),
            "surname": surname,
            "forename": forename,
            "date_of_birth": pupils.dob,
            "sex": np.where(pupils.male, "M", "F"),
            "disadvantaged": pupils.disadvantaged,
            "sen": SEN_CODES[pupils.sen],
            "sen_primary_need": pl.Series(pupils.need).replace("", None),
            "eal": pupils.eal,
            "looked_after": pupils.looked_after,
            "ethnicity": pupils.ethnicity,
        }
    )


def enrolments_frame(
    calendar: Calendar, pupils: Pupils, spells: Spells, urns: np.ndarray, ids: pl.Series
) -> pl.DataFrame:
    """enrolments.csv; year_group is the year on the last day on roll (today for pupils on roll)."""
    last = np.where(np.isnat(spells.end), calendar.today64, spells.end)
    reasons = np.array(LEAVING_REASONS + ("",))
    order = np.lexsort((spells.pupil, spells.start, spells.academy))
    frame = pl.DataFrame(
        {
            "pupil_id": ids.gather(spells.pupil),
            "urn": urns[spells.academy],
            "year_group": year_group_at(pupils.cohort[spells.pupil], last),
            "start_date": spells.start,
            "end_date": spells.end,
            "leaving_reason": pl.Series(reasons[spells.reason]).replace("", None),
        }
    )
    return frame[order]


def ks2_frame(
    pupils: Pupils, spells: Spells, sat: np.ndarray, urns: np.ndarray, ids: pl.Series
) -> pl.DataFrame:
    """ks2.csv: Year 6 pupils of the trust's primaries in each past year."""
    p = spells.pupil[sat]
    seen = pupils.ks2_seen[p]
    frame = pl.DataFrame(
        {
            "pupil_id": ids.gather(p),
            "urn": urns[spells.academy[sat]],
            "academic_year": year_labels(pupils.cohort[p] + 6),
            "reading_scaled": _nullable(pupils.ks2_reading[p], seen, pl.Int64),
            "maths_scaled": _nullable(pupils.ks2_maths[p], seen, pl.Int64),
            "gps_scaled": _nullable(pupils.ks2_gps[p], seen, pl.Int64),
            "writing_ta": WRITING_TA[pupils.ks2_writing[p]],
            "ks1_aps": _nullable(pupils.ks1_aps[p], pupils.ks1_seen[p], pl.Float64),
        }
    )
    return frame.sort("academic_year", "urn", "pupil_id")


def prior_frame(
    calendar: Calendar, pupils: Pupils, spells: Spells, sat: np.ndarray, ids: pl.Series
) -> pl.DataFrame:
    """prior_attainment.csv: KS1 APS of pupils who reached Year 3; KS2 of those who sat it at a
    trust primary (``sat``: their spells) or reached Year 7."""
    last = np.where(np.isnat(spells.end), calendar.today64, spells.end)
    reached = np.full(len(pupils), -1)
    np.maximum.at(reached, spells.pupil, academic_year(last) - pupils.cohort[spells.pupil])
    ks1 = (reached >= 3) & pupils.ks1_seen
    took = np.zeros(len(pupils), dtype=bool)
    took[spells.pupil[sat]] = True
    ks2 = ((reached >= 7) | took) & pupils.ks2_seen
    frame = pl.DataFrame(
        {
            "pupil_id": ids,
            "ks2_reading_scaled": _nullable(pupils.ks2_reading, ks2, pl.Int64),
            "ks2_maths_scaled": _nullable(pupils.ks2_maths, ks2, pl.Int64),
            "ks1_aps": _nullable(pupils.ks1_aps, ks1, pl.Float64),
        }
    )
    return frame.filter(pl.Series(ks1 | ks2))


def ks4_sitters(
    calendar: Calendar, pupils: Pupils, spells: Spells, academies: Academies
) -> np.ndarray:
    """Spells of Year 11 pupils on roll at a trust secondary on census day of a past year."""
    year = pupils.cohort[spells.pupil] + 11
    on_roll = on_roll_on(spells, year, census_date)
    past = (year >= calendar.first) & (year < calendar.current)
    return np.flatnonzero(on_roll & past & academies.secondary[spells.academy])


def ks4_frame(
    rng, calendar: Calendar, academies: Academies, pupils: Pupils, spells: Spells, ids: pl.Series
) -> pl.DataFrame:
    """ks4.csv: Attainment 8 of each past year's Year 11 at the trust's secondaries."""
    sat = ks4_sitters(calendar, pupils, spells, academies)
    p, a = spells.pupil[sat], spells.academy[sat]
    year = pupils.cohort[p] + 11
    res = ks4_results(rng, pupils, p, academies.effect[a, year - calendar.first])
    seen = pupils.ks2_seen[p]
    frame = pl.DataFrame(
        {
            "pupil_id": ids.gather(p),
            "urn": academies.urn[a],
            "academic_year": year_labels(year),
            "ks2_reading_scaled": _nullable(pupils.ks2_reading[p], seen, pl.Int64),
            "ks2_maths_scaled": _nullable(pupils.ks2_maths[p], seen, pl.Int64),
            **{k: res[k] for k in ("attainment8", "a8_english", "a8_maths", "a8_ebacc", "a8_open")},
            **{k: res[k] for k in ("eng_maths_4plus", "eng_maths_5plus", "ebacc_entered")},
        }
    )
    return frame.sort("academic_year", "urn", "pupil_id")
