"""Read-only endpoints of the people, framework, practice and network records, each through
its own app's scoping: ``Model.objects.restrict(user)`` (and the people app's
``visible_pairs`` for coaching, the networks app's ``access_for`` / ``network_or_404`` and
benchmark builder, whose suppression is never bypassed).

Trust-level records (matrix domains, self-evaluation rounds) are lists: every user of the trust
may see them, so they have no per-academy detail. Records of one academy carry its ``urn``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from trustlens.api import record_serializers as r
from trustlens.api.base import ScopedReadViewSet, fake_view
from trustlens.api.filters import YEAR
from trustlens.core.access import check_detail
from trustlens.development import models as people
from trustlens.development.reports import visible_pairs
from trustlens.governance import models as gov
from trustlens.networks import benchmarks
from trustlens.networks.access import active_members, network_or_404, visible_networks
from trustlens.organisations.models import Trust
from trustlens.practice.choices import MIN_RESPONDENTS
from trustlens.practice.models import PracticeProfile

ACADEMY = {"urn": "academy__urn"}


class StaffViewSet(ScopedReadViewSet):
    """Staff of the academies you can see (staff only: trustees 403)."""

    model, serializer_class = people.StaffMember, r.StaffSerializer
    related = ("academy",)
    staff_only = True
    lookup_url_kwarg = "staff_id"
    filter_paths = ACADEMY


class ExpertiseViewSet(ScopedReadViewSet):
    """Expertise of staff you can see (staff only)."""

    model, serializer_class = people.Expertise, r.ExpertiseSerializer
    related = ("staff__academy",)
    staff_only = True
    lookup_url_kwarg = "expertise_id"
    filter_paths = {"urn": "staff__academy__urn"}


class NeedViewSet(ScopedReadViewSet):
    """What academies you can see need from others' expertise (staff only)."""

    model, serializer_class = people.Need, r.NeedSerializer
    related = ("academy",)
    staff_only = True
    lookup_url_kwarg = "need_id"
    filter_paths = ACADEMY


class DeploymentViewSet(ScopedReadViewSet):
    """Deployments received by academies you can see, with backfill (staff only)."""

    model, serializer_class = people.Deployment, r.DeploymentSerializer
    related = ("to_academy", "from_academy", "staff")
    staff_only = True
    lookup_url_kwarg = "deployment_id"
    filter_paths = {"urn": "to_academy__urn"}


class CoachingPairViewSet(ScopedReadViewSet):
    """Coaching pairs as the coaching page shows them (a teacher their own, leaders their
    academies'): who, since when, which model. Never a session's focus, steps or notes."""

    model, serializer_class = people.CoachingPair, r.CoachingPairSerializer
    staff_only = True
    lookup_url_kwarg = "pair_id"
    filter_paths = {"urn": "coachee__academy__urn"}

    def get_queryset(self) -> Any:
        if fake_view(self):
            return people.CoachingPair.objects.none()
        check_detail(self.request.user)
        return visible_pairs(self.request.user).order_by("coachee__name", "pk")


class DeviationViewSet(ScopedReadViewSet):
    """Deviations from the trust's matrix asked by academies you can see (trustees: without
    the narrative)."""

    model, serializer_class = gov.Deviation, r.DeviationSerializer
    related = ("academy", "domain")
    ordering = ("-requested_at", "-pk")
    lookup_url_kwarg = "deviation_id"
    filter_paths = ACADEMY


class DomainViewSet(viewsets.GenericViewSet):
    """The trust's matrix: each domain with the adopted versions of its stance per phase."""

    serializer_class = r.DomainSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        if fake_view(self):
            return gov.Domain.objects.none()
        user = self.request.user
        versions = gov.Version.objects.restrict(user).order_by("phase", "number")
        return (
            gov.Domain.objects.restrict(user)
            .select_related("trust")
            .prefetch_related(Prefetch("versions", queryset=versions))
            .order_by("trust__name", "order", "code")
        )

    def list(self, request: Any) -> Response:
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


