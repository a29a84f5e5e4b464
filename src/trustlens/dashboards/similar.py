"""The similar-schools page (issue 21 item 1): an academy beside the 20 mainstream schools in
England nearest to it in prior attainment, disadvantage and size
(:mod:`trustlens.analytics.similar_schools`), with their median, IQR and range of P8, A8,
English and maths 4+ and attendance. The national tables come from ``trustlens import-dfe``;
the academy's own features from its data in the trust's store."""

from __future__ import annotations

import threading
from typing import Any

import ibis
import polars as pl
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from trustlens.analytics import engine, similar_schools
from trustlens.analytics.measures.progress8 import pupil_progress8
from trustlens.analytics.pupil_estimates import NATIONAL_YEAR
from trustlens.dashboards.audience import audience_for
from trustlens.dashboards.formatting import fmt
from trustlens.dashboards.reading import summaries_for
from trustlens.ingest.store import NATIONAL, AnalyticalStore
from trustlens.organisations.models import Academy

_cache: dict[tuple, tuple[pl.DataFrame, str | None]] = {}
_lock = threading.Lock()


def national_schools(store: AnalyticalStore) -> tuple[pl.DataFrame, str | None]:
    """The candidate schools from the store's national tables, cached until they change."""
    key = tuple(
        str(f) for name in ("ks4", "census", "absence") for f in store.files(NATIONAL, name)
    )
    with _lock:
        found = _cache.get(key)
    if found is None:
        tables = [_national(store, name) for name in ("ks4", "census", "absence")]
        found = similar_schools.from_tables(*tables)
        with _lock:
            _cache.clear()
            _cache[key] = found
    return found


def _national(store: AnalyticalStore, name: str) -> pl.DataFrame:
    try:
        return store.national_polars(name)
    except KeyError:
        return pl.DataFrame()


def academy_features(store: AnalyticalStore, academy: Academy) -> similar_schools.Features | None:
    """The academy's features from the trust's store: the DfE KS4 estimates (newest shipped)
    of its latest KS4 cohort's KS2 prior groups; its pupils on roll and their disadvantage."""
    slug, urn = academy.trust.slug, academy.urn
    held = set(store.datasets(slug))
    if not {"ks4", "pupils", "enrolments"} <= held:
        return None
    ks4 = store.polars(slug, "ks4").filter(pl.col("urn") == urn)
    if ks4.height == 0:
        return None
    ks4 = ks4.filter(pl.col("academic_year") == ks4["academic_year"].max())
    scored = engine.execute(  # this thread's DuckDB (a request must not share a connection)
        pupil_progress8(ibis.memtable(ks4.to_arrow()), NATIONAL_YEAR, elements=False)
    )
    roll = store.polars(slug, "enrolments").filter(
        (pl.col("urn") == urn) & pl.col("end_date").is_null()
    )
    pupils = store.polars(slug, "pupils").filter(
        pl.col("pupil_id").is_in(roll["pupil_id"].unique().implode())
    )
    return similar_schools.academy_features(
        scored["estimate"].tolist(),
        pupils["disadvantaged"].to_list(),
        roll["pupil_id"].n_unique(),
    )


def similar(request: HttpRequest, urn: int) -> HttpResponse:
    """The academy, its features, and its similar schools' spread of published results."""
    academy = get_object_or_404(
        Academy.objects.restrict(request.user).select_related("trust"), urn=urn
    )
    context: dict[str, Any] = {"academy": academy, "secondary": academy.phase == "secondary"}
    if context["secondary"]:
        context.update(_secondary_context(request.user, academy))
    return render(request, "dashboards/similar.html", context)


def _secondary_context(user: Any, academy: Academy) -> dict[str, Any]:
    store = AnalyticalStore(settings.STORE_DIR)
    schools, year = national_schools(store)
    features = academy_features(store, academy)
    out: dict[str, Any] = {
        "year": year,
        "features": features,
        "k": similar_schools.K,
        "national_year": NATIONAL_YEAR,
    }
    if schools.height == 0 or features is None:
        return out
    neighbours = similar_schools.nearest(schools, features, exclude_urn=academy.urn)
    spreads = similar_schools.spreads(neighbours)
    out["rows"] = _measure_rows(user, academy, spreads)
    out["feature_rows"] = _feature_rows(features, neighbours)
    out["neighbours"] = neighbours.to_dicts()
    out["candidates"] = schools.height
    return out


def _measure_rows(user: Any, academy: Academy, spreads: dict) -> list[dict]:
    summaries = summaries_for(academy.trust.slug)
    cells = {}
    if summaries is not None:
        cells = {m: summaries.cell("academy", str(academy.urn), m) for m in spreads}
        audience_for(user).disclose(list(cells.values()))
    rows = []
    for measure, spread in spreads.items():
        label, _column = similar_schools.MEASURES[measure]
        cell = cells.get(measure)
        rows.append(
            {
                "label": label,
                "own": cell.text if cell else "x",
                "period": cell.period if cell else "",
                "schools": spread.schools,
                **{
                    name: fmt(measure, getattr(spread, name))
                    for name in ("median", "q1", "q3", "low", "high")
                },
            }
        )
    return rows


def _feature_rows(features: similar_schools.Features, neighbours: pl.DataFrame) -> list[dict]:
    own = {
        "prior_a8": features.prior_a8,
        "disadvantaged_pct": features.disadvantaged_pct,
        "log_pupils": features.pupils,
    }
    column = {
        "prior_a8": "prior_a8",
        "disadvantaged_pct": "disadvantaged_pct",
        "log_pupils": "pupils",
    }
    rows = []
    for name, label in similar_schools.FEATURE_LABELS.items():
        values = neighbours[column[name]]
        decimals = 0 if name == "log_pupils" else 1
        rows.append(
            {
                "label": label,
                "own": f"{own[name]:,.{decimals}f}",
                "median": f"{values.median():,.{decimals}f}",
                "low": f"{values.min():,.{decimals}f}",
                "high": f"{values.max():,.{decimals}f}",
            }
        )
    return rows
