"""Benchmark: a 1,000,000-row assessment_results.csv validated (every rule, keys included) and stored.

Two implementations run on the same file, each in its own process so its peak memory is its own:

- ``trustlens``: the real import path (``trustlens.ingest``: Polars validation with row-level
  errors, then the atomic Parquet store: partition files, manifest, pointer switch, fsync).
- ``reference``: the best straightforward vectorised pandas code for the same rules and the
  same store layout (pyarrow CSV engine, boolean masks, ``DataFrame.duplicated``, ``isin``
  for keys, the same store layout as trustlens: one Parquet file per academic year and academy
  (``DatasetSpec.file_by``) written with pyarrow, fsynced, then manifest and pointer).

Before timing, both are run on a small file with planted errors and must find the same number
of errors, so the reference does the same work.

Goal on the 2-core machine: trustlens <= 2 s, <= 1 GiB peak, and faster than the reference.
Reproduce: ``python benchmarks/import_results.py`` (``--rows`` to change the size); writes
``benchmarks/results/import_results.json`` with ``seconds``, ``reference_seconds``, ``peak_mib``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import polars as pl

ACADEMIES = [141000 + i for i in range(12)]
YEARS = ["2022/23", "2023/24", "2024/25"]
TERMS = ["autumn", "spring", "summer"]
SUBJECTS = {  # subject -> scale
    "Reading": "scaled",
    "Maths": "scaled",
    "GPS": "scaled",
    "Writing": "band",
    "Science": "band",
    "English": "gcse",
    "Mathematics": "gcse",
    "Biology": "gcse",
    "Chemistry": "gcse",
    "Physics": "gcse",
    "History": "gcse",
    "Geography": "gcse",
    "French": "percent",
    "Computing": "percent",
}
BANDS = ["WTS", "EXS", "GDS"]
RESULTS = Path(__file__).parent / "results" / "import_results.json"


# --- data --------------------------------------------------------------------------------


def generate(folder: Path, rows: int, seed: int = 1) -> None:
    """assessment_results.csv with ``rows`` rows plus the keys it refers to (context.json)."""
    rng = np.random.default_rng(seed)
    subjects = list(SUBJECTS)
    combos = [(y, t, s) for y in YEARS for t in TERMS for s in subjects]
    # 8,000 pupils hold up to ~1M results; a larger file (a network's) has more pupils
    pupils = max(8000, -(-rows * 101 // (100 * len(combos))))
    pupil_ids = [f"P{i:06d}" for i in range(pupils)]
    academy_of = rng.integers(0, len(ACADEMIES), pupils)
    n_pupil_rows = -(-rows // len(combos))
    pupil_index = np.repeat(np.arange(pupils), len(combos))[: n_pupil_rows * len(combos)]
    combo_index = np.tile(np.arange(len(combos)), pupils)[: len(pupil_index)]
    take = rng.permutation(len(pupil_index))[:rows]
    take.sort()
    p, c = pupil_index[take], combo_index[take]
    year = np.array([x[0] for x in combos])[c]
    term = np.array([x[1] for x in combos])[c]
    subject = np.array([x[2] for x in combos])[c]
    scale = np.array([SUBJECTS[x[2]] for x in combos])[c]
    value = _values(rng, scale)
    frame = pl.DataFrame(
        {
            "pupil_id": np.array(pupil_ids)[p],
            "urn": np.array(ACADEMIES)[academy_of[p]],
            "academic_year": year,
            "term": term,
            "subject": subject,
            "year_group": 7 + (p % 5),
            "scale": scale,
            "value": value,
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    frame.write_csv(folder / "assessment_results.csv")
    context = {
        "urns": ACADEMIES,
        "pupil_ids": pupil_ids,
        "windows": [[y, t] for y in YEARS for t in TERMS],
    }
    (folder / "context.json").write_text(json.dumps(context))


def _values(rng: np.random.Generator, scale: np.ndarray) -> np.ndarray:
    n = len(scale)
    scaled = np.clip(np.round(rng.normal(100, 15, n)), 70, 141).astype(int).astype(str)
    gcse = np.round(np.clip(rng.normal(4.8, 1.8, n), 0, 9), 1).astype(str)
    percent = np.round(np.clip(rng.normal(62, 18, n), 0, 100), 1).astype(str)
    band = np.array(BANDS)[rng.integers(0, 3, n)]
    return np.select(
        [scale == "scaled", scale == "gcse", scale == "percent"], [scaled, gcse, percent], band
    )


def plant_errors(source: Path, target: Path) -> None:
    """A 20,000-row copy with planted errors of every kind."""
    frame = pl.read_csv(source / "assessment_results.csv", infer_schema=False, n_rows=20000)
    edits = {
        0: ("urn", "999999"),
        1: ("pupil_id", "NOPE"),
        2: ("academic_year", "2023/25"),
        3: ("term", "winter"),
        4: ("year_group", "x"),
        5: ("scale", "stars"),
        6: ("value", ""),
        7: ("subject", "S" * 60),
        8: ("academic_year", "2030/31"),
        9: ("urn", "12.5"),
        10: ("year_group", "15"),
        11: ("pupil_id", ""),
    }
    columns = {name: frame[name].to_list() for name in frame.columns}
    for row, (column, value) in edits.items():
        columns[column][row] = value
    bad_values = {"scaled": "200", "gcse": "9.5", "percent": "101", "band": "XYZ"}
    for offset, scale in enumerate(bad_values):
        row = next(i for i in range(100 + 50 * offset, 20000) if columns["scale"][i] == scale)
        columns["value"][row] = bad_values[scale]
    bad = pl.DataFrame(columns)
    bad = pl.concat([bad, bad.slice(500, 3)])  # three duplicate rows
    target.mkdir(parents=True, exist_ok=True)
    bad.write_csv(target / "assessment_results.csv")
    shutil.copy(source / "context.json", target / "context.json")


# --- trustlens -----------------------------------------------------------------------------


def run_trustlens(folder: Path, store_root: Path) -> dict:
    from trustlens.ingest.pipeline import validate_tables, write_store
    from trustlens.ingest.readers import read_path
    from trustlens.ingest.store import AnalyticalStore

    context = _trustlens_context(json.loads((folder / "context.json").read_text()))
    started = time.perf_counter()
    plan = validate_tables(read_path(folder / "assessment_results.csv"), context)
    if plan.report.ok:
        with AnalyticalStore(store_root).transaction("bench") as tx:
            write_store(plan, tx)
            tx.commit()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "errors": plan.report.total_errors, "rows": plan.rows}


def _trustlens_context(data: dict):
    from trustlens.ingest.validate import KeyContext

    context = KeyContext()
    context.add("academies", ("urn",), data["urns"])
    context.add("pupils", ("pupil_id",), data["pupil_ids"])
    context.add(
        "assessment_windows", ("academic_year", "term"), [tuple(w) for w in data["windows"]]
    )
    return context


# --- pandas reference ----------------------------------------------------------------------


def run_reference(folder: Path, store_root: Path) -> dict:
    import pandas as pd

    data = json.loads((folder / "context.json").read_text())
    started = time.perf_counter()
    df = pd.read_csv(
        folder / "assessment_results.csv", dtype=str, keep_default_na=False, engine="pyarrow"
    )
    errors, typed = reference_validate(df, data)
    if not errors:
        reference_store(typed, store_root)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "errors": errors, "rows": len(df)}


def reference_validate(df, data: dict):
    """Every rule of the assessment_results spec, as pandas boolean masks; first 1,000 errors kept."""
    import pandas as pd

    for column in df.columns:
        df[column] = df[column].str.strip()
    blank = {c: df[c].eq("") for c in df.columns}
    urn = pd.to_numeric(df["urn"], errors="coerce")
    year_group = pd.to_numeric(df["year_group"], errors="coerce")
    scale = df["scale"].str.lower()
    value_text = df["value"].str.upper()
    number = pd.to_numeric(
        value_text.where(~((scale == "gcse") & (value_text == "U")), "0"), errors="coerce"
    )
    number = number.where(scale != "band")
    band = value_text.where(
        (scale == "band") & value_text.isin(["WTS", "EXS", "GDS", "PKF", "BLW"])
    )
    year = df["academic_year"]
    first, second = (
        pd.to_numeric(year.str[:4], errors="coerce"),
        pd.to_numeric(year.str[5:7], errors="coerce"),
    )
    year_ok = year.str.match(r"^\d{4}/\d{2}$") & ((first + 1) % 100 == second)
    windows = {f"{y}|{t}" for y, t in data["windows"]}
    urn_int = urn.where(urn == urn.round())
    masks = {
        ("pupil_id", "missing"): blank["pupil_id"],
        ("pupil_id", "too long"): df["pupil_id"].str.len() > 40,
        ("urn", "missing"): blank["urn"],
        ("urn", "not whole"): ~blank["urn"]
        & (urn_int.isna() | ~df["urn"].str.fullmatch(r"[+-]?\d+")),
        ("urn", "range"): (urn_int < 100000) | (urn_int > 999999),
        ("academic_year", "missing"): blank["academic_year"],
        ("academic_year", "invalid"): ~blank["academic_year"] & ~year_ok,
        ("term", "missing"): blank["term"],
        ("term", "invalid"): ~blank["term"]
        & ~df["term"].str.lower().isin(["autumn", "spring", "summer"]),
        ("subject", "missing"): blank["subject"],
        ("subject", "too long"): df["subject"].str.len() > 50,
        ("year_group", "missing"): blank["year_group"],
        ("year_group", "not whole"): ~blank["year_group"]
        & ~df["year_group"].str.fullmatch(r"[+-]?\d+"),
        ("year_group", "range"): (year_group < 0) | (year_group > 13),
        ("scale", "missing"): blank["scale"],
        ("scale", "invalid"): ~blank["scale"] & ~scale.isin(["scaled", "gcse", "band", "percent"]),
        ("value", "missing"): blank["value"],
        ("value", "too long"): df["value"].str.len() > 20,
        ("value", "not a number"): scale.isin(["scaled", "gcse", "percent"])
        & ~blank["value"]
        & number.isna(),
        ("value", "not a band"): (scale == "band") & ~blank["value"] & band.isna(),
        ("value", "scaled range"): (scale == "scaled") & ((number < 70) | (number > 141)),
        ("value", "gcse range"): (scale == "gcse") & ((number < 0) | (number > 9)),
        ("value", "percent range"): (scale == "percent") & ((number < 0) | (number > 100)),
        ("pupil_id", "duplicate"): ~blank["pupil_id"]
        & df.duplicated(["pupil_id", "urn", "academic_year", "term", "subject"]),
        ("pupil_id", "unknown"): ~blank["pupil_id"] & ~df["pupil_id"].isin(set(data["pupil_ids"])),
        ("urn", "unknown"): urn_int.notna() & ~urn_int.isin(data["urns"]),
        ("academic_year", "no window"): year_ok
        & df["term"].str.lower().isin(TERMS)
        & ~(year + "|" + df["term"].str.lower()).isin(windows),
    }
    total, issues = 0, []
    for (column, reason), mask in masks.items():
        rows = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
        total += len(rows)
        for row in rows[: max(0, 1000 - len(issues))]:
            issues.append((int(row) + 2, column, df[column].iat[row], reason))
    typed = pd.DataFrame(
        {
            "pupil_id": df["pupil_id"],
            "urn": urn_int.astype("Int64"),
            "academic_year": year,
            "term": df["term"].str.lower(),
            "subject": df["subject"],
            "year_group": year_group.astype("Int64"),
            "scale": scale,
            "value": number,
            "band": band,
        }
    )
    return total, typed


def reference_store(typed, store_root: Path) -> None:
    """One Parquet file per (year, academy) as trustlens stores it (each with its per-term row
    counts, the replacement units), then a manifest, then the pointer switch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    trust_dir = store_root / "bench"
    (trust_dir / "_manifests").mkdir(parents=True, exist_ok=True)
    partitions = {}
    for (year, urn), part in typed.groupby(["academic_year", "urn"], sort=False):
        relative = (
            f"assessment_results/{year.replace('/', '-')}/{urn}-{uuid.uuid4().hex[:8]}.parquet"
        )
        path = trust_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pa.Table.from_pandas(part, preserve_index=False),
            str(path) + ".tmp",
            compression="zstd",
            compression_level=1,
        )
        _fsync(str(path) + ".tmp")
        os.replace(str(path) + ".tmp", path)
        partitions[f"academic_year={year}/urn={urn}"] = {
            "file": relative,
            "rows": len(part),
            "slices": {str(term): int(n) for term, n in part["term"].value_counts().items()},
        }
    name = f"manifest-{uuid.uuid4().hex[:8]}.json"
    (trust_dir / "_manifests" / name).write_text(
        json.dumps({"datasets": {"assessment_results": partitions}})
    )
    (trust_dir / "CURRENT.tmp").write_text(name)
    os.replace(trust_dir / "CURRENT.tmp", trust_dir / "CURRENT")


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


