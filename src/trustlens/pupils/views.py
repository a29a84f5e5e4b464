"""Pupil pages: the pupils a user may see (their academies, or a teacher's own classes) and one
pupil's record as formative data. Aggregate-only roles (trustees) get 403; every view of a
pupil's page, and every page of the list, is written to the audit log
(``core.audit.record_pupil_read``: one row per page shown, naming the filters and the count)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from trustlens.analytics.pupil_estimates import class_bands, pupil_bands
from trustlens.analytics.pupils import pupil_record
from trustlens.core.audit import log_pupil_access, record_pupil_read
from trustlens.core.scoping import scope_of
from trustlens.core.templatetags.figures import number
from trustlens.ingest.store import AnalyticalStore
from trustlens.organisations.models import Academy
from trustlens.pupils import services as pupil_services
from trustlens.pupils.models import Enrolment, GroupMembership, TeachingGroup

PAGE_SIZE = 50


def _require_pupil_level(request: HttpRequest) -> None:
    if not scope_of(request.user).pupil_level:
        raise PermissionDenied("Pupil-level data is not available to your role.")


def pupil_list(request: HttpRequest) -> HttpResponse:
    """Pupils on roll in scope (leavers on request, within the retention period unless the role
    needs older ones), filterable by academy, year group, class and name; paginated."""
    _require_pupil_level(request)
    leavers = request.GET.get("leavers") == "1"
    academies = list(Academy.objects.restrict(request.user).order_by("name"))
    classes = list(
        TeachingGroup.objects.restrict(request.user)
        .filter(
            Q(pk__in=scope_of(request.user).class_ids)
            | Q(academy_id__in=scope_of(request.user).pupil_academy_ids)
        )
        .select_related("academy")
        .order_by("academy__name", "-academic_year", "name")[:500]
    )
    pupils = _filtered(request, pupil_services.visible_pupils(request.user, leavers), leavers)
    page = Paginator(pupils.order_by("surname", "forename", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    current = _current_enrolments(request, [p.pk for p in page])
    rows = [{"pupil": p, "enrolment": current.get(p.pk)} for p in page]
    _audit_list(request, academies, page)
    context = {
        "page": page,
        "rows": rows,
        "academies": academies,
        "classes": classes,
        "filters": request.GET,
        "query": request.GET.copy(),
        "leavers": leavers,
        "leaver_cutoff": None
        if pupil_services.sees_old_leavers(request.user)
        else pupil_services.leaver_cutoff(),
        "retention_years": settings.LEAVER_RETENTION_YEARS,
    }
    context["query"].pop("page", None)
    return render(request, "pupils/list.html", context)


def _audit_list(request: HttpRequest, academies: list[Academy], page) -> None:
    """One audit row for the page of the list (never one per pupil): filters and count."""
    wanted = ("academy", "year", "class", "q", "leavers", "page")
    filters = {k: request.GET[k][:100] for k in wanted if request.GET.get(k)}
    urn = filters.get("academy", "")
    academy = next((a for a in academies if str(a.urn) == urn), None)
    where = f" of {academy.name} ({academy.urn})" if academy else ""
    record_pupil_read(
        request.user,
        f"viewed the pupil list{where}: {len(page.object_list)} of {page.paginator.count} pupils",
        object_type="pupils.list",
        academy_id=academy.pk if academy else None,
        count=len(page.object_list),
        filters=filters,
    )


def _filtered(request: HttpRequest, pupils, leavers: bool = False):
    urn, year, group, text = (
        request.GET.get(k, "").strip() for k in ("academy", "year", "class", "q")
    )
    current = {} if leavers else {"enrolments__end_date__isnull": True}
    if urn.isdigit():
        pupils = pupils.filter(enrolments__academy__urn=int(urn), **current)
    if year.lstrip("-").isdigit():
        pupils = pupils.filter(enrolments__year_group=int(year), **current)
    if group.isdigit():
        pupils = pupils.filter(memberships__group_id=int(group))
    if text:
        pupils = pupils.filter(
            Q(surname__icontains=text) | Q(forename__icontains=text) | Q(pupil_id__iexact=text)
        )
    return pupils.distinct()


def _current_enrolments(request: HttpRequest, pupil_pks: list[int]) -> dict[int, Enrolment]:
    rows = (
        Enrolment.objects.restrict(request.user)
        .filter(pupil_id__in=pupil_pks)
        .select_related("academy")
    )
    latest: dict[int, Enrolment] = {}
    for enrolment in rows.order_by("start_date"):
        latest[enrolment.pupil_id] = enrolment
    return latest


def pupil_detail(request: HttpRequest, pupil_id: str) -> HttpResponse:
    """One pupil: characteristics, enrolments, classes, results by window, attendance."""
    _require_pupil_level(request)
    pupil = (
        pupil_services.visible_pupils(request.user, include_leavers=True)
        .filter(pupil_id=pupil_id)
        .select_related("trust")
        .order_by("pk")
        .first()
    )
    if pupil is None:
        from django.http import Http404

        raise Http404("No such pupil in your scope.")
    enrolments = list(
        Enrolment.objects.restrict(request.user)
        .filter(pupil=pupil)
        .select_related("academy")
        .order_by("start_date")
    )
    classes = list(
        GroupMembership.objects.restrict(request.user)
        .filter(pupil=pupil)
        .select_related("group__academy")
    )
    record = pupil_record(
        AnalyticalStore(settings.STORE_DIR),
        pupil.trust.slug,
        pupil.pupil_id,
        [e.academy.urn for e in enrolments],
    )
    _mark_openable(request, enrolments, classes)
    academy_id = enrolments[-1].academy_id if enrolments else None
    log_pupil_access(request.user, pupil, academy_id, f"viewed the pupil page of {pupil.pupil_id}")
    context = {
        "pupil": pupil,
        "enrolments": enrolments,
        "classes": classes,
        **_record_tables(record),
        "bands": _pupil_band(pupil, enrolments),
    }
    return render(request, "pupils/detail.html", context)


def _prior_of(trust_slug: str, pupil_ids: list[str]):
    """KS2 prior attainment rows of some pupils from the trust's store (empty when none)."""
    import pandas as pd

    store = AnalyticalStore(settings.STORE_DIR)
    if "prior_attainment" not in store.datasets(trust_slug):
        return pd.DataFrame(columns=["pupil_id", "ks2_reading_scaled", "ks2_maths_scaled"])
    frame = store.polars(trust_slug, "prior_attainment").to_pandas()
    return frame[frame["pupil_id"].isin(pupil_ids)]


