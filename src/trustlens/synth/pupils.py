"""Pupils: characteristics, early attainment, names, dates of birth and UPNs.

Characteristics follow each academy's planted shares (DfE census codes: SEN N/K/E with a census
primary need, EAL, looked after, ethnicity major codes). Early (KS1-age) attainment is a latent
score lowered for disadvantaged, SEN and summer-born pupils (DfE KS1/KS2 attainment gaps; month of
birth effects as in the EEF and IFS summer-born studies), from which KS1 APS is drawn.
UPNs follow the DfE UPN guide: a check letter, then LA (3 digits), establishment (4), year of
allocation (2) and a serial (3); the check letter is the sum of digits 2-13 weighted 2-13, mod 23,
read from "ABCDEFGHJKLMNPQRTUVWXYZ".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from trustlens.synth import names
from trustlens.synth import parameters as params
from trustlens.synth.columns import Columns
from trustlens.synth.organisation import Academies

SEN_CODES = np.array(["N", "K", "E"])
NEEDS_K = (
    ("SLCN", 0.24),
    ("SEMH", 0.2),
    ("MLD", 0.12),
    ("SPLD", 0.12),
    ("ASD", 0.1),
    ("OTH", 0.06),
    ("NSA", 0.05),
    ("PD", 0.04),
    ("HI", 0.03),
    ("VI", 0.02),
    ("MSI", 0.01),
    ("SLD", 0.01),
)
NEEDS_E = (
    ("ASD", 0.33),
    ("SLCN", 0.17),
    ("SEMH", 0.15),
    ("SLD", 0.1),
    ("MLD", 0.06),
    ("PD", 0.05),
    ("PMLD", 0.03),
    ("HI", 0.03),
    ("SPLD", 0.03),
    ("VI", 0.02),
    ("OTH", 0.02),
    ("MSI", 0.01),
)
UPN_LETTERS = np.array(list("ABCDEFGHJKLMNPQRTUVWXYZ"))
#: Standardisation of KS1 APS when it is used as a prior.
KS1_Z_SD = 3.8


@dataclass
class Pupils(Columns):
    """Column arrays, one element per pupil (index = position)."""

    upn_la: np.ndarray  #: LA and establishment number that allocated the UPN
    upn_estab: np.ndarray
    upn_year: np.ndarray
    cohort: np.ndarray  #: start year of the pupil's Reception year
    dob: np.ndarray
    male: np.ndarray
    disadvantaged: np.ndarray
    sen: np.ndarray  #: 0 N, 1 K, 2 E
    need: np.ndarray
    eal: np.ndarray
    looked_after: np.ndarray
    ethnicity: np.ndarray
    latent: np.ndarray  #: early attainment (SD units)
    propensity: np.ndarray  #: persistent progress trait of the primary years (KS2, in-year Y1-6)
    propensity_ks4: np.ndarray  #: the same for the secondary years (KS4, in-year Y7-11)
    absence: np.ndarray  #: persistent absence trait
    ks1_aps: np.ndarray
    ks1_seen: np.ndarray  #: False: no KS1 result on file (absent, arrived from abroad)
    late_arrival: np.ndarray
    ks2_reading: np.ndarray  #: KS2 results (NaN until assigned); see outcomes.assign_ks2
    ks2_maths: np.ndarray
    ks2_gps: np.ndarray
    ks2_writing: np.ndarray  #: index into outcomes.WRITING_TA
    ks2_seen: np.ndarray

    def __len__(self) -> int:
        return len(self.cohort)

    def indicators(self) -> dict[str, np.ndarray]:
        """0/1 indicators of the characteristics that carry planted effects."""
        return {
            "disadvantaged": self.disadvantaged.astype(float),
            "sen_k": (self.sen == 1).astype(float),
            "sen_e": (self.sen == 2).astype(float),
            "eal": self.eal.astype(float),
        }

    def centred_effect(
        self, effects: dict[str, float], index: np.ndarray | None = None
    ) -> np.ndarray:
        """Sum of effect x (indicator - national share): zero for a nationally typical pupil mix."""
        ind = self.indicators()
        sel = slice(None) if index is None else index
        total = np.zeros(len(self.cohort))[sel]
        for key, size in effects.items():
            total = total + size * (ind[key][sel] - params.NATIONAL_SHARES[key])
        return total

    def ks1_z(self) -> np.ndarray:
        return (self.ks1_aps - params.KS1_MEAN) / KS1_Z_SD


def categorical(
    rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int
) -> np.ndarray:
    """``n`` draws from (value, weight) pairs."""
    values = np.array([v for v, _ in options])
    weights = np.array([w for _, w in options], dtype=float)
    cum = np.cumsum(weights / weights.sum())
    return values[np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(values) - 1)]


def _characteristics(
    rng: np.random.Generator, academies: Academies, academy: np.ndarray, late: np.ndarray
) -> dict:
    """Census characteristics drawn from each academy's planted shares."""
    n = len(academy)
    share = {k: v[academy] for k, v in academies.shares.items()}
    looked_after = rng.random(n) < params.LOOKED_AFTER_SHARE
    u = rng.random(n)
    sen = np.where(u < share["sen_e"], 2, np.where(u < share["sen_e"] + share["sen_k"], 1, 0))
    eal = rng.random(n) < np.minimum(share["eal"] * np.where(late, 2.5, 1.0), 0.9)
    ethnicity_eal = categorical(rng, names.ETHNICITY_EAL, n)
    ethnicity_other = categorical(rng, names.ETHNICITY_NOT_EAL, n)
    return {
        "male": rng.random(n) < 0.5,
        "disadvantaged": (rng.random(n) < share["disadvantaged"]) | looked_after,
        "sen": sen,
        "need": _needs(rng, sen),
        "eal": eal,
        "looked_after": looked_after,
        "ethnicity": np.where(eal, ethnicity_eal, ethnicity_other),
    }


