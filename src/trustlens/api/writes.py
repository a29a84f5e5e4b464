"""Imports (upload -> validation report -> confirm) and the user's own API tokens.

Imports go through ``trustlens.imports.services`` exactly as the upload pages do: runs are
found through ``visible_runs(user)``; ``validate_upload`` checks the files against the user's
scope and keeps a valid run for confirmation; ``confirm_run`` validates again and loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from trustlens.api import io_serializers as s
from trustlens.api import services as tokens
from trustlens.api.base import LARGEST_ID, fake_view
from trustlens.api.models import ApiToken
from trustlens.core.scoping import scope_of
from trustlens.imports import services as imports
from trustlens.imports.models import ImportRun
from trustlens.organisations.models import Academy

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".zip")


def _importer(user: Any) -> None:
    if not scope_of(user).can_import_academy_ids:
        raise exceptions.PermissionDenied("Only data managers and trust executives can import.")


def run_body(run: ImportRun) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "created_at": run.created_at,
        "committed_at": run.committed_at,
        "file_names": list(run.file_names or []),
        "datasets": list(run.datasets or []),
        "urns": sorted(a.urn for a in run.academies.all()),
        "rows": run.rows,
        "error_count": run.error_count,
        "summary": run.summary,
        "report": run.report or {},
    }


def _id(value: str) -> int:
    if not str(value).isdigit() or int(value) > LARGEST_ID:
        raise Http404("No such record.")
    return int(value)


class ImportViewSet(viewsets.ViewSet):
    """Your imports: upload files (a validation report comes back), then confirm a valid one."""

    lookup_url_kwarg = "import_id"
    lookup_value_regex = r"[0-9]+"
    serializer_class = s.ImportSerializer
    parser_classes = [MultiPartParser, JSONParser]

    def _runs(self) -> Any:
        _importer(self.request.user)
        seen = Academy.objects.restrict(self.request.user)
        runs = imports.visible_runs(self.request.user)
        return runs.prefetch_related(Prefetch("academies", queryset=seen))

    def _run(self, import_id: str) -> ImportRun:
        run = self._runs().filter(pk=_id(import_id)).first()
        if run is None:
            raise Http404("No such import.")
        return run

    @extend_schema(responses=s.ImportSerializer(many=True))
    def list(self, request: Any) -> Response:
        runs = self._runs()[:100]
        return Response([run_body(run) for run in runs])

    @extend_schema(responses=s.ImportSerializer)
    def retrieve(self, request: Any, import_id: str) -> Response:
        return Response(run_body(self._run(import_id)))

    @extend_schema(
        request={"multipart/form-data": s.ImportUpload}, responses={201: s.ImportSerializer}
    )
    def create(self, request: Any) -> Response:
        _importer(request.user)
        upload = s.ImportUpload(
            data={"trust": request.data.get("trust"), "files": request.FILES.getlist("files")}
        )
        upload.is_valid(raise_exception=True)
        files = upload.validated_data["files"]
        wrong = [f.name for f in files if Path(f.name).suffix.lower() not in UPLOAD_SUFFIXES]
        if wrong:
            raise exceptions.ValidationError({"files": f"Not CSV, XLSX or zip: {', '.join(wrong)}"})
        trust = _importable(request.user, upload.validated_data["trust"])
        run = imports.validate_upload(request.user, files, trust)
        return Response(run_body(self._run(str(run.pk))), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ImportSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Any, import_id: str) -> Response:
        run = self._run(import_id)
        if not run.can_confirm:
            raise exceptions.ValidationError({"status": "This import has already been dealt with."})
        imports.confirm_run(request.user, run)
        return Response(run_body(self._run(import_id)))


def _importable(user: Any, slug: str) -> Any:
    for trust in imports.importable_trusts(user):
        if trust.slug == slug:
            return trust
    raise exceptions.ValidationError({"trust": "You cannot import into that trust."})


class TokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Your own API tokens: list them, create one (its secret is shown once), revoke one."""

    serializer_class = s.TokenSerializer
    lookup_url_kwarg = "token_id"
    lookup_value_regex = r"[0-9]+"
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> Any:
        if fake_view(self):
            return ApiToken.objects.none()
        return tokens.tokens_of(self.request.user)

    def get_object(self) -> ApiToken:
        found = self.get_queryset().filter(pk=_id(self.kwargs["token_id"])).first()
        if found is None:
            raise Http404("No such token.")
        return found

    @extend_schema(request=s.NewToken, responses={201: s.IssuedTokenSerializer})
    def create(self, request: Any) -> Response:
        form = s.NewToken(data=request.data)
        form.is_valid(raise_exception=True)
        issued = tokens.issue_token(request.user, **form.validated_data)
        body = {**s.TokenSerializer(issued.token).data, "token": issued.secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        tokens.revoke_token(request.user, self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
