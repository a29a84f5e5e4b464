"""Expressions over in-memory tables run on each thread's own DuckDB (a web server's threads
must never share one connection: two requests that did both hung, in the whole-app walk)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import ibis
import pandas as pd

from trustlens.analytics import engine


def _total(offset: int) -> float:
    frame = pd.DataFrame({"group": [1, 1, 2] * 2000, "value": range(6000)})
    table = ibis.memtable(frame.assign(value=frame.value + offset))
    out = engine.execute(table.group_by("group").agg(total=table.value.sum()).order_by("group"))
    return float(out.total.sum())


def test_threads_each_get_their_own_backend_and_all_finish():
    with ThreadPoolExecutor(max_workers=4) as pool:
        backends = list(pool.map(lambda _: id(engine.thread_backend()), range(4)))
        totals = list(pool.map(_total, range(40), timeout=60))
    assert len(set(backends)) > 1  # not one shared connection
    assert totals == [sum(range(6000)) + 6000 * k for k in range(40)]


def test_an_equal_expression_runs_on_a_second_backend_after_the_first():
    """The compiled-SQL cache is shared, the in-memory tables are registered per backend."""
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    expr = ibis.memtable(frame).x.sum().name("s").as_table()
    first = engine.execute(expr)
    with ThreadPoolExecutor(max_workers=1) as pool:
        second = pool.submit(engine.execute, expr).result(timeout=30)
    assert first.s.iloc[0] == second.s.iloc[0] == 6.0
