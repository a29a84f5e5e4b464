"""Checks against real DfE tables (shared/data/real; see SOURCES.md).

- Every school in the 2018/19 KS4 file with a P8 score: the published CI is reproduced within
  rounding by our interval function with the national SD implied by the file itself (~1.28).
- Every school's published band (P8_BANDING) follows from the published score and CI.
- KS2 progress CIs in the Hampshire and Surrey 2016/17-2018/19 files likewise, per subject.
- Pupil P8 from the shipped 2023 national estimates matches the DfE ready-reckoner files for
  every prior attainment group (and the independent fine-level A8 estimates file).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import real
from trustlens.analytics import engine
from trustlens.analytics.measures.progress8 import pupil_progress8
from trustlens.analytics.national import available, load_national
from trustlens.analytics.stats.bands import BAND_CODES, band
from trustlens.analytics.stats.intervals import implied_sd, normal_interval

NA = ["NA", "SUPP", "NE", "NP", "LOWCOV", "LOW COV", "NEW", "x", "c"]


def _ks4_2019() -> pd.DataFrame:
    frame = pd.read_csv(
        real("kspdev_england_ks4provisional.csv"), na_values=NA, encoding="utf-8-sig"
    )
    return frame[frame.P8MEA.notna() & frame.P8PUP.notna()]


@pytest.mark.parametrize("suffix", ["", "_ORIG"])
def test_2019_p8_confidence_intervals_reproduced_for_every_school(suffix):
    schools = _ks4_2019()
    low, high, n = schools[f"P8CILOW{suffix}"], schools[f"P8CIUPP{suffix}"], schools.P8PUP
    sigma = implied_sd(low, high, n)
    assert 1.24 <= sigma <= 1.32
    ci_low, ci_high = normal_interval(schools[f"P8MEA{suffix}"].to_numpy(), sigma, n.to_numpy())
    # Published score and limits are each rounded to 2 dp: at most 0.005 + 0.005 apart.
    err = np.maximum(np.abs(np.round(ci_low, 2) - low), np.abs(np.round(ci_high, 2) - high))
    assert len(schools) > 3000
    assert float(err.max()) <= 0.01 + 1e-9


def test_2019_p8_bands_follow_score_and_interval():
    schools = _ks4_2019()
    schools = schools[schools.P8_BANDING.notna() & (schools.P8MEA.abs() != 0.5)]
    ours = band(schools.P8MEA, schools.P8CILOW, schools.P8CIUPP, 0.5)
    codes = np.array([BAND_CODES[b] for b in ours])
    assert (codes == schools.P8_BANDING.to_numpy()).all()


def _ks2(path: str) -> pd.DataFrame:
    frame = pd.read_csv(real(path), na_values=NA, encoding="utf-8-sig", low_memory=False)
    frame = frame[frame.RECTYPE == 1].copy()
    for subject in ("READ", "WRIT", "MAT"):
        for column in (
            f"{subject}PROG",
            f"{subject}PROG_LOWER",
            f"{subject}PROG_UPPER",
            f"{subject}COV",
        ):
            frame[column] = pd.to_numeric(
                frame[column].astype(str).str.rstrip("%"), errors="coerce"
            )
    frame["TELIG"] = pd.to_numeric(frame.TELIG, errors="coerce")
    return frame


KS2_FILES = [
    f"la850_936_hampshire_surrey_ks2/{year}_{la}_ks2final.csv"
    for year in ("2016-2017", "2017-2018", "2018-2019")
    for la in (850, 936)
]


@pytest.mark.parametrize("path", KS2_FILES)
@pytest.mark.parametrize("subject", ["READ", "WRIT", "MAT"])
def test_ks2_progress_intervals_reproduced_for_every_school(path, subject):
    schools = _ks2(path)
    schools = schools[schools[f"{subject}PROG"].notna()]
    low, high = schools[f"{subject}PROG_LOWER"], schools[f"{subject}PROG_UPPER"]
    approx_n = schools.TELIG * schools[f"{subject}COV"] / 100
    sigma = implied_sd(low, high, approx_n)
    assert 5.0 < sigma < 6.6
    worst = 0.0
    for _, row in schools.iterrows():
        # n = TELIG x COV% is only known to the rounding of COV: try every integer it allows.
        cov = row[f"{subject}COV"]
        lo_n = max(1, math.floor(row.TELIG * (cov - 0.5) / 100))
        hi_n = int(min(row.TELIG, math.ceil(row.TELIG * min(cov + 0.5, 100) / 100)))
        best = min(
            max(
                abs(round(a, 1) - row[f"{subject}PROG_LOWER"]),
                abs(round(b, 1) - row[f"{subject}PROG_UPPER"]),
            )
            for k in range(lo_n, hi_n + 1)
            for a, b in [normal_interval(row[f"{subject}PROG"], sigma, k)]
        )
        worst = max(worst, best)
    assert len(schools) > 200
    assert worst <= 0.1 + 1e-9


def test_2019_implied_ks2_sds_match_design():
    implied = {}
    for subject in ("READ", "WRIT", "MAT"):
        frame = _ks2("la850_936_hampshire_surrey_ks2/2018-2019_850_ks2final.csv")
        frame = frame[frame[f"{subject}PROG"].notna()]
        n = frame.TELIG * frame[f"{subject}COV"] / 100
        implied[subject] = implied_sd(
            frame[f"{subject}PROG_LOWER"], frame[f"{subject}PROG_UPPER"], n
        )
    assert implied["READ"] == pytest.approx(6.18, abs=0.05)
    assert implied["WRIT"] == pytest.approx(5.71, abs=0.05)
    assert implied["MAT"] == pytest.approx(5.39, abs=0.05)


def _ready_reckoner(year_status: str, name: str) -> pd.DataFrame:
    return pd.read_csv(
        real(f"dfe_ks4_ready_reckoner/{year_status}__{name}.csv"), encoding="utf-8-sig"
    )


@pytest.mark.parametrize(
    "year,status",
    [
        (2022, "provisional"),
        (2022, "revised"),
        (2023, "provisional"),
        (2023, "revised"),
        (2024, "provisional"),
    ],
)
def test_shipped_parameters_equal_the_ready_reckoner_files(year, status):
    params = load_national(year, status)
    coef = _ready_reckoner(f"{year}_{status}", "p8_pupil_coefficients_file")
    sd = _ready_reckoner(f"{year}_{status}", "p8_stdev_file")
    assert params.estimates.pa_group.tolist() == list(range(1, 35))
    assert np.allclose(params.estimates.est_overall, coef.p8est)
    assert np.allclose(params.estimates.est_english, coef.p8esteng)
    assert params.sd["overall"] == pytest.approx(float(sd.p8stdev.iloc[0]))
    assert (year, status) in available()


def test_revised_preferred_over_provisional():
    assert load_national(2023).status == "revised"
    assert load_national(2024).status == "provisional"
    assert load_national(2023, "provisional").sd["overall"] == pytest.approx(1.412814)
    with pytest.raises(LookupError):
        load_national(2019)


def _one_pupil_per_score(splits: pd.DataFrame) -> pd.DataFrame:
    """Pupils whose reading and maths give every half-point fine level of every group."""
    rows = []
    for _, g in splits.iterrows():
        lo, hi = (float(x) for x in str(g["KS2 average scaled score range"]).split(" to "))
        for fine in np.arange(lo, hi + 0.25, 0.5):
            reading = math.floor(fine)
            maths = 2 * fine - reading
            rows.append((int(g["KS2 prior attainment group"]), fine, reading, maths))
    frame = pd.DataFrame(rows, columns=["group", "fine", "reading", "maths"])
    frame["attainment8"] = 50.0 + (frame.index % 7) * 3.5
    return frame


@pytest.mark.parametrize("status", ["provisional", "revised"])
def test_pupil_p8_from_2023_estimates_matches_ready_reckoner_for_every_group(duck, status):
    splits = _ready_reckoner(f"2023_{status}", "p8_att8_splits")
    coef = _ready_reckoner(f"2023_{status}", "p8_pupil_coefficients_file").set_index("ks2emss_grp")
    pupils = _one_pupil_per_score(splits)
    ks4 = pd.DataFrame(
        {
            "pupil_id": [f"p{i}" for i in range(len(pupils))],
            "urn": 100001,
            "academic_year": "2022/23",
            "ks2_reading_scaled": pupils.reading.astype(float),
            "ks2_maths_scaled": pupils.maths.astype(float),
            "attainment8": pupils.attainment8,
            "a8_english": pupils.attainment8 * 0.2,
            "a8_maths": pupils.attainment8 * 0.2,
            "a8_ebacc": pupils.attainment8 * 0.3,
            "a8_open": pupils.attainment8 * 0.3,
        }
    )
    out = engine.execute(
        pupil_progress8(engine.load(duck, f"rr_{status}", ks4), load_national(2023, status))
    )
    out = out.merge(ks4[["pupil_id"]].assign(group=pupils.group.to_numpy()), on="pupil_id")
    assert len(out) == len(ks4)
    assert (out.pa_group == out.group).all(), "prior attainment group differs from the DfE ranges"
    expected = (out.attainment8 - out.pa_group.map(coef.p8est)) / 10
    assert np.allclose(out.p8, expected, atol=1e-12)
    expected_eng = (out.a8_english - out.pa_group.map(coef.p8esteng)) / 2
    assert np.allclose(out.p8_english, expected_eng, atol=1e-12)
    assert set(out.pa_group) == set(range(1, 35))


def test_fine_level_estimates_file_agrees_with_our_groups(duck):
    """dfe_attainment8_estimates_2023.csv (school_kit copy): element estimates per fine level."""
    fine = pd.read_csv(real("dfe_attainment8_estimates_2023.csv"))
    params = load_national(2023, "provisional").estimates.set_index("pa_group")
    levels = fine["Key stage 2 fine level"].to_numpy()
    ks4 = pd.DataFrame(
        {
            "pupil_id": [f"f{i}" for i in range(len(levels))],
            "urn": 1,
            "academic_year": "2022/23",
            "ks2_reading_scaled": levels,
            "ks2_maths_scaled": levels,
            "attainment8": 40.0,
            "a8_english": 8.0,
            "a8_maths": 8.0,
            "a8_ebacc": 12.0,
            "a8_open": 12.0,
        }
    )
    out = engine.execute(
        pupil_progress8(engine.load(duck, "fine", ks4), load_national(2023, "provisional"))
    )
    out = out.set_index("pupil_id").loc[ks4.pupil_id]
    est_eng = out.pa_group.map(params.est_english).to_numpy()
    assert np.allclose(est_eng, fine["A8 Nat Est - English"].to_numpy(), atol=0.011)
    assert np.allclose(
        out.pa_group.map(params.est_maths).to_numpy(),
        fine["A8 Nat Est - Maths"].to_numpy(),
        atol=0.011,
    )
