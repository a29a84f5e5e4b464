"""Figures: measures (the rows of ``trustlens measure``), dashboard headline summaries, the
assessment calendar and its completeness grid. Suppression always applies (the API's output
leaves the screen): groups under ``SUPPRESSION_THRESHOLD`` pupils are ``"c"``.

Scoping: academy rows only for academies in ``restrict(user)``; the trust's own rows only for
users whose scope includes the trust (``Trust.objects.restrict``), as on the dashboards.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from trustlens.analytics import engine
from trustlens.analytics.trust_measures import (
    DATASETS,
    MEASURES,
    Options,
    available_years,
    exits_rows,
    to_records,
    trust_measure,
)
from trustlens.api import figure_serializers as s
from trustlens.api.filters import YEAR, RecordFilter, clean
from trustlens.assessment.models import AssessmentWindow
from trustlens.assessment.services import completeness
from trustlens.core.fragments import store_manifest
from trustlens.dashboards.contexts.overview import academy_headline
from trustlens.ingest.store import AnalyticalStore
from trustlens.organisations.models import Academy, Trust

MEASURE_NAMES = (*MEASURES, "exits")
SUPPRESSED = "c"
_cache: dict[tuple, list[dict]] = {}
_lock = threading.Lock()
CACHE_LIMIT = 64


def _trust(request: Any) -> Trust:
    """The trust named by ``?trust=`` (default: your only trust), within your scope."""
    trusts = Trust.objects.restrict(request.user)
    slug = request.query_params.get("trust")
    found = trusts.filter(slug=slug).first() if slug else None
    if slug and found is None:
        raise exceptions.NotFound("No trust with that slug in your scope.")
    if found is None:
        candidates = list(trusts[:2])
        if len(candidates) != 1:
            raise exceptions.ValidationError({"trust": "Name the trust (?trust=slug)."})
        found = candidates[0]
    return found


def measure_records(slug: str, name: str, year: str, term: str | None) -> list[dict]:
    """The CLI's JSON rows for one measure, cached per store version (the manifest)."""
    store = AnalyticalStore(settings.STORE_DIR)
    key = (str(store.root), slug, name, year, term, store_manifest(slug) or "")
    found = _cache.get(key)
    if found is not None:
        return found
    if not store.datasets(slug):
        return []
    con = engine.connect("duckdb")
    options = Options(
        academic_year=year, term=term, threshold=settings.SUPPRESSION_THRESHOLD, trust_label=slug
    )

    def source(dataset: str) -> Any:
        return store.table(con, slug, dataset)

    if year not in available_years(source, DATASETS[name]):
        records: list[dict] = []  # the CLI's "no results for that year" (cheap to find out)
    elif name == "exits":
        records = to_records(exits_rows(source, options))
    else:
        records = to_records(trust_measure(name, source, options))
    with _lock:
        if len(_cache) >= CACHE_LIMIT:
            _cache.clear()
        _cache[key] = records
    return records


MEASURE_PARAMETERS = [
    OpenApiParameter(
        "measure",
        str,
        enum=list(MEASURE_NAMES),
        required=True,
        description="Which measure (as ``trustlens measure NAME``).",
    ),
    OpenApiParameter(
        "academic_year",
        str,
        required=True,
        pattern=YEAR.pattern,
        description='The academic year, e.g. "2023/24".',
    ),
    OpenApiParameter(
        "term",
        str,
        enum=["autumn", "spring", "summer"],
        description="Only this term (in-year measures).",
    ),
    OpenApiParameter("urn", OpenApiTypes.INT, description="Only this academy's rows."),
    OpenApiParameter("trust", str, description="The trust's slug (default: your only trust)."),
]


