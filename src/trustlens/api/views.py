"""Read endpoints of the records (organisation, pupils, classes, QA, improvement, interventions)
and the edits of actions and findings through the owning apps' services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from trustlens.api import serializers as s
from trustlens.api.base import ScopedReadViewSet, fake_view
from trustlens.core.access import allowed_ids
from trustlens.core.audit import log_pupil_access
from trustlens.core.scoping import scope_of
from trustlens.improvement import services as improvement
from trustlens.improvement.models import Action, Plan, Priority, Support
from trustlens.interventions.models import Evaluation, Intervention
from trustlens.organisations.models import Academy, Cluster, Region, Trust
from trustlens.pupils import services as pupil_services
from trustlens.pupils.models import Enrolment, Pupil, TeachingGroup
from trustlens.quality import services as quality
from trustlens.quality.models import Activity, Finding

ACADEMY = {"urn": "academy__urn"}


class OrganisationView(APIView):
    """The organisation tree: your trusts, their regions and clusters, and the URNs you see."""

    @extend_schema(responses=s.TrustNode(many=True), operation_id="organisation")
    def get(self, request: Any) -> Response:
        academies = list(Academy.objects.restrict(request.user).order_by("urn"))
        user = request.user
        trusts = Trust.objects.restrict(user).prefetch_related(
            Prefetch("regions", queryset=Region.objects.restrict(user)),
            Prefetch("regions__clusters", queryset=Cluster.objects.restrict(user)),
        )
        return Response([_trust_node(trust, academies) for trust in trusts])


def _trust_node(trust: Trust, academies: list[Academy]) -> dict:
    mine = [a for a in academies if a.trust_id == trust.pk]
    regions = [
        {
            "id": region.pk,
            "name": region.name,
            "clusters": [
                {
                    "id": cluster.pk,
                    "name": cluster.name,
                    "urns": [a.urn for a in mine if a.cluster_id == cluster.pk],
                }
                for cluster in region.clusters.all()
            ],
        }
        for region in trust.regions.all()
    ]
    loose = [a.urn for a in mine if a.cluster_id is None]
    return {"slug": trust.slug, "name": trust.name, "regions": regions, "unclustered_urns": loose}


class AcademyViewSet(ScopedReadViewSet):
    """Academies you can see."""

    model, serializer_class = Academy, s.AcademySerializer
    related = ("trust", "cluster__region")
    ordering = ("name",)
    lookup_field = lookup_url_kwarg = "urn"
    filter_paths = {"urn": "urn"}


class PupilViewSet(ScopedReadViewSet):
    """Pupils on roll that your role may see (403 for aggregate-only roles such as trustees).
    Every pupil returned is written to the audit log, as on the pupil pages."""

    model, serializer_class = Pupil, s.PupilSerializer
    lookup_url_kwarg = "pupil_pk"
    filter_paths = {"urn": "urn"}  #: the annotated current academy

    def get_queryset(self) -> Any:
        if fake_view(self):
            return Pupil.objects.none()
        user = self.request.user
        if not scope_of(user).pupil_level:
            raise PermissionDenied("Pupil-level data is not available to your role.")
        current = (
            Enrolment.objects.restrict(user)
            .filter(pupil=OuterRef("pk"))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
            .order_by("-start_date")
        )
        pupils = pupil_services.visible_pupils(user)
        return pupils.annotate(
            urn=Subquery(current.values("academy__urn")[:1]),
            year_group=Subquery(current.values("year_group")[:1]),
        ).order_by("surname", "forename", "pk")

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self._audit(page or [])
        return page

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        pupil = self.get_object()
        self._audit([pupil])
        return Response(self.get_serializer(pupil).data)

    @transaction.atomic
    def _audit(self, pupils: list[Pupil]) -> None:
        user = self.request.user
        for pupil in pupils:
            academy = getattr(pupil, "urn", None)
            summary = f"read pupil {pupil.pupil_id} through the API (academy {academy})"
            log_pupil_access(user, pupil, _academy_pk(academy), summary)


def _academy_pk(urn: int | None) -> int | None:
    if urn is None:
        return None
    return Academy.objects.unscoped().filter(urn=urn).values_list("pk", flat=True).first()


class ClassViewSet(ScopedReadViewSet):
    """Classes and sets of the academies you can see."""

    model, serializer_class = TeachingGroup, s.ClassSerializer
    related = ("academy", "teacher")
    lookup_url_kwarg = "class_id"
    filter_paths = {**ACADEMY, "academic_year": "academic_year"}


class ActivityViewSet(ScopedReadViewSet):
    """QA activities (visits, reviews, scrutinies...) of academies you can see (staff only)."""

    model, serializer_class = Activity, s.ActivitySerializer
    related = ("academy",)
    staff_only = True
    lookup_url_kwarg = "activity_id"
    filter_paths = ACADEMY


class FindingViewSet(mixins.UpdateModelMixin, ScopedReadViewSet):
    """Findings of QA activities at academies you lead (the pages' rule: the narrative is for
    the academy's leaders). PATCH changes one through quality.services.record_finding."""

    model, serializer_class = Finding, s.FindingSerializer
    related = ("activity__academy", "area")
    staff_only = True
    lookup_url_kwarg = "finding_id"
    filter_paths = {"urn": "activity__academy__urn"}
    http_method_names = ["get", "patch", "head", "options"]

    def narrow(self, rows: Any) -> Any:
        return rows.filter(activity__academy_id__in=allowed_ids(self.request.user, "change"))

    @extend_schema(request=s.FindingEdit, responses=s.FindingSerializer)
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        finding = self.get_object()
        edit = s.FindingEdit(finding, data=request.data, partial=True)
        edit.is_valid(raise_exception=True)
        for name, value in edit.validated_data.items():
            setattr(finding, name, value)
        saved = quality.record_finding(request.user, finding.activity, finding)
        return Response(s.FindingSerializer(saved, context={"request": request}).data)


class PlanViewSet(ScopedReadViewSet):
    """Improvement plans with their priorities (staff only)."""

    model, serializer_class = Plan, s.PlanSerializer
    related = ("academy",)
    staff_only = True
    lookup_url_kwarg = "plan_id"
    filter_paths = {**ACADEMY, "academic_year": "academic_year"}

    def get_queryset(self) -> Any:
        mine = Priority.objects.restrict(self.request.user).order_by("order", "pk")
        return super().get_queryset().prefetch_related(Prefetch("priorities", queryset=mine))


class ActionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadViewSet):
    """Improvement actions (staff only). POST creates one, PATCH changes one: both through
    improvement.services.save_action (leaders of the academy)."""

    model, serializer_class = Action, s.ActionSerializer
    related = ("academy",)
    staff_only = True
    lookup_url_kwarg = "action_id"
    filter_paths = ACADEMY
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.ActionEdit, responses={201: s.ActionSerializer})
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        edit = s.ActionEdit(data=request.data)
        edit.is_valid(raise_exception=True)
        fields = dict(edit.validated_data)
        academy = self._academy(fields.pop("urn"))
        saved = improvement.save_action(request.user, Action(academy=academy, **fields))
        body = s.ActionSerializer(saved, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActionEdit, responses=s.ActionSerializer)
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        found = self.get_object()
        edit = s.ActionEdit(found, data=request.data, partial=True)
        edit.is_valid(raise_exception=True)
        fields = dict(edit.validated_data)
        if "urn" in fields and fields.pop("urn") != found.academy.urn:
            raise PermissionDenied("An action cannot move to another academy.")
        for name, value in fields.items():
            setattr(found, name, value)
        saved = improvement.save_action(request.user, found)
        return Response(s.ActionSerializer(saved, context={"request": request}).data)

    def _academy(self, urn: int) -> Academy:
        academy = Academy.objects.restrict(self.request.user).filter(urn=urn).first()
        if academy is None:
            raise Http404("No academy with that URN in your scope.")
        return academy


class SupportViewSet(ScopedReadViewSet):
    """The support ledger (staff only)."""

    model, serializer_class = Support, s.SupportSerializer
    related = ("academy", "provider_academy")
    staff_only = True
    lookup_url_kwarg = "support_id"
    filter_paths = ACADEMY


class InterventionViewSet(ScopedReadViewSet):
    """Interventions run in academies you can see, and their stored evaluations."""

    model, serializer_class = Intervention, s.InterventionSerializer
    lookup_url_kwarg = "intervention_pk"
    filter_paths = {"urn": "academies__urn", "academic_year": "post_year"}

    def get_queryset(self) -> Any:
        seen = Academy.objects.restrict(self.request.user).order_by("urn")
        return super().get_queryset().prefetch_related(Prefetch("academies", queryset=seen))

    @extend_schema(responses=s.EvaluationSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])
    def evaluations(self, request: Any, intervention_pk: str) -> Response:
        intervention = self.get_object()
        rows = Evaluation.objects.restrict(request.user).filter(intervention=intervention)
        return Response(s.EvaluationSerializer(rows, many=True).data)
