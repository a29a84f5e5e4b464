"""The engines that run trustlens' Ibis expressions: DuckDB (embedded default) or PySpark.

The measures build backend-neutral Ibis expressions; this module owns the connections.
DuckDB runs in-process with no set-up. PySpark (the optional extra ``trustlens[spark]``) runs in
local mode for users who outgrow one machine; one Spark session is shared per process:
``local[2]``, the web UI off, the driver bound to 127.0.0.1 and few shuffle partitions, because
trust-sized group summaries are small.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections import OrderedDict
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa
from ibis.common.exceptions import IbisError

BACKENDS = ("duckdb", "pyspark")

_spark_lock = threading.Lock()
_spark_session: Any = None


def spark_session(master: str = "local[2]", shuffle_partitions: int = 2) -> Any:
    """The process-wide Spark session (created on first use; later calls reuse it)."""
    global _spark_session
    with _spark_lock:
        if _spark_session is None:
            _spark_session = _build_spark(master, shuffle_partitions)
        return _spark_session


def _build_spark(master: str, shuffle_partitions: int) -> Any:
    warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark.*")
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("PySpark is not installed: pip install 'trustlens[spark]'") from exc
    builder = (
        SparkSession.builder.master(master)
        .appName("trustlens")
        .config("spark.ui.enabled", "false")
        # Arrow data handed to Spark lives in the driver's heap: 1 GB (Spark's default) runs out
        # on a national cohort. TRUSTLENS_SPARK_DRIVER_MEMORY overrides.
        .config("spark.driver.memory", os.environ.get("TRUSTLENS_SPARK_DRIVER_MEMORY", "3g"))
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.ansi.enabled", "false")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect(backend: str = "duckdb", *, threads: int | None = None) -> ibis.BaseBackend:
    """An Ibis backend: ``"duckdb"`` (in-memory, default) or ``"pyspark"`` (local mode).

    ``threads`` limits DuckDB's worker threads (default: all cores).
    """
    if backend == "duckdb":
        con = ibis.duckdb.connect()
        if threads:
            con.raw_sql(f"SET threads = {int(threads)}")
        return con
    if backend == "pyspark":
        return ibis.pyspark.connect(spark_session())
    raise ValueError(f"unknown backend {backend!r}; choose one of {BACKENDS}")


def backend_name(con: ibis.BaseBackend) -> str:
    """``"duckdb"`` or ``"pyspark"`` for a connection made by :func:`connect`."""
    return con.name


def load(
    con: ibis.BaseBackend,
    name: str,
    data: pd.DataFrame | pa.Table | ibis.Table,
    *,
    narrow: bool = False,
) -> ibis.Table:
    """Put an in-memory table into the backend under ``name`` and return it as an Ibis table.

    ``narrow`` (DuckDB, Arrow or pandas data): store each column in the narrowest type that
    holds it: 64-bit integers that fit in 32 bits as INTEGER, text with few distinct values
    (years, terms, codes) as ENUM. Values are unchanged (results come back as text and
    integers); the engine hashes and compares 1-4 bytes instead of 8 or a string. National P8
    runs ~25% less CPU on it (benchmarks/national_p8.py)."""
    if isinstance(data, pd.DataFrame):
        data = pa.Table.from_pandas(data, preserve_index=False)
    if isinstance(data, pa.Table):
        data = _no_null_types(data)
        if narrow:
            data = narrow_integers(data)
    if con.name == "pyspark":
        return _load_spark(con, name, data)
    table = con.create_table(name, data, overwrite=True)
    if narrow and isinstance(data, pa.Table):
        enums = _enum_columns(con, name, data)
        table = table if enums is None else enums
    return table


#: Text columns with at most this many distinct values (and under a tenth of the rows) -> ENUM.
ENUM_LIMIT = 255


def narrow_integers(data: pa.Table) -> pa.Table:
    """64-bit integer columns whose values fit in 32 bits, cast to int32."""
    import pyarrow.compute as pc

    for i, fld in enumerate(data.schema):
        if pa.types.is_int64(fld.type) and data.num_rows:
            bounds = pc.min_max(data.column(i))
            low, high = bounds["min"].as_py(), bounds["max"].as_py()
            if low is not None and low > -(2**31) and high < 2**31:
                data = data.set_column(i, fld.name, data.column(i).cast(pa.int32()))
    return data


def _enum_columns(con: ibis.BaseBackend, name: str, data: pa.Table) -> ibis.Table | None:
    """Re-store low-cardinality text columns of a DuckDB table as ENUM (None: nothing to do)."""
    import pyarrow.compute as pc

    replace = []
    for fld in data.schema:
        if not (pa.types.is_string(fld.type) or pa.types.is_large_string(fld.type)):
            continue
        values = pc.unique(data.column(fld.name)).drop_null().to_pylist()
        if 0 < len(values) <= ENUM_LIMIT and len(values) * 10 <= data.num_rows:
            labels = ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))
            replace.append(f'CAST("{fld.name}" AS ENUM({labels})) AS "{fld.name}"')
    if not replace:
        return None
    quoted = '"' + name.replace('"', '""') + '"'
    con.raw_sql(
        f"CREATE OR REPLACE TABLE {quoted} AS SELECT * REPLACE ({', '.join(replace)}) FROM {quoted}"
    )
    return con.table(name)


def _load_spark(con: ibis.BaseBackend, name: str, data: pa.Table | ibis.Table) -> ibis.Table:
    """Register Arrow data as a Spark temporary view (nothing written to disk)."""
    if isinstance(data, ibis.Table):
        data = data.to_pyarrow()
    frame = spark_session().createDataFrame(data)
    frame.createOrReplaceTempView(name)
    return con.table(name)


def _no_null_types(data: pa.Table) -> pa.Table:
    """All-null columns have Arrow type null, which engines reject: make them text."""
    for i, fld in enumerate(data.schema):
        if pa.types.is_null(fld.type):
            data = data.set_column(i, fld.name, data.column(i).cast(pa.string()))
    return data


def execute(expr: ibis.Table) -> pd.DataFrame:
    """Run an expression on its own backend and return a pandas frame (numpy dtypes).

    On DuckDB the SQL of recently run expressions is kept (:func:`duckdb_sql`): compiling a
    measure's expression costs more than running it on a national cohort."""
    return to_arrow(expr).to_pandas()


