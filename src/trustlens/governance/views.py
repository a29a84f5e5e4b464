"""How the trust works: the matrix, consultation, version history, academies' view and
deviations, earned-autonomy rules. Self-evaluation pages are in ``views_selfeval``.

Trust-level pages that every member of the trust reads (matrix, consultation, history) take no
object in their path: they show the user's trust (``?trust=`` picks one of several). Pages with
an object in the path are for the trust's executives (403 otherwise) or, for deviations and an
academy's page, go through ``restrict`` (404 outside the user's academies).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trustlens.core.access import can, require, summary_only
from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.governance import forms, services
from trustlens.governance import models as m
from trustlens.governance.choices import ProposalStatus
from trustlens.organisations.models import Academy, Trust
from trustlens.organisations.services import visible_trusts


def trail(*items: tuple[str, str | None]) -> list[dict]:
    return crumbs(("How we work", reverse("governance:index")), *items)


def trust_for(request: HttpRequest) -> Trust:
    """The trust the page is about: ``?trust=<slug>`` among the user's, else their first."""
    trusts = visible_trusts(request.user)
    wanted = request.GET.get("trust")
    chosen = next((t for t in trusts if t.slug == wanted), trusts[0] if trusts else None)
    if chosen is None:
        raise Http404("You are not part of a trust.")
    services.ensure_domains(chosen)
    return chosen


def index(request: HttpRequest) -> HttpResponse:
    """The matrix: each domain's stance per phase, with its version and what is fixed."""
    trust = trust_for(request)
    user = request.user
    today = timezone.localdate()
    domains = list(m.Domain.objects.restrict(user).filter(trust=trust))
    versions = list(m.Version.objects.restrict(user).filter(domain__trust=trust))
    current = services.in_force(versions, today)
    phases = services.matrix_phases(trust)
    rows = [(d, [current.get((d.pk, code)) for code, _ in phases]) for d in domains]
    open_count = (
        m.Proposal.objects.restrict(user)
        .filter(domain__trust=trust, status=ProposalStatus.OPEN)
        .count()
    )
    context = {
        "trust": trust,
        "trusts": visible_trusts(user),
        "phases": phases,
        "rows": rows,
        "open_count": open_count,
        "upcoming": [v for v in versions if v.effective_from > today],
        "configure": can(user, "configure", trust.pk),
        "academies": Academy.objects.restrict(user).filter(trust=trust).order_by("name"),
        "expired": services.expired_deviations(user, today),
        "trail": crumbs(("How we work", None)),
    }
    return render(request, "governance/index.html", context)


def consultation(request: HttpRequest) -> HttpResponse:
    """Open proposals, each with its difference from the version in force and its comments."""
    trust = trust_for(request)
    user = request.user
    proposals = list(
        m.Proposal.objects.restrict(user)
        .filter(domain__trust=trust)
        .select_related("domain", "proposed_by", "decided_by")
    )
    comments = services.comments_by_proposal(user, proposals)
    shown = []
    for p in proposals:
        before = services.latest_version(p.domain, p.phase)
        shown.append(
            {
                "proposal": p,
                "before": before,
                "changes": services.differences(before, p),
                "comments": comments.get(p.pk, []),
            }
        )
    context = {
        "trust": trust,
        "open": [s for s in shown if s["proposal"].status == ProposalStatus.OPEN],
        "decided": [s for s in shown if s["proposal"].status != ProposalStatus.OPEN][:10],
        "can_comment": services.can_consult(user, trust.pk),
        "configure": can(user, "configure", trust.pk),
        "comment_form": forms.CommentForm(),
        "trail": trail(("Consultation", None)),
    }
    return render(request, "governance/consultation.html", context)


def history(request: HttpRequest) -> HttpResponse:
    """Every version of a domain (``?domain=<code>``) per phase, with what changed each time."""
    trust = trust_for(request)
    domains = list(m.Domain.objects.restrict(request.user).filter(trust=trust))
    domain = next((d for d in domains if d.code == request.GET.get("domain")), None)
    phases = []
    if domain is not None:
        versions = list(m.Version.objects.restrict(request.user).filter(domain=domain))
        comments = services.comments_by_proposal(
            request.user, [v.proposal_id for v in versions if v.proposal_id]
        )
        for code, label in services.matrix_phases(trust):
            mine = sorted((v for v in versions if v.phase == code), key=lambda v: v.number)
            steps = [
                {
                    "version": v,
                    "changes": services.differences(mine[k - 1] if k else None, v),
                    "comments": len(comments.get(v.proposal_id, [])),
                }
                for k, v in enumerate(mine)
            ]
            if steps:
                phases.append((label, list(reversed(steps))))
    context = {
        "trust": trust,
        "domains": domains,
        "domain": domain,
        "phases": phases,
        "trail": trail(("Version history", None)),
    }
    return render(request, "governance/history.html", context)