def _unset_outcomes(n: int) -> dict:
    """Outcome columns before they are drawn (see ``_early_attainment`` and ``assign_ks2``)."""
    return {
        "latent": np.zeros(n),
        "absence": np.zeros(n),
        "ks1_aps": np.zeros(n),
        "ks1_seen": np.ones(n, dtype=bool),
        "ks2_reading": np.full(n, np.nan),
        "ks2_maths": np.full(n, np.nan),
        "ks2_gps": np.full(n, np.nan),
        "ks2_writing": np.zeros(n, dtype=np.int8),
        "ks2_seen": np.zeros(n, dtype=bool),
    }


def draw_pupils(
    rng: np.random.Generator,
    academies: Academies,
    academy: np.ndarray,
    cohort: np.ndarray,
    late: np.ndarray,
    upn_source: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> Pupils:
    """New pupils first enrolled at ``academy`` whose Reception year started in ``cohort``."""
    n = len(academy)
    traits = _characteristics(rng, academies, academy, late)
    pupils = Pupils(
        upn_la=upn_source[0],
        upn_estab=upn_source[1],
        upn_year=upn_source[2],
        cohort=cohort,
        dob=_dates_of_birth(rng, cohort),
        late_arrival=late,
        propensity=rng.normal(0, 1, n),
        propensity_ks4=rng.normal(0, 1, n),
        **traits,
        **_unset_outcomes(n),
    )
    _early_attainment(rng, pupils)
    return pupils


def _dates_of_birth(rng: np.random.Generator, cohort: np.ndarray) -> np.ndarray:
    """Born between 1 September and 31 August five years before starting Reception."""
    start = np.array([np.datetime64(f"{c - 5}-09-01") for c in range(1990, 2040)])[cohort - 1990]
    end = np.array([np.datetime64(f"{c - 4}-08-31") for c in range(1990, 2040)])[cohort - 1990]
    span = (end - start).astype(np.int64) + 1
    return start + (rng.random(len(cohort)) * span).astype(np.int64).astype("timedelta64[D]")


def _needs(rng: np.random.Generator, sen: np.ndarray) -> np.ndarray:
    n = len(sen)
    need = np.where(sen == 1, categorical(rng, NEEDS_K, n), categorical(rng, NEEDS_E, n))
    return np.where(sen == 0, "", need)


def month_offset(dob: np.ndarray) -> np.ndarray:
    """0 for a September birthday ... 11 for August."""
    month = dob.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return (month - 9) % 12


def _early_attainment(rng: np.random.Generator, pupils: Pupils) -> None:
    n = len(pupils)
    age = params.SUMMER_BORN_SHIFT * (month_offset(pupils.dob) / 11.0 - 0.5)
    pupils.latent = rng.normal(0, 1, n) + pupils.centred_effect(params.LATENT_SHIFTS) + age
    trait = np.where(
        pupils.cohort + 7 <= params.CURRENT_YEAR, pupils.propensity_ks4, pupils.propensity
    )
    pupils.absence = -0.3 * trait + np.sqrt(1 - 0.09) * rng.normal(0, 1, n)
    raw = params.KS1_MEAN + params.KS1_SD * (pupils.latent + 0.35 * rng.normal(0, 1, n))
    pupils.ks1_aps = np.clip(np.round(raw, 1), params.KS1_MIN, params.KS1_MAX)
    missing = 0.02 + 0.35 * (pupils.late_arrival & pupils.eal)
    pupils.ks1_seen = rng.random(n) >= missing


def names_for(rng: np.random.Generator, pupils: Pupils) -> tuple[np.ndarray, np.ndarray]:
    """Forename and surname of each pupil, from the name pool of their ethnicity."""
    n = len(pupils)
    codes, inverse = np.unique(pupils.ethnicity, return_inverse=True)
    which = np.array([names.ETHNICITY_POOL[c] for c in codes], dtype=object)[inverse]
    forename = np.empty(n, dtype=object)
    surname = np.empty(n, dtype=object)
    u1, u2 = rng.random(n), rng.random(n)
    for key, (girls, boys, surnames) in names.NAME_POOLS.items():
        sel = which == key
        g, b, s = np.array(girls), np.array(boys), np.array(surnames)
        forename[sel] = np.where(
            pupils.male[sel], b[(u1[sel] * len(b)).astype(int)], g[(u1[sel] * len(g)).astype(int)]
        )
        surname[sel] = s[(u2[sel] * len(s)).astype(int)]
    return forename.astype(str), surname.astype(str)


def upns(pupils: Pupils) -> np.ndarray:
    """13-character UPNs, unique across the trust, with DfE check letters."""
    key = (pupils.upn_la * 10000 + pupils.upn_estab) * 100 + pupils.upn_year % 100
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    first = np.searchsorted(sorted_key, sorted_key, side="left")
    serial = np.empty(len(key), dtype=np.int64)
    serial[order] = np.arange(len(key)) - first + 1
    if serial.max(initial=0) > 999:
        raise ValueError("more than 999 UPNs for one establishment and year")
    body = key * 1000 + serial
    digits = (body[:, None] // 10 ** np.arange(11, -1, -1)) % 10
    check = UPN_LETTERS[(digits * np.arange(2, 14)).sum(axis=1) % 23]
    text = pl.Series(body).cast(pl.String).str.zfill(12)
    return (pl.Series(check) + text).to_numpy()