# --- Polars reference ----------------------------------------------------------------------


def run_polars(folder: Path, store_root: Path) -> dict:
    """The same rules and the same store layout as the pandas reference, in Polars (lazy CSV
    scan of text columns, one pass of all rule counts, then the typed frame, partitioned)."""
    data = json.loads((folder / "context.json").read_text())
    started = time.perf_counter()
    raw = pl.scan_csv(folder / "assessment_results.csv", infer_schema=False).with_columns(
        pl.all().str.strip_chars()
    )
    frame = raw.with_columns(polars_typed(data)).collect()
    masks = polars_masks(data)
    counts = frame.select(
        [m.fill_null(False).sum().alias(f"{c}|{r}") for (c, r), m in masks.items()]
    ).row(0)
    errors = int(sum(counts))
    if not errors:
        typed = frame.select(
            "pupil_id",
            pl.col("_urn").alias("urn"),
            "academic_year",
            pl.col("term").str.to_lowercase(),
            "subject",
            pl.col("_year_group").alias("year_group"),
            pl.col("_scale").alias("scale"),
            pl.col("_number").alias("value"),
            pl.col("_band").alias("band"),
        )
        polars_store(typed, store_root)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "errors": errors, "rows": frame.height}


def polars_typed(data: dict) -> list[pl.Expr]:
    urn = pl.col("urn").cast(pl.Float64, strict=False)
    scale = pl.col("scale").str.to_lowercase()
    text = pl.col("value").str.to_uppercase()
    number = (
        pl.when((scale == "gcse") & (text == "U"))
        .then(pl.lit("0"))
        .otherwise(text)
        .cast(pl.Float64, strict=False)
    )
    year = pl.col("academic_year")
    first = year.str.slice(0, 4).cast(pl.Int64, strict=False)
    second = year.str.slice(5, 2).cast(pl.Int64, strict=False)
    return [
        pl.when(urn == urn.round()).then(urn).cast(pl.Int64, strict=False).alias("_urn"),
        pl.col("year_group").cast(pl.Int64, strict=False).alias("_year_group"),
        scale.alias("_scale"),
        pl.when(scale != "band").then(number).alias("_number"),
        pl.when((scale == "band") & text.is_in(["WTS", "EXS", "GDS", "PKF", "BLW"]))
        .then(text)
        .alias("_band"),
        (year.str.contains(r"^\d{4}/\d{2}$") & ((first + 1) % 100 == second))
        .fill_null(False)
        .alias("_year_ok"),
    ]


