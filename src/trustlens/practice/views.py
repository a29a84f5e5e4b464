"""Pages of the practice app: the survey, academy profiles, the analysis, researcher extracts.

Every read goes through ``restrict``; the survey and the extract check who may act."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from trustlens.analytics.practice import AREA_SHORT, MIN_ACADEMIES, OUTCOMES, verdict
from trustlens.core.access import allowed_ids
from trustlens.core.audit import log_event
from trustlens.core.exports import safe_frame
from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.organisations.models import Academy, Trust
from trustlens.practice import reports, services
from trustlens.practice.choices import MIN_RESPONDENTS, academic_year
from trustlens.practice.forms import AnalysisForm, SharingForm, SurveyForm
from trustlens.practice.instrument import CURRENT
from trustlens.practice.models import (
    DataSharingRecord,
    PracticeProfile,
    SurveyCompletion,
    SurveyResponse,
)

TITLE = "Practice and performance"


def _year() -> str:
    return academic_year(timezone.localdate())


def _home() -> tuple[str, str]:
    return (TITLE, reverse("practice:index"))


@login_required
def index(request):
    year = _year()
    academies = Academy.objects.restrict(request.user).order_by("name")
    responses = SurveyResponse.objects.restrict(request.user).filter(academic_year=year)
    counts = dict(
        responses.values("academy_id").annotate(n=Count("id")).values_list("academy_id", "n")
    )
    done = SurveyCompletion.objects.restrict(request.user).filter(academic_year=year)
    mine = set(done.filter(user=request.user).values_list("academy_id", flat=True))
    rows = [
        {
            "academy": a,
            "respondents": counts.get(a.pk, 0),
            "can_take": services.can_take_survey(request.user, a) and a.pk not in mine,
            "completed": a.pk in mine,
        }
        for a in academies
    ]
    context = {
        "rows": rows,
        "year": year,
        "minimum": MIN_RESPONDENTS,
        "can_share": bool(allowed_ids(request.user, "configure")),
        "trail": crumbs((TITLE, None)),
    }
    return render(request, "practice/index.html", context)


@login_required
def survey(request, urn: int):
    academy = get_object_or_404(Academy.objects.restrict(request.user), urn=urn)
    if not services.can_take_survey(request.user, academy):
        raise PermissionDenied(services.SURVEY_REFUSAL)
    year = _year()
    back = reverse("practice:index")
    if services.has_completed(request.user, academy, year):
        messages.info(request, f"You have already completed the survey for {academy.name}.")
        return redirect(back)
    role = services.respondent_role(request.user, academy)
    form = SurveyForm(request.POST or None, role=role, version=CURRENT)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        comments = data.pop("comments", "")
        saved = try_write(
            form, lambda: services.submit_response(request.user, academy, data, comments, year)
        )
        if saved is not None:
            messages.success(
                request, f"Thank you: your anonymous response for {academy.name} is saved."
            )
            return redirect(back)
    context = {
        "form": form,
        "academy": academy,
        "year": year,
        "role": role,
        "instrument": form.instrument,
        "minimum": MIN_RESPONDENTS,
        "trail": crumbs(_home(), (f"Survey: {academy.name}", None)),
    }
    return render(request, "practice/survey.html", context, status=400 if form.errors else 200)


@login_required
def profile(request, urn: int):
    academy = get_object_or_404(Academy.objects.restrict(request.user), urn=urn)
    profiles = list(PracticeProfile.objects.restrict(request.user).filter(academy=academy))
    years = sorted({p.academic_year for p in profiles} | {_year()}, reverse=True)
    year = request.GET.get("year") if request.GET.get("year") in years else years[0]
    table = reports.profile_table(profiles, year)
    respondents = max((r["respondents"] for r in table), default=0)
    context = {
        "academy": academy,
        "year": year,
        "years": years,
        "rows": table,
        "respondents": respondents,
        "shown": respondents >= MIN_RESPONDENTS,
        "minimum": MIN_RESPONDENTS,
        "trail": crumbs(_home(), (f"Profile: {academy.name}", None)),
    }
    return render(request, "practice/profile.html", context)


def _trust_for(request) -> Trust | None:
    trusts = Trust.objects.restrict(request.user).order_by("name")
    wanted = request.GET.get("trust")
    return trusts.filter(slug=wanted).first() if wanted else trusts.first()


@login_required
def analysis(request):
    trust = _trust_for(request)
    form = AnalysisForm(request.GET or {"year": _latest_year(request), "outcome": "va"})
    result = chart = None
    if trust is not None and form.is_valid():
        year, outcome = form.cleaned_data["year"], form.cleaned_data["outcome"]
        profiles = PracticeProfile.objects.restrict(request.user).filter(academy__trust=trust)
        result = reports.analysis_for(
            trust, year, outcome, list(profiles.select_related("academy"))
        )
        if result.analysis is not None and not result.analysis.rows.empty:
            chart = _forest(result.analysis, outcome)
    context = {
        "trust": trust,
        "form": form,
        "result": result,
        "charts": [chart] if chart else [],
        "rows": _rows(result),
        "outcome_label": OUTCOMES.get(form.data.get("outcome", "va"), ""),
        "minimum": MIN_ACADEMIES,
        "trail": crumbs(_home(), ("Analysis", None)),
    }
    return render(request, "practice/analysis.html", context)


def _rows(result) -> list[dict]:
    if result is None or result.analysis is None:
        return []
    rows = result.analysis.rows.to_dict("records")
    for r in rows:
        r["verdict"] = verdict(r)
        r["p_text"] = "< 0.001" if r["p_adjusted"] < 0.001 else f"{r['p_adjusted']:.3f}"
        r["flagged"] = r["p_adjusted"] < 0.05
    return rows


def _latest_year(request) -> str:
    years = (
        PracticeProfile.objects.restrict(request.user)
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
    )
    return years.first() or _year()


def _forest(analysis, outcome: str):
    from trustlens.dashboards.charts.interval import interval_chart

    rows = [
        {
            "label": AREA_SHORT[r["area"]],
            "score": r["coefficient"],
            "ci_low": r["ci_low"],
            "ci_high": r["ci_high"],
            "pupils": r["n_pupils"],
        }
        for r in analysis.rows.to_dict("records")
    ]
    return interval_chart(
        rows,
        title="Association of each practice area with pupils' outcomes (95% intervals)",
        x_label=f"{OUTCOMES[outcome]} per one point of area score",
        reference=0.0,
        reference_label="no association",
        decimals=2,
    )


def _sharing_trusts(user):
    return Trust.objects.restrict(user).filter(pk__in=allowed_ids(user, "configure"))


@login_required
def extracts(request):
    trusts = _sharing_trusts(request.user)
    if not trusts.exists():
        raise PermissionDenied("Only the trust's executives share research extracts.")
    records = DataSharingRecord.objects.restrict(request.user).filter(trust__in=trusts)
    context = {
        "records": records,
        "today": timezone.localdate(),
        "trail": crumbs(_home(), ("Research extracts", None)),
    }
    return render(request, "practice/extracts.html", context)


@login_required
def sharing_create(request):
    trust = _sharing_trusts(request.user).first()
    if trust is None:
        raise PermissionDenied("Only the trust's executives share research extracts.")
    form = SharingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.trust = trust
        if try_write(form, lambda: services.save_sharing(request.user, record)) is not None:
            messages.success(request, f"Data-sharing record saved: {record}.")
            return redirect("practice:extracts")
    return form_page(
        request,
        form,
        title="Record a data-sharing agreement",
        caption=trust.name,
        cancel=reverse("practice:extracts"),
        trail=crumbs(_home(), ("Research extracts", reverse("practice:extracts")), ("New", None)),
        submit="Save the record",
        intro="Who receives the pseudonymised extract, for what research, and until when. "
        "Academies are shown by a code; scores from fewer than 5 staff and outcomes of fewer "
        "than 6 pupils are suppressed (c). Each download is logged.",
    )


@login_required
def extract_download(request, sharing_id: int):
    record = get_object_or_404(DataSharingRecord.objects.restrict(request.user), pk=sharing_id)
    if record.trust_id not in allowed_ids(request.user, "configure"):
        raise PermissionDenied("Only the trust's executives share research extracts.")
    if record.expires_on < timezone.localdate():
        raise PermissionDenied(f"This data-sharing record expired on {record.expires_on:%d %B %Y}.")
    frame = safe_frame(reports.extract_rows(record))
    log_event(
        request.user,
        "export",
        "practice.datasharingrecord",
        f"Practice research extract for {record.recipient} ({record.organisation})",
        sharing_id=record.pk,
        rows=len(frame),
        purpose=record.purpose[:200],
    )
    response = HttpResponse(frame.to_csv(index=False), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="practice-extract-{record.pk}-{record.academic_year.replace("/", "-")}.csv"'
    )
    return response
