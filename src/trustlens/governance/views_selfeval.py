"""Trust self-evaluation pages: the frameworks and rounds with the change chart (every member
of the trust reads it), uploading a framework, starting a round and scoring it (executives)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from trustlens.core.access import can, require
from trustlens.core.pages import form_page, try_write
from trustlens.governance import forms, selfeval
from trustlens.governance import models as m
from trustlens.governance.views import trail, trust_for


def index(request: HttpRequest) -> HttpResponse:
    """Each framework of the trust: its rounds, the mean per area and the change chart."""
    trust = trust_for(request)
    frameworks = []
    for framework in m.Framework.objects.restrict(request.user).filter(trust=trust):
        rounds = list(m.Round.objects.restrict(request.user).filter(framework=framework))
        frameworks.append(
            {
                "framework": framework,
                "rounds": rounds,
                "areas": selfeval.area_means(rounds),
                "charts": [selfeval.change_chart(rounds)] if len(rounds) > 1 else [],
                "items": m.Item.objects.restrict(request.user).filter(framework=framework).count(),
            }
        )
    context = {
        "trust": trust,
        "frameworks": frameworks,
        "configure": can(request.user, "configure", trust.pk),
        "trail": trail(("Self-evaluation", None)),
    }
    return render(request, "governance/selfeval.html", context)


def framework_upload(request: HttpRequest) -> HttpResponse:
    """Import a framework file (YAML or CSV) for the trust."""
    trust = trust_for(request)
    require(request.user, "configure", trust.pk)
    form = forms.FrameworkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def write():
            text = upload.read().decode("utf-8-sig", errors="replace")
            parsed = selfeval.parse(
                text, upload.name, form.cleaned_data["code"], form.cleaned_data["name"]
            )
            return selfeval.import_framework(request.user, trust, parsed)

        result = try_write(form, write)
        if result is not None:
            messages.success(request, f"Imported {result[0].name}: {result[1]} new item(s).")
            return redirect("governance:selfeval")
    return form_page(
        request,
        form,
        title="Import a self-evaluation framework",
        caption=trust.name,
        cancel=reverse("governance:selfeval"),
        trail=trail(("Self-evaluation", reverse("governance:selfeval")), ("Import", None)),
        submit="Import",
        multipart=True,
        intro="YAML with areas and items, or CSV with the columns area, code, question.",
    )


def round_create(request: HttpRequest, selfeval_framework_id: int) -> HttpResponse:
    framework = get_object_or_404(
        m.Framework.objects.restrict(request.user), pk=selfeval_framework_id
    )
    require(request.user, "configure", framework.trust_id)
    form = forms.RoundForm(request.POST or None, instance=m.Round(framework=framework))
    if request.method == "POST" and form.is_valid():
        saved = try_write(form, lambda: selfeval.save_round(request.user, form.save(False)))
        if saved is not None:
            messages.success(request, "Round started: score each item.")
            return redirect("governance:round", selfeval_round_id=saved.pk)
    return form_page(
        request,
        form,
        title=f"Start a self-review round: {framework.name}",
        caption="Self-evaluation",
        cancel=reverse("governance:selfeval"),
        trail=trail(("Self-evaluation", reverse("governance:selfeval")), ("New round", None)),
        submit="Start round",
    )


def round_detail(request: HttpRequest, selfeval_round_id: int) -> HttpResponse:
    """Score every item of a round: score, evidence, links, actions arising (executives)."""
    round_ = get_object_or_404(
        m.Round.objects.restrict(request.user).select_related("framework"), pk=selfeval_round_id
    )
    require(request.user, "configure", round_.framework.trust_id)
    items = list(m.Item.objects.restrict(request.user).filter(framework=round_.framework))
    saved = {s.item_id: s for s in m.ItemScore.objects.restrict(request.user).filter(round=round_)}
    data = request.POST if request.method == "POST" else None
    rows = [(i, _score_form(data, i, saved.get(i.pk))) for i in items]
    if data is not None and all(f.is_valid() for _, f in rows):
        count = selfeval.save_scores(request.user, round_, {i.pk: f.cleaned_data for i, f in rows})
        messages.success(request, f"Saved {count} score(s).")
        return redirect("governance:round", selfeval_round_id=round_.pk)
    context = {
        "round": round_,
        "rows": rows,
        "trail": trail(("Self-evaluation", reverse("governance:selfeval")), (str(round_), None)),
    }
    return render(request, "governance/round.html", context, status=400 if data else 200)


def _score_form(data, item: m.Item, saved: m.ItemScore | None) -> forms.ScoreForm:
    initial = None
    if saved is not None:
        initial = {n: getattr(saved, n) for n in ("score", "evidence", "links", "actions")}
    return forms.ScoreForm(data, prefix=f"item-{item.pk}", initial=initial)