def proposal_create(request: HttpRequest) -> HttpResponse:
    """An executive proposes a stance (``?domain=&phase=`` start from the version in force)."""
    trust = trust_for(request)
    require(request.user, "configure", trust.pk)
    initial = _proposal_initial(trust, request.GET.get("domain"), request.GET.get("phase"))
    form = forms.ProposalForm(
        request.POST or None, initial=initial, trust_id=trust.pk, instance=m.Proposal()
    )
    if request.method == "POST" and form.is_valid():
        saved = try_write(form, lambda: services.save_proposal(request.user, form.save(False)))
        if saved is not None:
            messages.success(request, f"Proposed: {saved}. Heads and leads can now comment.")
            return redirect(reverse("governance:consultation") + f"?trust={trust.slug}")
    return form_page(
        request,
        form,
        title="Propose a change to how we work",
        caption=trust.name,
        cancel=reverse("governance:index"),
        trail=trail(("Propose a change", None)),
        submit="Propose",
        intro="The proposal is open for consultation: heads and leads comment, then the trust decides.",
    )


def _proposal_initial(trust: Trust, code: str | None, phase: str | None) -> dict[str, Any]:
    domain = m.Domain.objects.unscoped().filter(trust=trust, code=code).first()
    if domain is None:
        return {}
    initial: dict[str, Any] = {"domain": domain.pk, "phase": phase}
    version = services.latest_version(domain, phase) if phase else None
    if version is not None:
        initial |= {name: getattr(version, name) for name, _ in m.Content.COMPARED}
        initial.pop("effective_from")
    return initial


@require_POST
def comment_add(request: HttpRequest, matrix_proposal_id: int) -> HttpResponse:
    """A head's or lead's comment on an open proposal (posted from the consultation page)."""
    proposal = get_object_or_404(m.Proposal.objects.restrict(request.user), pk=matrix_proposal_id)
    form = forms.CommentForm(request.POST, instance=m.Comment(proposal=proposal))
    if form.is_valid() and try_write(
        form, lambda: services.add_comment(request.user, form.save(False))
    ):
        messages.success(request, "Comment added.")
    else:
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"Comment not added: {errors or 'write a comment'}")
    slug = proposal.domain.trust.slug
    return redirect(reverse("governance:consultation") + f"?trust={slug}#proposal-{proposal.pk}")


def proposal_decide(request: HttpRequest, matrix_proposal_id: int) -> HttpResponse:
    """The trust's executives adopt a proposal (it becomes the next version) or not."""
    proposal = get_object_or_404(
        m.Proposal.objects.restrict(request.user).select_related("domain"), pk=matrix_proposal_id
    )
    require(request.user, "configure", proposal.domain.trust_id)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note, decision = form.cleaned_data["note"], form.cleaned_data["decision"]
        write = services.adopt if decision == "adopt" else services.reject
        if try_write(form, lambda: write(request.user, proposal, note) or True):
            messages.success(request, "Adopted." if decision == "adopt" else "Not adopted.")
            return redirect(
                reverse("governance:history") + f"?domain={proposal.domain.code}"
                if decision == "adopt"
                else reverse("governance:consultation")
            )
    return form_page(
        request,
        form,
        title=f"Decide: {proposal}",
        caption="Consultation",
        cancel=reverse("governance:consultation"),
        trail=trail(("Consultation", reverse("governance:consultation")), ("Decide", None)),
        submit="Record decision",
        intro=f"{len(services.comments_by_proposal(request.user, [proposal]).get(proposal.pk, []))}"
        " comment(s) received.",
    )


# ---- academies and deviations ------------------------------------------------------------------


def academy(request: HttpRequest, academy_id: int) -> HttpResponse:
    """What applies to one academy: stance per domain for its phase, earned autonomy and its
    deviations (expired ones flagged)."""
    found = get_object_or_404(
        Academy.objects.restrict(request.user).select_related("trust"), pk=academy_id
    )
    context = {
        "academy": found,
        "rows": services.applies_to(request.user, found),
        "can_request": can(request.user, "change", found.pk),
        "configure": can(request.user, "configure", found.trust_id),
        "trail": trail((found.name, None)),
    }
    return render(request, "governance/academy.html", context)