_thread = threading.local()


def thread_backend() -> ibis.BaseBackend:
    """This thread's own in-memory DuckDB, for expressions over in-memory tables only.

    Ibis' default backend is one connection for the whole process, and a DuckDB connection
    must not be used by two threads at once (two requests did, and both hung): each thread of
    a web server gets its own, as DuckDB's Python guide advises (a connection per thread)."""
    con = getattr(_thread, "duckdb", None)
    if con is None:
        con = _thread.duckdb = connect("duckdb", threads=1)
    return con


def _backend_of(expr: ibis.Expr) -> ibis.BaseBackend:
    try:
        return expr._find_backend()
    except IbisError:  # in-memory tables only
        return thread_backend()


def to_arrow(expr: ibis.Table) -> pa.Table:
    """Run an expression on its own backend (in-memory tables only: this thread's DuckDB,
    :func:`thread_backend`) and return an Arrow table of its schema."""
    backend = _backend_of(expr)
    if backend.name != "duckdb":
        return expr.to_pyarrow()
    from ibis.backends.duckdb.converter import DuckDBPyArrowData

    table = backend.con.sql(duckdb_sql(backend, expr)).to_arrow_table()
    return expr.__pyarrow_result__(table, data_mapper=DuckDBPyArrowData)


#: Compiled SQL of the most recently run DuckDB expressions (an expression holds its backend).
_COMPILED: OrderedDict[Any, str] = OrderedDict()
COMPILED_LIMIT = 32
_compiled_lock = threading.Lock()


def duckdb_sql(backend: ibis.BaseBackend, expr: ibis.Table) -> str:
    """The SQL for ``expr`` on a DuckDB backend, compiled once and then reused.

    Ibis expressions are immutable and compare by structure, so an equal expression has the
    same SQL; the in-memory tables it names are registered (Ibis' pre-execute hooks) on the
    backend that runs it, every time (an equal expression may run on another thread's backend)."""
    key = expr.op()
    backend._run_pre_execute_hooks(expr)  # register its in-memory tables on *this* backend
    with _compiled_lock:
        sql = _COMPILED.get(key)
        if sql is not None:
            _COMPILED.move_to_end(key)
            return sql
    sql = backend.compile(expr)
    with _compiled_lock:
        _COMPILED[key] = sql
        while len(_COMPILED) > COMPILED_LIMIT:
            _COMPILED.popitem(last=False)
    return sql