def polars_masks(data: dict) -> dict[tuple[str, str], pl.Expr]:
    col, blank = pl.col, {c: pl.col(c) == "" for c in SPEC_COLUMNS}
    scale, number, band, year_ok = col("_scale"), col("_number"), col("_band"), col("_year_ok")
    term = col("term").str.to_lowercase()
    windows = [f"{y}|{t}" for y, t in data["windows"]]
    key = ["pupil_id", "urn", "academic_year", "term", "subject"]
    return {
        ("pupil_id", "missing"): blank["pupil_id"],
        ("pupil_id", "too long"): col("pupil_id").str.len_chars() > 40,
        ("urn", "missing"): blank["urn"],
        ("urn", "not whole"): ~blank["urn"]
        & (col("_urn").is_null() | ~col("urn").str.contains(r"^[+-]?\d+$")),
        ("urn", "range"): (col("_urn") < 100000) | (col("_urn") > 999999),
        ("academic_year", "missing"): blank["academic_year"],
        ("academic_year", "invalid"): ~blank["academic_year"] & ~year_ok,
        ("term", "missing"): blank["term"],
        ("term", "invalid"): ~blank["term"] & ~term.is_in(TERMS),
        ("subject", "missing"): blank["subject"],
        ("subject", "too long"): col("subject").str.len_chars() > 50,
        ("year_group", "missing"): blank["year_group"],
        ("year_group", "not whole"): ~blank["year_group"]
        & ~col("year_group").str.contains(r"^[+-]?\d+$"),
        ("year_group", "range"): (col("_year_group") < 0) | (col("_year_group") > 13),
        ("scale", "missing"): blank["scale"],
        ("scale", "invalid"): ~blank["scale"] & ~scale.is_in(["scaled", "gcse", "band", "percent"]),
        ("value", "missing"): blank["value"],
        ("value", "too long"): col("value").str.len_chars() > 20,
        ("value", "not a number"): scale.is_in(["scaled", "gcse", "percent"])
        & ~blank["value"]
        & number.is_null(),
        ("value", "not a band"): (scale == "band") & ~blank["value"] & band.is_null(),
        ("value", "scaled range"): (scale == "scaled") & ((number < 70) | (number > 141)),
        ("value", "gcse range"): (scale == "gcse") & ((number < 0) | (number > 9)),
        ("value", "percent range"): (scale == "percent") & ((number < 0) | (number > 100)),
        ("pupil_id", "duplicate"): ~blank["pupil_id"] & ~pl.struct(key).is_first_distinct(),
        ("pupil_id", "unknown"): ~blank["pupil_id"] & ~col("pupil_id").is_in(data["pupil_ids"]),
        ("urn", "unknown"): col("_urn").is_not_null() & ~col("_urn").is_in(data["urns"]),
        ("academic_year", "no window"): year_ok
        & term.is_in(TERMS)
        & ~pl.concat_str([col("academic_year"), pl.lit("|"), term]).is_in(windows),
    }


