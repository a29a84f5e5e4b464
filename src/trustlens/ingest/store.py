"""The analytical store: pseudonymised pupil-level facts as Parquet, written atomically.

Layout under the store root (``settings.STORE_DIR``)::

    <trust>/CURRENT                      name of the live manifest (switched with os.replace)
    <trust>/_manifests/manifest-000007-<id>.json
    <trust>/<dataset>/<year>/<partition>-<id>.parquet     e.g. assessment_results/2023-24/141001-spring-1a2b.parquet
    _national/...                        DfE national benchmark tables, same layout

A manifest lists every live partition of every dataset: its file, row count, partition values,
when and by which import it was written, and the dataset's schema. Data files are immutable
and never overwritten. A transaction writes new files, then a new manifest, then switches
``CURRENT`` with ``os.replace`` (atomic on POSIX): a process killed at any point leaves
``CURRENT`` naming the previous manifest, whose files are all still there. Superseded files are
deleted only after a later commit, keeping the last ``KEEP_VERSIONS`` manifests readable for
readers that are part-way through.

The store holds the surrogate ``pupil_id`` only: names, UPNs and dates of birth stay in the
records database (see ``trustlens.ingest.standard.PUPILS``).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from trustlens.ingest.faults import checkpoint

NATIONAL = "_national"
KEEP_VERSIONS = 3
CURRENT = "CURRENT"
MANIFESTS = "_manifests"
ALL = "all"
WRITE_THREADS = 4

_DTYPES: dict[str, pl.DataType] = {
    "String": pl.String(),
    "Int64": pl.Int64(),
    "Float64": pl.Float64(),
    "Boolean": pl.Boolean(),
    "Date": pl.Date(),
}

Schema = dict[str, pl.DataType]
SchemaResolver = Callable[[str, str], Schema | None]


def schema_to_json(schema: Schema) -> list[list[str]]:
    """[[column, type], ...]: a list keeps the column order through JSON."""
    return [[name, str(dtype)] for name, dtype in schema.items()]


def schema_from_json(data: list[list[str]]) -> Schema:
    return {name: _DTYPES[text] for name, text in data}


def empty_manifest() -> dict:
    return {"version": 0, "created_at": None, "import_id": None, "datasets": {}}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _slug(value: Any) -> str:
    text = ALL if value is None else str(value)
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-") or "x"


def _plain(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def _slices(record: dict) -> list[Slice]:
    slices = record.get("slices") or {
        ALL: {
            "values": {},
            "rows": record["rows"],
            "written_at": record.get("written_at"),
            "import_id": record.get("import_id"),
        }
    }
    return [
        Slice(k, v["values"], v["rows"], v.get("written_at"), v.get("import_id"))
        for k, v in sorted(slices.items())
    ]


def partition_key(values: dict) -> str:
    """The manifest's key of a partition, e.g. "academic_year=2023-24/urn=141001/term=spring"."""
    return "/".join(f"{c}={_slug(v)}" for c, v in values.items()) or ALL


@dataclass(frozen=True)
class Slice:
    """One replacement unit (academy and period) inside a partition file, e.g. an academy's
    spring results: what a re-import replaces, and what completeness counts."""

    key: str
    values: dict
    rows: int
    written_at: str | None
    import_id: str | None


@dataclass(frozen=True)
class Partition:
    """One live partition file of a dataset, as the manifest records it."""

    dataset: str
    key: str
    file: Path
    rows: int
    values: dict
    written_at: str | None
    import_id: str | None
    slices: tuple[Slice, ...] = ()