class MeasureView(APIView):
    """A measure's rows for one trust and year, as trustlens measure NAME --format json:
    each academy's n, score, 95% interval, band and flag, and the trust's own row (urn null)."""

    @extend_schema(
        parameters=MEASURE_PARAMETERS, responses=s.MeasureRow(many=True), operation_id="measures"
    )
    def get(self, request: Any) -> Response:
        params = request.query_params
        name = params.get("measure", "")
        if name not in MEASURE_NAMES:
            raise exceptions.ValidationError(
                {"measure": f"Choose one of {', '.join(MEASURE_NAMES)}."}
            )
        year = clean("academic_year", params.get("academic_year", ""))
        term = clean("term", params["term"]) if params.get("term") else None
        urn = clean("urn", params["urn"]) if params.get("urn") else None
        trust = _trust(request)
        records = measure_records(trust.slug, name, year, term)
        return Response(visible_rows(request.user, trust, records, urn))


def visible_rows(user: Any, trust: Trust, records: list[dict], urn: int | None) -> list[dict]:
    """The rows of academies in the user's scope (named as in the records database) and the
    trust's own rows (``_trust`` found the trust through ``restrict``)."""
    names = dict(Academy.objects.restrict(user).filter(trust=trust).values_list("urn", "name"))
    rows = [r for r in records if r["urn"] is None or r["urn"] in names]
    if urn is not None:
        rows = [r for r in rows if r["urn"] == urn]
    return [
        {**{k: r.get(k) for k in s.FIGURE_TEXT}, "academy": names.get(r["urn"], r["academy"])}
        for r in rows
    ]


class SummaryView(APIView):
    """The dashboards' headline figures of each academy you can see (latest period), with n,
    interval, band and RAG; figures of fewer than the threshold's pupils are withheld."""

    @extend_schema(
        parameters=[OpenApiParameter("urn", OpenApiTypes.INT, description="Only this academy.")],
        responses=s.HeadlineCell(many=True),
        operation_id="summaries",
    )
    def get(self, request: Any) -> Response:
        academies = Academy.objects.restrict(request.user).select_related("trust")
        if request.query_params.get("urn"):
            academies = academies.filter(urn=clean("urn", request.query_params["urn"]))
        cells = []
        for academy in academies.order_by("name"):
            headline = academy_headline(academy) if _has_summaries(academy) else {}
            cells += [_cell(academy.urn, cell) for cell in headline.values()]
        return Response(cells)


def _has_summaries(academy: Academy) -> bool:
    from trustlens.dashboards.reading import summaries_for

    return summaries_for(academy.trust.slug) is not None


def _cell(urn: int, cell: dict) -> dict:
    pupils = None if cell.get("pupils") is None else int(cell["pupils"])
    small = pupils is not None and pupils < settings.SUPPRESSION_THRESHOLD
    score = None if small else cell.get("score")
    return {
        "urn": urn,
        "measure": cell["measure"],
        "period": cell.get("period"),
        "pupils": pupils,
        "value": score,
        "ci_low": None if small else cell.get("ci_low"),
        "ci_high": None if small else cell.get("ci_high"),
        "band": None if small else cell.get("band"),
        "rag": cell.get("rag") or None,
        "reason": cell.get("reason") or None,
    }


class WindowViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The assessment calendar of your trusts (trust-level records: no detail route)."""

    serializer_class = s.WindowSerializer
    filter_backends = [RecordFilter]
    filter_paths = {"academic_year": "academic_year", "term": "term"}

    def get_queryset(self) -> Any:
        rows = AssessmentWindow.objects.restrict(self.request.user).select_related("trust")
        return rows.order_by("trust__name", "academic_year", "opens")


class CompletenessView(APIView):
    """Which academy you can see has submitted which assessment window of a year."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "academic_year",
                str,
                pattern=YEAR.pattern,
                description="The year (default: the current one).",
            )
        ],
        responses=s.CompletenessCell(many=True),
        operation_id="completeness",
    )
    def get(self, request: Any) -> Response:
        year = request.query_params.get("academic_year")
        grid = completeness(request.user, year=clean("academic_year", year) if year else None)
        return Response(
            [
                {
                    "urn": academy.urn,
                    "academy": academy.name,
                    "academic_year": cell.window.academic_year,
                    "term": cell.window.term,
                    "status": cell.status,
                    "rows": cell.rows,
                    "submitted_at": cell.submitted_at,
                }
                for trust in grid.trusts
                for academy, cells in trust.rows
                for cell in cells
            ]
        )