def _pupil_band(pupil, enrolments: list) -> dict | None:
    """The pupil's KS4 estimate bands when they are (or were last) in a secondary academy."""
    current = enrolments[-1] if enrolments else None
    if current is None or current.academy.phase != "secondary":
        return None
    bands = pupil_bands(
        _prior_of(pupil.trust.slug, [pupil.pupil_id]), current.academy.urn, "current"
    )
    return bands.to_dict("records")[0] if len(bands) else None


def class_estimates(request: HttpRequest, class_id: int) -> HttpResponse:
    """FFT-style KS4 estimate bands (50th/20th/5th percentile school) for each pupil of a class
    and for the class: estimates, never targets. Scoped like the class page: the teacher's own
    classes, or any class of an academy whose pupils the user sees; never trustees."""
    _require_pupil_level(request)
    scope = scope_of(request.user)
    group = get_object_or_404(
        TeachingGroup.objects.restrict(request.user).select_related("academy__trust"),
        pk=class_id,
    )
    if not (group.pk in scope.class_ids or scope.sees_pupils_of(group.academy_id)):
        raise PermissionDenied("You can see pupils only in your own classes.")
    members = list(
        GroupMembership.objects.restrict(request.user)
        .filter(group=group)
        .select_related("pupil")
        .order_by("pupil__surname", "pupil__forename")
    )
    secondary = group.academy.phase == "secondary"
    rows, summary = [], None
    if secondary and members:
        pupils = {m.pupil.pupil_id: m.pupil for m in members}
        bands = pupil_bands(
            _prior_of(group.academy.trust.slug, list(pupils)), group.academy.urn, "current"
        )
        found = {r["pupil_id"]: r for r in bands.to_dict("records")}
        rows = [{"pupil": p, "band": found.get(pid)} for pid, p in pupils.items()]
        summary = class_bands(bands)
    log_pupil_access_class(request, group, len(members))
    context = {"group": group, "rows": rows, "summary": summary, "secondary": secondary}
    return render(request, "pupils/class_estimates.html", context)


def log_pupil_access_class(request: HttpRequest, group: TeachingGroup, count: int) -> None:
    """One audit row for the page (the class and how many pupils it showed)."""
    record_pupil_read(
        request.user,
        f"viewed the estimate bands of class {group.name}: {count} pupils",
        object_type="pupils.teachinggroup",
        academy_id=group.academy_id,
        count=count,
        filters={"class": str(group.pk)},
    )


def _mark_openable(request: HttpRequest, enrolments: list, classes: list) -> None:
    """``can_open`` on each enrolment and class: the rules of the academy and class views
    (academy in scope; class your own or in an academy whose pupils you see), so the page
    never links to a 404 or 403."""
    scope = scope_of(request.user)
    for enrolment in enrolments:
        enrolment.can_open = enrolment.academy_id in scope.academy_ids
    for membership in classes:
        group = membership.group
        membership.can_open = group.pk in scope.class_ids or scope.sees_pupils_of(group.academy_id)


def result_text(band: object, value: object) -> str:
    """A result as printed: the band (WTS/EXS/GDS) when there is one, else the number
    ("104", "6.5"), else "–". A missing band or value reads as NaN from the store, and NaN
    is truthy, so both are tested for being real values, never for truth."""
    if isinstance(band, str) and band.strip():
        return band.strip()
    text = number(value, 1)
    return text.removesuffix(".0") if text else "–"


def _record_tables(record: dict) -> dict:
    """Store rows as simple lists for the template (newest first)."""
    results = record.get("assessment_results")
    attendance = record.get("attendance")
    out: dict = {"results": [], "attendance": [], "suspensions": [], "value_added": []}
    if results is not None:
        results = results.assign(
            order=results["academic_year"]
            + results["term"].map({"autumn": "1", "spring": "2", "summer": "3"})
        )
        for row in results.sort_values(["order", "subject"], ascending=[False, True]).itertuples(
            index=False
        ):
            out["results"].append(
                {
                    "window": f"{row.academic_year} {row.term}",
                    "subject": row.subject,
                    "year_group": row.year_group,
                    "scale": row.scale,
                    "value": result_text(getattr(row, "band", None), row.value),
                }
            )
    if attendance is not None:
        for row in attendance.sort_values(["academic_year", "term"], ascending=False).itertuples(
            index=False
        ):
            rate = (
                100.0 * row.attended_sessions / row.possible_sessions
                if row.possible_sessions
                else None
            )
            out["attendance"].append(
                {
                    "window": f"{row.academic_year} {row.term}",
                    "possible": row.possible_sessions,
                    "attended": row.attended_sessions,
                    "rate": rate,
                }
            )
    if record.get("suspensions") is not None:
        out["suspensions"] = (
            record["suspensions"].sort_values("start_date", ascending=False).to_dict("records")
        )
    if record.get("value_added") is not None:
        out["value_added"] = record["value_added"].sort_values("subject").to_dict("records")
    return out