SPEC_COLUMNS = [
    "pupil_id",
    "urn",
    "academic_year",
    "term",
    "subject",
    "year_group",
    "scale",
    "value",
]


def polars_store(typed: pl.DataFrame, store_root: Path) -> None:
    """The reference store layout (one zstd Parquet per year and academy, fsynced, manifest,
    pointer) written from Polars partitions."""
    trust_dir = store_root / "bench"
    (trust_dir / "_manifests").mkdir(parents=True, exist_ok=True)
    partitions = {}
    for (year, urn), part in typed.partition_by(
        ["academic_year", "urn"], as_dict=True, maintain_order=False
    ).items():
        relative = (
            f"assessment_results/{year.replace('/', '-')}/{urn}-{uuid.uuid4().hex[:8]}.parquet"
        )
        path = trust_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_parquet(str(path) + ".tmp", compression="zstd", compression_level=1)
        _fsync(str(path) + ".tmp")
        os.replace(str(path) + ".tmp", path)
        slices = dict(part["term"].value_counts().iter_rows())
        partitions[f"academic_year={year}/urn={urn}"] = {
            "file": relative,
            "rows": part.height,
            "slices": {str(k): int(v) for k, v in slices.items()},
        }
    name = f"manifest-{uuid.uuid4().hex[:8]}.json"
    (trust_dir / "_manifests" / name).write_text(
        json.dumps({"datasets": {"assessment_results": partitions}})
    )
    (trust_dir / "CURRENT.tmp").write_text(name)
    os.replace(trust_dir / "CURRENT.tmp", trust_dir / "CURRENT")


