"""National Progress 8 parameters shipped as package data (see ``data/PROVENANCE.md``).

Source: the DfE's KS4 ready-reckoner reference data (dfe-analytical-services/KS4-ready-reckoners,
``data/p8_pupil_coefficients_file.csv`` and ``data/p8_stdev_file.csv``), one copy per exam year
and status (provisional / revised). The estimates are the national mean Attainment 8 (and each
element) of the 34 KS2 prior attainment groups; the SDs are the national SDs of pupil P8 and
element scores that the DfE uses for confidence intervals.

The capping constant (-2.8948556948) is the one the DfE's own SQL records for 2022
("KS4 outliers.sql" in the same repository). The per-group SDs it multiplies are not published,
so with national estimates the cap uses the national all-pupil SD for every group (see
:mod:`trustlens.analytics.measures.progress8`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

#: Cut in z-units below which a pupil's P8 is capped (DfE "KS4 outliers.sql", 2022).
CAP_Z_2022 = -2.8948556948

ELEMENTS = ("overall", "english", "maths", "ebacc", "open")
_EST_COLUMNS = {
    "ks2emss_grp": "pa_group",
    "p8est": "est_overall",
    "p8esteng": "est_english",
    "p8estmat": "est_maths",
    "p8estebac": "est_ebacc",
    "p8estopen": "est_open",
}
_SD_COLUMNS = {
    "p8stdev": "overall",
    "p8engstdev": "english",
    "p8matstdev": "maths",
    "p8ebacstdev": "ebacc",
    "p8openstdev": "open",
}
STATUS_PREFERENCE = ("revised", "provisional")


@dataclass(frozen=True)
class NationalParameters:
    """One year's national P8 parameters (exam year: 2023 means academic year 2022/23)."""

    year: int
    status: str
    estimates: pd.DataFrame  #: pa_group 1-34, est_overall, est_english, est_maths, ...
    sd: dict[str, float]  #: national SD of pupil P8 (``overall``) and of each element
    cap_z: float = CAP_Z_2022
    cap_z_source: str = "DfE KS4 outliers.sql (2022 constant)"
    source: str = "DfE KS4 ready-reckoner (dfe-analytical-services/KS4-ready-reckoners)"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """How outputs name these estimates, e.g. ``"national 2023 (revised)"``."""
        return f"national {self.year} ({self.status})"

    @property
    def academic_year(self) -> str:
        """The academic year these estimates belong to, e.g. ``"2022/23"`` for 2023."""
        return f"{self.year - 1}/{str(self.year)[-2:]}"


def _data_dir() -> resources.abc.Traversable:
    return resources.files("trustlens.analytics") / "data" / "ks4_ready_reckoner"


@cache
def available() -> tuple[tuple[int, str], ...]:
    """(year, status) pairs shipped with the package, newest first."""
    pairs = set()
    for entry in _data_dir().iterdir():
        name = entry.name
        if name.endswith("__p8_pupil_coefficients_file.csv"):
            year, status = name.split("__")[0].split("_")
            pairs.add((int(year), status))
    return tuple(sorted(pairs, key=lambda p: (-p[0], STATUS_PREFERENCE.index(p[1]))))


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (_data_dir() / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


@cache
def load_national(year: int, status: str | None = None) -> NationalParameters:
    """National P8 parameters for exam ``year``; revised preferred unless ``status`` is given.

    Raises ``LookupError`` naming the shipped years when the year or status is not shipped.
    """
    statuses = [status] if status else list(STATUS_PREFERENCE)
    for candidate in statuses:
        if (year, candidate) in available():
            return _load(year, candidate)
    shipped = ", ".join(f"{y} {s}" for y, s in available())
    raise LookupError(f"no national P8 parameters for {year} {status or ''}; shipped: {shipped}")


def _load(year: int, status: str) -> NationalParameters:
    prefix = f"{year}_{status}__"
    rows = _read_csv(prefix + "p8_pupil_coefficients_file.csv")
    estimates = pd.DataFrame(rows).rename(columns=_EST_COLUMNS)[list(_EST_COLUMNS.values())]
    estimates = estimates.astype(float).astype({"pa_group": "int64"})
    sd_row = _read_csv(prefix + "p8_stdev_file.csv")[0]
    sd = {element: float(sd_row[column]) for column, element in _SD_COLUMNS.items()}
    notes = (
        "P8 capping: per-group national SDs are not published in the ready-reckoner files; "
        "the national all-pupil SD is used for every group.",
        "Capping constant: the DfE's 2022 value, used for every year shipped.",
    )
    return NationalParameters(year, status, estimates, sd, notes=notes)