class RoundViewSet(viewsets.GenericViewSet):
    """Self-evaluation rounds of your trusts, with the mean score per area."""

    serializer_class = r.RoundSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        if fake_view(self):
            return gov.Round.objects.none()
        rows = gov.Round.objects.restrict(self.request.user).select_related("framework__trust")
        return rows.order_by("framework__name", "held_on", "pk")

    def list(self, request: Any) -> Response:
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


class ProfileViewSet(ScopedReadViewSet):
    """Academy practice profiles (mean score per area and year), only from 5 respondents:
    smaller profiles are never returned."""

    model, serializer_class = PracticeProfile, r.ProfileSerializer
    related = ("academy",)
    ordering = ("academy__name", "academic_year", "area")
    lookup_url_kwarg = "practice_profile_id"
    filter_paths = {**ACADEMY, "academic_year": "academic_year"}

    def narrow(self, rows: Any) -> Any:
        return rows.filter(respondents__gte=MIN_RESPONDENTS)


def _network_body(network: Any, access: Any) -> dict[str, Any]:
    as_trust = None
    if access.as_trust_id:
        as_trust = Trust.objects.unscoped().get(pk=access.as_trust_id).name
    return {
        "slug": network.slug,
        "name": network.name,
        "description": network.description,
        "members": [m.trust.name for m in active_members(network)],
        "as_trust": as_trust,
        "measures": benchmarks.visible_measures(access),
    }


MEASURE = OpenApiParameter(
    "measure", OpenApiTypes.STR, description="The shared measure (default: the first you share)."
)
BENCH_YEAR = OpenApiParameter(
    "year",
    OpenApiTypes.STR,
    description='Academic year, e.g. "2024/25" (default: the newest with figures).',
    pattern=YEAR.pattern,
)


class NetworkViewSet(viewsets.GenericViewSet):
    """Networks your trust is an active member of (trust executives and trustees) or that you
    are a partner of; others' networks are 404, as on the pages (trustlens.networks.access)."""

    serializer_class = r.NetworkSerializer
    pagination_class = None
    lookup_url_kwarg = "network_slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def list(self, request: Any) -> Response:
        rows = [_network_body(n, a) for n, a in visible_networks(request.user)]
        return Response(r.NetworkSerializer(rows, many=True).data)

    def retrieve(self, request: Any, network_slug: str) -> Response:
        access = network_or_404(request.user, network_slug)
        return Response(r.NetworkSerializer(_network_body(access.network, access)).data)

    @extend_schema(responses=r.Benchmark, parameters=[MEASURE, BENCH_YEAR])
    @action(detail=True, filter_backends=[])
    def benchmark(self, request: Any, network_slug: str) -> Response:
        """The network's shared benchmark, built and suppressed by trustlens.networks."""
        access = network_or_404(request.user, network_slug)
        network = access.network
        measures = benchmarks.visible_measures(access)
        measure = request.query_params.get("measure") or (measures[0] if measures else "")
        if not measure:
            raise Http404("Nothing is shared with this network yet.")
        if measure not in measures:
            raise PermissionDenied("Your trust does not share that measure with this network.")
        asked = request.query_params.get("year")
        if asked and not YEAR.match(asked):
            raise ValidationError({"year": 'Write the year as "2024/25".'})
        years = benchmarks.years_held(network, measure)
        as_trust = None
        if access.as_trust_id:
            as_trust = Trust.objects.unscoped().get(pk=access.as_trust_id)
        result = None
        for candidate in [asked] if asked else years[:3]:
            if candidate in years:
                result = benchmarks.benchmark(network, measure, candidate, as_trust=as_trust)
                if not result.rows.empty:
                    break
        body = {
            "network": network.slug,
            "measure": measure,
            "year": result.year if result else (asked or None),
            "years": years,
            "trusts": result.trusts if result else [],
            "threshold": result.threshold if result else 0,
            "rows": result.records() if result else [],
        }
        return Response(r.Benchmark(body).data)