class AnalyticalStore:
    """Read access to the store (the API dashboards and the analytics package use)."""

    def __init__(self, root: Path | str, schema_resolver: SchemaResolver | None = None) -> None:
        self.root = Path(root)
        self._schema_resolver = schema_resolver or default_schema

    # --- manifests ---------------------------------------------------------------------

    def trust_dir(self, trust_slug: str) -> Path:
        if not trust_slug or "/" in trust_slug or trust_slug in {".", ".."}:
            raise ValueError(f"not a valid store key: {trust_slug!r}")
        return self.root / trust_slug

    def manifest(self, trust_slug: str) -> dict:
        """The live manifest (an empty one when nothing has been written)."""
        trust_dir = self.trust_dir(trust_slug)
        try:
            name = (trust_dir / CURRENT).read_text().strip()
            return json.loads((trust_dir / MANIFESTS / name).read_text())
        except FileNotFoundError:
            return empty_manifest()

    def datasets(self, trust_slug: str) -> list[str]:
        """Datasets with at least one live partition."""
        datasets = self.manifest(trust_slug)["datasets"]
        return sorted(name for name, entry in datasets.items() if entry["partitions"])

    def partitions(self, trust_slug: str, dataset: str) -> list[Partition]:
        entry = self.manifest(trust_slug)["datasets"].get(dataset)
        if not entry:
            return []
        base = self.trust_dir(trust_slug)
        return [
            Partition(
                dataset,
                key,
                base / p["file"],
                p["rows"],
                p["values"],
                p.get("written_at"),
                p.get("import_id"),
                tuple(_slices(p)),
            )
            for key, p in sorted(entry["partitions"].items())
        ]

    def slices(self, trust_slug: str, dataset: str) -> list[Slice]:
        """Every replacement unit (academy and period) held for ``dataset``."""
        return [s for p in self.partitions(trust_slug, dataset) for s in p.slices]

    def files(self, trust_slug: str, dataset: str) -> list[Path]:
        """The Parquet files of every live partition of ``dataset``."""
        return [p.file for p in self.partitions(trust_slug, dataset)]

    def schema(self, trust_slug: str, dataset: str) -> Schema:
        entry = self.manifest(trust_slug)["datasets"].get(dataset)
        if entry:
            return schema_from_json(entry["schema"])
        schema = self._schema_resolver(trust_slug, dataset)
        if schema is None:
            raise KeyError(f"unknown dataset {dataset!r} for {trust_slug!r}")
        return schema

    # --- reading data --------------------------------------------------------------------

    def polars(self, trust_slug: str, dataset: str) -> pl.DataFrame:
        """Every live row of ``dataset`` (an empty frame with the right schema if none)."""
        schema = self.schema(trust_slug, dataset)
        files = self.files(trust_slug, dataset)
        if not files:
            return pl.DataFrame(schema=schema)
        return conform(
            pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed"), schema
        )

    def arrow(self, trust_slug: str, dataset: str) -> pa.Table:
        return self.polars(trust_slug, dataset).to_arrow()

    def table(self, con: Any, trust_slug: str, dataset: str) -> Any:
        """``dataset`` as an Ibis table on backend ``con`` (DuckDB or PySpark)."""
        import ibis

        files = [str(f) for f in self.files(trust_slug, dataset)]
        if not files:
            return ibis.memtable(pl.DataFrame(schema=self.schema(trust_slug, dataset)).to_arrow())
        if getattr(con, "name", "") == "duckdb":
            return con.read_parquet(files, union_by_name=True)
        return con.read_parquet(files)

    def national_table(self, con: Any, name: str) -> Any:
        """A DfE national benchmark table (``trustlens import-dfe``), e.g. "ks4", "ks2", "census"."""
        return self.table(con, NATIONAL, name)

    def national_polars(self, name: str) -> pl.DataFrame:
        return self.polars(NATIONAL, name)

    # --- writing -------------------------------------------------------------------------

    @contextmanager
    def transaction(
        self, trust_slug: str, import_id: str | None = None, durable: bool = True
    ) -> Iterator[StoreTransaction]:
        """Write new partitions; nothing is visible until ``commit()`` switches the pointer."""
        trust_dir = self.trust_dir(trust_slug)
        (trust_dir / MANIFESTS).mkdir(parents=True, exist_ok=True)
        with open(trust_dir / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            tx = StoreTransaction(self, trust_slug, import_id or uuid.uuid4().hex[:12], durable)
            try:
                yield tx
            finally:
                if not tx.committed:
                    tx.discard()
                fcntl.flock(lock, fcntl.LOCK_UN)


def default_schema(trust_slug: str, dataset: str) -> Schema | None:
    """Schemas of datasets never written: the data standard's, or the DfE tables'."""
    if trust_slug == NATIONAL:
        from trustlens.ingest.dfe import national_schema

        return national_schema(dataset)
    from trustlens.ingest import registry

    registration = registry.get(dataset)
    return registration.spec.store_schema() if registration else None


class StoreTransaction:
    """One writer's changes to one trust's store. Files are written at once, made live at commit."""

    def __init__(
        self, store: AnalyticalStore, trust_slug: str, import_id: str, durable: bool
    ) -> None:
        self.store = store
        self.trust_slug = trust_slug
        self.trust_dir = store.trust_dir(trust_slug)
        self.import_id = import_id
        self.durable = durable
        self.base = store.manifest(trust_slug)
        self.manifest = copy.deepcopy(self.base)
        self.written: list[Path] = []
        self.committed = False
        self.prepared: str | None = None

    # --- partitions ----------------------------------------------------------------------

    def write_partitions(
        self,
        dataset: str,
        frame: pl.DataFrame,
        schema: Schema,
        partition_by: tuple[str, ...],
        year_column: str | None = None,
        replace_all: bool = False,
        file_by: tuple[str, ...] | None = None,
    ) -> list[str]:
        """Replace the slices (``partition_by`` values: academy and period) present in ``frame``.

        Rows are stored one file per ``file_by`` values (a prefix of ``partition_by``, default all
        of it): a file holding other slices is rewritten with the old rows of those slices kept.
        ``replace_all`` drops every slice of the dataset first. Returns the slice keys written.
        """
        file_by = partition_by if file_by is None else file_by
        entry = self._entry(dataset, schema, "partitions", replace_all)
        frame = conform(frame, schema)
        groups = (
            frame.partition_by(list(file_by), as_dict=True, maintain_order=True)
            if file_by
            else {(): frame}
        )
        jobs, written = [], []
        for values, part in groups.items():
            named = dict(zip(file_by, values, strict=True))
            key = partition_key(named)
            merged, slices = self._merge(entry["partitions"].get(key), part, partition_by)
            written += list(slices)
            year = _slug(named.get(year_column)) if year_column in named else ALL
            stem = "-".join(_slug(v) for c, v in named.items() if c != year_column) or ALL
            relative = Path(dataset) / year / f"{stem}-{uuid.uuid4().hex[:8]}.parquet"
            jobs.append((key, named, merged, relative, slices))
        for key, named, merged, relative, slices in self._write_all(jobs):
            entry["partitions"][key] = self._partition_record(
                relative, merged.height, named, slices
            )
        return written

    def _merge(
        self, old: dict | None, new: pl.DataFrame, partition_by: tuple[str, ...]
    ) -> tuple[pl.DataFrame, dict]:
        """The file's rows after replacing the slices in ``new``, and the file's slice records."""
        new_slices = {}
        counts = (
            new.group_by(list(partition_by)).len()
            if partition_by
            else pl.DataFrame({"len": [new.height]})
        )
        for row in counts.iter_rows(named=True):
            values = {c: row[c] for c in partition_by}
            new_slices[partition_key(values)] = self._slice_record(values, row["len"])
        if not old:
            return new, new_slices
        kept = {k: v for k, v in old.get("slices", {}).items() if k not in new_slices}
        if not kept or not partition_by:
            return new, new_slices
        previous = conform(pl.read_parquet(self.trust_dir / old["file"]), new.schema)
        previous = previous.join(
            new.select(list(partition_by)).unique(),
            on=list(partition_by),
            how="anti",
            nulls_equal=True,
        )
        return pl.concat([previous, new], how="vertical_relaxed"), kept | new_slices

    def write_snapshot(self, dataset: str, frame: pl.DataFrame, schema: Schema) -> None:
        """Replace the whole of a trust-wide dataset with ``frame``."""
        self.write_partitions(dataset, frame, schema, (), replace_all=True)

    def upsert_snapshot(
        self, dataset: str, frame: pl.DataFrame, schema: Schema, key: tuple[str, ...]
    ) -> None:
        """Merge ``frame`` into a trust-wide dataset: its rows replace those with the same key."""
        current = self.current_frame(dataset, schema)
        merged = pl.concat(
            [
                current.join(frame.select(list(key)).unique(), on=list(key), how="anti"),
                conform(frame, schema),
            ],
            how="vertical_relaxed",
        )
        self.write_snapshot(dataset, merged, schema)

    def remove_rows(self, dataset: str, column: str, value: Any) -> int:
        """Rewrite every partition of ``dataset`` holding rows whose ``column`` equals ``value``
        without them (new files; live at commit). Returns the number of rows removed."""
        entry = self.manifest["datasets"].get(dataset)
        if not entry or column not in dict(entry["schema"]):
            return 0
        removed, jobs = 0, []
        for key, record in entry["partitions"].items():
            frame = pl.read_parquet(self.trust_dir / record["file"])
            kept = frame.filter(pl.col(column).ne_missing(pl.lit(value).cast(frame[column].dtype)))
            if kept.height == frame.height:
                continue
            removed += frame.height - kept.height
            relative = Path(record["file"]).with_name(
                f"{Path(record['file']).stem.rsplit('-', 1)[0]}-{uuid.uuid4().hex[:8]}.parquet"
            )
            jobs.append((key, record, kept, relative, None))
        for key, record, kept, relative, _ in self._write_all(jobs):
            entry["partitions"][key] = self._rewritten_record(record, relative, kept)
        return removed

    def _rewritten_record(self, record: dict, relative: Path, frame: pl.DataFrame) -> dict:
        """``record`` for its rewritten file: new file and row counts, same partition values."""
        slices = {}
        for key, old in record.get("slices", {}).items():
            match = frame
            for name, value in old["values"].items():
                match = match.filter(pl.col(name).cast(pl.String).eq_missing(_text(value)))
            slices[key] = {**old, "rows": match.height}
        return {**record, "file": relative.as_posix(), "rows": frame.height, "slices": slices}

    def current_frame(self, dataset: str, schema: Schema) -> pl.DataFrame:
        entry = self.base["datasets"].get(dataset, {"partitions": {}})
        files = [str(self.trust_dir / p["file"]) for p in entry["partitions"].values()]
        if not files:
            return pl.DataFrame(schema=schema)
        return conform(
            pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed"), schema
        )

    def _entry(self, dataset: str, schema: Schema, mode: str, replace_all: bool) -> dict:
        datasets = self.manifest["datasets"]
        entry = datasets.setdefault(dataset, {"partitions": {}})
        entry["schema"] = schema_to_json(schema)
        entry["mode"] = mode
        if replace_all:
            entry["partitions"] = {}
        return entry

    def _partition_record(self, relative: Path, rows: int, values: dict, slices: dict) -> dict:
        return {
            "file": relative.as_posix(),
            "rows": rows,
            "values": _plain(values),
            "written_at": _now(),
            "import_id": self.import_id,
            "slices": slices,
        }

    def _slice_record(self, values: dict, rows: int) -> dict:
        return {
            "values": _plain(values),
            "rows": rows,
            "written_at": _now(),
            "import_id": self.import_id,
        }

    def _write_all(self, jobs: list[tuple]) -> Iterator[tuple]:
        with ThreadPoolExecutor(max_workers=WRITE_THREADS) as pool:
            for job, path in zip(jobs, pool.map(self._write_file, jobs), strict=True):
                self.written.append(path)
                checkpoint(f"file:{len(self.written)}")
                yield job

    def _write_file(self, job: tuple) -> Path:
        frame, relative = job[2], job[3]
        path = self.trust_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        frame.write_parquet(tmp, compression="zstd", compression_level=1, statistics=True)
        if self.durable:
            _fsync(tmp)
        os.replace(tmp, path)
        return path

    # --- commit --------------------------------------------------------------------------

    def prepare(self) -> str:
        """Write the new manifest (and make the files durable) without making it live."""
        if self.prepared:
            return self.prepared
        version = int(self.base.get("version", 0)) + 1
        self.manifest.update(version=version, created_at=_now(), import_id=self.import_id)
        name = f"manifest-{version:06d}-{self.import_id}.json"
        manifests = self.trust_dir / MANIFESTS
        _atomic_write(
            manifests / name, json.dumps(self.manifest, indent=1, sort_keys=True), self.durable
        )
        if self.durable:
            for directory in {p.parent for p in self.written} | {manifests}:
                _fsync_dir(directory)
        self.prepared = name
        checkpoint("manifest")
        return name

    def commit(self) -> str:
        """Make the new manifest live: one ``os.replace`` of ``CURRENT``; then collect garbage."""
        name = self.prepare()
        checkpoint("pointer")
        _atomic_write(self.trust_dir / CURRENT, name + "\n", self.durable)
        if self.durable:
            _fsync_dir(self.trust_dir)
        self.committed = True
        self.collect_garbage()
        return name

    def discard(self) -> None:
        """Remove the files of an abandoned transaction (best effort; GC gets the rest)."""
        for path in self.written:
            path.unlink(missing_ok=True)
        if self.prepared:
            (self.trust_dir / MANIFESTS / self.prepared).unlink(missing_ok=True)

    def collect_garbage(self, keep: int = KEEP_VERSIONS) -> None:
        """Delete manifests older than the last ``keep`` and files none of the kept ones name
        (``keep=1`` after an erasure: no earlier version may still hold the erased rows)."""
        manifests = sorted((self.trust_dir / MANIFESTS).glob("manifest-*.json"))
        current = (self.trust_dir / CURRENT).read_text().strip()
        # Older versions stay readable for a while; same-or-newer ones are leftovers of killed writers.
        older = [m for m in manifests if m.name[:15] < current[:15]]
        kept = older[len(older) - (keep - 1) :] if keep > 1 else []
        kept.append(self.trust_dir / MANIFESTS / current)
        live: set[str] = set()
        for path in kept:
            for entry in json.loads(path.read_text())["datasets"].values():
                live.update(p["file"] for p in entry["partitions"].values())
        for path in [*manifests, *(self.trust_dir / MANIFESTS).glob("*.tmp")]:
            if path not in kept:
                path.unlink(missing_ok=True)
        for path in self.trust_dir.glob("*/*/*"):
            relative = path.relative_to(self.trust_dir)
            if relative.parts[0].startswith("_") or path.suffix not in {".parquet", ".tmp"}:
                continue  # directories starting with "_" belong to others (e.g. dashboards' _summaries)
            if path.is_file() and relative.as_posix() not in live:
                path.unlink(missing_ok=True)


def conform(frame: pl.DataFrame, schema: Schema) -> pl.DataFrame:
    """Exactly the schema's columns, in order and types (missing ones as nulls)."""
    return frame.select(
        [
            pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c)
            for c, t in schema.items()
        ]
    )


def _text(value: Any) -> str | None:
    """A partition value as the string a column cast to String shows (dates ISO)."""
    if isinstance(value, bool):
        return str(value).lower()
    return None if value is None else str(value)


def _atomic_write(path: Path, text: str, durable: bool) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as handle:
        handle.write(text)
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
    os.replace(tmp, path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems refuse a directory fsync
        _fsync(path)
