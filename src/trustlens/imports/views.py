"""Imports for data managers: upload -> validate -> errors or preview -> confirm.

Every write goes through ``trustlens.imports.services``; runs are found through
``visible_runs(user)`` (trust scope plus: only runs whose academies the user may import for).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trustlens.core.audit import record_pupil_read
from trustlens.core.scoping import scope_of
from trustlens.imports import services
from trustlens.imports.choices import ImportStatus
from trustlens.imports.forms import UploadForm
from trustlens.imports.models import ImportRun

RECENT_RUNS = 15


def _require_importer(request: HttpRequest) -> None:
    if not scope_of(request.user).can_import_academy_ids:
        raise PermissionDenied("Only data managers and trust executives can import data.")


def upload(request: HttpRequest) -> HttpResponse:
    """The upload page: the form and the user's recent imports."""
    _require_importer(request)
    trusts = services.importable_trusts(request.user)
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    form = UploadForm(*bound, trusts=trusts)
    if form.is_bound and form.is_valid():
        run = services.validate_upload(request.user, form.cleaned_data["files"], form.trust())
        return redirect("imports:run", import_id=run.pk)
    runs = services.visible_runs(request.user).select_related("created_by")[:RECENT_RUNS]
    return render(request, "imports/upload.html", {"form": form, "runs": runs, "trusts": trusts})


def _run(request: HttpRequest, import_id: int) -> ImportRun:
    _require_importer(request)
    return get_object_or_404(services.visible_runs(request.user), pk=import_id)


def run_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    """Errors (nothing loaded), a preview to confirm, or what was imported."""
    run = _run(request, import_id)
    report = run.report or {}
    _audit_report(request, run, "viewed the report of")
    context = {
        "run": run,
        "report": report,
        "errors": report.get("errors", []),
        "files": report.get("files", []),
        "preview": report.get("preview", {}),
        "statuses": ImportStatus,
    }
    return render(request, "imports/run.html", context)


@require_POST
def run_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    """Load a validated upload, all or nothing."""
    run = _run(request, import_id)
    if not run.can_confirm:
        messages.warning(request, "This import has already been dealt with.")
        return redirect("imports:run", import_id=run.pk)
    outcome = services.confirm_run(request.user, run)
    if outcome.report.loaded:
        messages.success(request, f"Imported: {outcome.report.summary_line()}.")
    else:
        messages.error(
            request, "The files no longer validate: nothing was loaded. See the errors below."
        )
    return redirect("imports:run", import_id=run.pk)


def _audit_report(
    request: HttpRequest, run: ImportRun, what: str, action: str = "view_pupil"
) -> None:
    """An import report shows rows of the uploaded files (pupils' ids, names in errors and the
    preview): each view and download is one audit row."""
    record_pupil_read(
        request.user,
        f"{what} import {run.pk}",
        object_type="imports.importrun",
        trust_id=run.trust_id,
        action=action,
        import_id=run.pk,
    )


def run_report(request: HttpRequest, import_id: int) -> JsonResponse:
    """The validation report as JSON (file, row, column, value, reason for every error shown)."""
    run = _run(request, import_id)
    report = {k: v for k, v in (run.report or {}).items() if k != "preview"}
    _audit_report(request, run, "downloaded the report of", action="export")
    response = JsonResponse(
        {"import": run.pk, "status": run.status, **report}, json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-report.json"'
    return response
