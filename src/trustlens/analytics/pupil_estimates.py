"""FFT-style estimate bands for pupils who have not yet sat KS4, from their KS2 prior attainment.

The bands are :func:`trustlens.analytics.measures.targets.ks4_estimates` unchanged (FFT Aspire's
method: the A8 of similar pupils nationally, shifted to what pupils achieve in the median, a
top-20% and a top-5% school; see ``docs/methods.md`` "Targets"). With national parameters the
estimate depends only on the pupil's KS2 prior attainment group (DfE KS4 ready-reckoner
estimates), never on the pupil's own A8, so pupils in Years 7-11 are passed with a placeholder
A8 of 0 (it feeds only the pupil P8, which is dropped). Django-free.
"""

from __future__ import annotations

import ibis
import pandas as pd

from trustlens.analytics import engine
from trustlens.analytics.measures.targets import LABEL, ks4_estimates

#: The newest DfE estimates shipped (``analytics.national.available()``).
NATIONAL_YEAR = 2024
A8_COLUMNS = ("attainment8", "a8_english", "a8_maths", "a8_ebacc", "a8_open")
BAND_COLUMNS = ("estimate_p50", "estimate_p20", "estimate_p5")


def pupil_bands(
    prior: pd.DataFrame, urn: int, academic_year: str, national: int = NATIONAL_YEAR
) -> pd.DataFrame:
    """Per pupil (``pupil_id`` with ``ks2_reading_scaled`` / ``ks2_maths_scaled``): ``pa_group``,
    ``expected_a8`` and the A8 ``estimate_p50`` / ``_p20`` / ``_p5`` bands and ``label``.

    Pupils with no KS2 score are left out (they have no prior attainment group)."""
    columns = ["pupil_id", "ks2_reading_scaled", "ks2_maths_scaled"]
    if prior.empty:
        return pd.DataFrame(columns=["pupil_id", "pa_group", "expected_a8", *BAND_COLUMNS])
    frame = prior[columns].copy()
    frame["urn"] = int(urn)
    frame["academic_year"] = academic_year
    for column in A8_COLUMNS:
        frame[column] = 0.0
    out = engine.execute(ks4_estimates(ibis.memtable(frame), national))  # this thread's DuckDB
    return out.drop(columns=["urn", "academic_year"]).sort_values("pupil_id")


def class_bands(bands: pd.DataFrame) -> dict[str, float | int | str] | None:
    """The class's estimate: the mean of its pupils' bands (FFT aggregates pupil estimates to a
    group by averaging), with n; None when no pupil has a band."""
    if bands.empty:
        return None
    out: dict[str, float | int | str] = {"pupils": len(bands), "label": LABEL}
    out["expected_a8"] = float(bands["expected_a8"].mean())
    for column in BAND_COLUMNS:
        out[column] = float(bands[column].mean())
    return out