def deviations(request: HttpRequest) -> HttpResponse:
    """Every deviation the user can see: requested, approved (expired flagged), refused.
    Trustees see the academy, domain, status and review date, not the narrative."""
    today = timezone.localdate()
    rows = list(m.Deviation.objects.restrict(request.user).select_related("academy", "domain"))
    context = {
        "rows": rows,
        "today": today,
        "summary_only": summary_only(request.user),
        "configure_ids": {
            t.pk for t in visible_trusts(request.user) if can(request.user, "configure", t.pk)
        },
        "trail": trail(("Deviations", None)),
    }
    return render(request, "governance/deviations.html", context)


class DeviationRequest(ScopedCreateView):
    model, form_class = m.Deviation, forms.DeviationForm
    parent_model, parent_param, parent_field = Academy, "academy_id", "academy"
    service = staticmethod(services.request_deviation)
    title = "Request a deviation for {obj.academy.name}"
    caption = "How we work"
    submit = "Request deviation"
    done = "Deviation requested: the trust will decide."

    def get_form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"trust_id": obj.academy.trust_id}

    def get_initial(self, obj: Any) -> dict[str, Any]:
        code = self.request.GET.get("domain")
        domain = m.Domain.objects.unscoped().filter(trust_id=obj.academy.trust_id, code=code)
        return {"domain": domain.first()} if code else {}

    def get_back(self, obj: Any) -> str:
        return reverse("governance:academy", args=[obj.academy_id])


class DeviationDecide(ScopedUpdateView):
    model, form_class, object_param = m.Deviation, forms.DeviationDecisionForm, "deviation_id"
    action = "configure"
    denied = "Only the trust's executives decide deviations."
    service = staticmethod(services.decide_deviation)
    title = "Decide: {obj}"
    caption = "Deviation"
    submit = "Record decision"
    done = "Decision recorded."

    def check(self, target: Any) -> None:
        require(self.request.user, "configure", target.academy.trust_id, self.denied)

    def get_extra_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get_back(self, obj: Any) -> str:
        return reverse("governance:deviations")


deviation_request = DeviationRequest.as_view()
deviation_decide = DeviationDecide.as_view()


# ---- domains and earned-autonomy rules (executives) ---------------------------------------------


def rules(request: HttpRequest) -> HttpResponse:
    trust = trust_for(request)
    context = {
        "trust": trust,
        "rows": m.AutonomyRule.objects.restrict(request.user)
        .filter(domain__trust=trust)
        .select_related("domain"),
        "configure": can(request.user, "configure", trust.pk),
        "trail": trail(("Earned autonomy", None)),
    }
    return render(request, "governance/rules.html", context)


def rule_create(request: HttpRequest) -> HttpResponse:
    trust = trust_for(request)
    require(request.user, "configure", trust.pk)
    form = forms.RuleForm(request.POST or None, trust_id=trust.pk)
    saving = request.method == "POST" and form.is_valid()
    if saving and try_write(form, lambda: services.save_rule(request.user, form.save(False))):
        messages.success(request, "Rule added.")
        return redirect("governance:rules")
    return form_page(
        request,
        form,
        title="Add an earned-autonomy rule",
        caption=trust.name,
        cancel=reverse("governance:rules"),
        trail=trail(("Earned autonomy", reverse("governance:rules")), ("Add", None)),
        submit="Add rule",
        intro="Academies of the phase at this improvement stage or beyond take the stance.",
    )


class RuleDelete(ScopedDeleteView):
    model, object_param = m.AutonomyRule, "autonomy_rule_id"
    action = "configure"
    service = staticmethod(services.delete_rule)
    title = "Remove rule: {obj}"

    def check(self, target: Any) -> None:
        require(self.request.user, "configure", target.domain.trust_id)

    def get_back(self, obj: Any) -> str:
        return reverse("governance:rules")


def domain_create(request: HttpRequest) -> HttpResponse:
    trust = trust_for(request)
    require(request.user, "configure", trust.pk)
    form = forms.DomainForm(request.POST or None, instance=m.Domain(trust=trust))
    saving = request.method == "POST" and form.is_valid()
    if saving and try_write(form, lambda: services.save_domain(request.user, form.save(False))):
        messages.success(request, "Domain added.")
        return redirect("governance:index")
    return form_page(
        request,
        form,
        title="Add a domain",
        caption=trust.name,
        cancel=reverse("governance:index"),
        trail=trail(("Add a domain", None)),
        submit="Add domain",
    )


class DomainEdit(ScopedUpdateView):
    model, form_class, object_param = m.Domain, forms.DomainForm, "matrix_domain_id"
    action = "configure"
    service = staticmethod(services.save_domain)
    title = "Domain: {obj.name}"

    def get_back(self, obj: Any) -> str:
        return reverse("governance:index")


rule_delete = RuleDelete.as_view()
domain_edit = DomainEdit.as_view()