# --- harness -------------------------------------------------------------------------------


def child(which: str, folder: Path) -> None:
    """Run one implementation in this process and print its timing and peak memory."""
    store_root = Path(tempfile.mkdtemp(prefix=f"bench-store-{which}-"))
    try:
        runner = {"trustlens": run_trustlens, "reference": run_reference, "polars": run_polars}
        result = runner[which](folder, store_root)
    finally:
        shutil.rmtree(store_root, ignore_errors=True)
    result["peak_mib"] = peak_mib()
    print(json.dumps(result))


def peak_mib() -> float:
    """This process's own peak RSS: VmHWM belongs to the address space, which exec replaces.

    Not ``ru_maxrss``: Linux carries it across fork and exec, so a child would report the
    harness's peak (the 1,000,000-row data generated in the parent) instead of its own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover - not Linux


def spawn(which: str, folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, "--data", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def large_run(work: Path, rows: int) -> dict:
    """The 10M-row file: trustlens and the Polars reference once each (fresh processes)."""
    folder = work / "large"
    generate(folder, rows, seed=2)
    ours, theirs = spawn("trustlens", folder), spawn("polars", folder)
    shutil.rmtree(folder, ignore_errors=True)
    assert ours["errors"] == theirs["errors"] == 0 and ours["rows"] == theirs["rows"] == rows
    return {
        "rows_10m": rows,
        "seconds_10m": round(ours["seconds"], 3),
        "peak_mib_10m": round(ours["peak_mib"], 1),
        "polars_seconds_10m": round(theirs["seconds"], 3),
        "polars_peak_mib_10m": round(theirs["peak_mib"], 1),
        "goals_10m": {
            "seconds_10m<=8": ours["seconds"] <= 8,
            "peak_mib_10m<=1024": ours["peak_mib"] <= 1024,
            "faster_than_polars_10m": ours["seconds"] < theirs["seconds"],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=["trustlens", "reference", "polars"])
    parser.add_argument(
        "--rows-10m",
        type=int,
        default=10_000_000,
        help="the large run (trustlens and Polars, once each); 0 to skip",
    )
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data)
        return
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        generate(work / "good", args.rows)
        plant_errors(work / "good", work / "bad")
        checks = {
            which: spawn(which, work / "bad")["errors"]
            for which in ("trustlens", "reference", "polars")
        }
        print(
            f"planted-error file: errors found by trustlens {checks['trustlens']}, by the reference {checks['reference']}"
        )
        if len(set(checks.values())) != 1 or checks["trustlens"] == 0:
            raise SystemExit("the two implementations disagree on the planted errors")
        runs = {
            which: [spawn(which, work / "good") for _ in range(args.repeat)]
            for which in ("trustlens", "reference", "polars")
        }
        large = large_run(work, args.rows_10m) if args.rows_10m else {}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for results in runs.values():
        assert all(r["errors"] == 0 and r["rows"] == args.rows for r in results), results
    result = {
        "rows": args.rows,
        "seconds": round(statistics.median(r["seconds"] for r in runs["trustlens"]), 3),
        "reference_seconds": round(statistics.median(r["seconds"] for r in runs["reference"]), 3),
        "peak_mib": round(max(r["peak_mib"] for r in runs["trustlens"]), 1),
        "reference_peak_mib": round(max(r["peak_mib"] for r in runs["reference"]), 1),
        "runs": {k: [round(r["seconds"], 3) for r in v] for k, v in runs.items()},
        "polars_seconds": round(statistics.median(r["seconds"] for r in runs["polars"]), 3),
        "polars_peak_mib": round(max(r["peak_mib"] for r in runs["polars"]), 1),
        **large,
        "planted_errors_found": checks["trustlens"],
        "cpu_count": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),  # other work on the machine meanwhile
        "python": sys.version.split()[0],
        "polars": pl.__version__,
        "note": "median of runs; each run in a fresh process; peak_mib is that process's maximum RSS "
        "(interpreter and libraries included); timing covers reading, validating and the durable store commit",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
