"""Network pages: every one resolves the network through ``access.network_or_404`` first."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.core.templatetags.figures import fixed
from trustlens.networks import benchmarks, ledgers, services
from trustlens.networks.access import active_members, network_or_404, visible_networks
from trustlens.networks.choices import SHAREABLE
from trustlens.networks.forms import (
    AllocationForm,
    ExchangeReviewForm,
    MembershipForm,
    ReviewerOfferForm,
    ServiceOfferForm,
    ServiceRequestForm,
)
from trustlens.networks.models import Membership, ServiceRequest, SharedService
from trustlens.organisations.models import Trust
from trustlens.quality.choices import ActivityKind
from trustlens.quality.models import Activity


def _trail(network, *more):
    return crumbs(
        ("Networks", reverse("networks:index")),
        (network.name, reverse("networks:detail", args=[network.slug])),
        *more,
    )


def index(request: HttpRequest) -> HttpResponse:
    """The networks the user belongs to (as a member trust's leader or as a partner)."""
    found = visible_networks(request.user)
    return render(
        request, "networks/index.html", {"networks": found, "trail": crumbs(("Networks", None))}
    )


def detail(request: HttpRequest, network_slug: str) -> HttpResponse:
    access = network_or_404(request.user, network_slug)
    network = access.network
    members = active_members(network)
    rows = [
        {
            "trust": m.trust.name,
            "contact": m.contact_name,
            "email": m.contact_email,
            "shares": [SHAREABLE[s] for s in m.shares],
            "joined": m.joined_at,
        }
        for m in members
    ]
    context = {
        "network": network,
        "access": access,
        "members": rows,
        "partners": list(network.partners.unscoped().order_by("organisation"))
        if access.member_trust_ids
        else [],
        "can_manage": bool(access.manage_trust_ids & {m.trust_id for m in members}),
        "trail": _trail(network)[:-1] + [{"label": network.name, "url": None}],
    }
    return render(request, "networks/detail.html", context)


def _manages(access) -> bool:
    return bool(access.manage_trust_ids & {m.trust_id for m in active_members(access.network)})


def _display(record: dict, decimals: int = 1) -> dict:
    out = dict(record)
    for key in ("score", "ci_low", "ci_high"):
        value = record[key]
        out[key] = (
            value if isinstance(value, str) else ("" if value is None else fixed(value, decimals))
        )
    pupils = record["pupils"]
    out["pupils"] = (
        "" if pupils is None else (pupils if isinstance(pupils, str) else f"{int(pupils):,}")
    )
    out["suppressed"] = record["score"] == "c"
    return out


def benchmark(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The shared benchmark of one measure and year, as the viewer may see it."""
    access = network_or_404(request.user, network_slug)
    network = access.network
    measures = benchmarks.visible_measures(access)
    measure = request.GET.get("measure") or (measures[0] if measures else "")
    if measures and measure not in measures:
        raise PermissionDenied("Your trust does not share that measure with this network.")
    years = benchmarks.years_held(network, measure) if measure else []
    as_trust = None
    if access.as_trust_id:
        as_trust = Trust.objects.unscoped().get(pk=access.as_trust_id)
    asked = request.GET.get("year")
    result, year = None, asked or ""
    # no year asked: the newest year with figures (the current year may have none yet)
    for candidate in [asked] if asked else years[:3]:
        if measure and candidate in years:
            result, year = (
                benchmarks.benchmark(network, measure, candidate, as_trust=as_trust),
                candidate,
            )
            if not result.rows.empty:
                break
    decimals = {"ks2": 2, "progress8": 2, "finance": 0}.get(measure, 1)
    context = {
        "network": network,
        "access": access,
        "measures": [(m, SHAREABLE[m]) for m in measures],
        "measure": measure,
        "measure_label": SHAREABLE.get(measure, ""),
        "years": years,
        "year": year,
        "result": result,
        "rows": [_display(r, decimals) for r in result.records()] if result else [],
        "trail": _trail(network, ("Benchmarks", None)),
    }
    return render(request, "networks/benchmark.html", context)


def planning(request: HttpRequest, network_slug: str) -> HttpResponse:
    access = network_or_404(request.user, network_slug)
    plan = benchmarks.place_plan(access.network)
    rows = plan.rows.to_dict("records") if not plan.rows.empty else []
    context = {
        "network": access.network,
        "plan": plan,
        "rows": rows,
        "level": round(plan.level * 100),
        "trail": _trail(access.network, ("Place planning", None)),
    }
    return render(request, "networks/planning.html", context)


def exchange(request: HttpRequest, network_slug: str) -> HttpResponse:
    access = network_or_404(request.user, network_slug)
    context = {
        "network": access.network,
        "ledger": ledgers.reciprocity(access.network),
        "offers": ledgers.offers(access.network),
        "trail": _trail(access.network, ("Peer review exchange", None)),
        "can_manage": _manages(access),
    }
    return render(request, "networks/exchange.html", context)


def shared_services(request: HttpRequest, network_slug: str) -> HttpResponse:
    access = network_or_404(request.user, network_slug)
    context = {
        "network": access.network,
        "services": ledgers.services(access.network),
        "requests": ledgers.requests(access.network, access.manage_trust_ids),
        "ledger": ledgers.service_ledger(access.network),
        "trail": _trail(access.network, ("Shared services", None)),
        "can_manage": _manages(access),
    }
    return render(request, "networks/services.html", context)


def membership(request: HttpRequest, network_slug: str) -> HttpResponse:
    """A member trust's executive changes what it shares, its contact, or leaves."""
    access = network_or_404(request.user, network_slug)
    network = access.network
    member = (
        Membership.objects.unscoped()
        .filter(network=network, trust_id__in=access.manage_trust_ids, left_at=None)
        .select_related("trust")
        .first()
    )
    if member is None:
        raise PermissionDenied("Only an executive of a member trust can change its membership.")
    back = reverse("networks:detail", args=[network.slug])
    if request.method == "POST" and "leave" in request.POST:
        services.leave(network, member.trust, user=request.user)
        messages.success(request, f"{member.trust.name} has left {network.name}.")
        return redirect("networks:index")
    initial = {
        "shares": member.shares,
        "contact_name": member.contact_name,
        "contact_email": member.contact_email,
    }
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = try_write(
            form,
            lambda: services.join(
                network,
                member.trust,
                data["shares"],
                data["contact_name"],
                data["contact_email"],
                user=request.user,
            ),
        )
        if done is not None:
            messages.success(request, f"Saved what {member.trust.name} shares.")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"{member.trust.name} in {network.name}",
        caption="Network membership",
        cancel=back,
        trail=_trail(network, ("Membership", None)),
        intro="Only aggregates leave the trust.",
        template="networks/membership.html",
        extra={"network": network},
    )


def _managed_member(access) -> Membership:
    """The member trust the user is an executive of (403 for anyone else, partners too)."""
    member = (
        Membership.objects.unscoped()
        .filter(network=access.network, trust_id__in=access.manage_trust_ids, left_at=None)
        .select_related("trust")
        .first()
    )
    if member is None:
        raise PermissionDenied("Only an executive of a member trust can do this.")
    return member


def _network_form(request, network_slug, form_class, title, back_name, write, form_kwargs=None):
    access = network_or_404(request.user, network_slug)
    member = _managed_member(access)
    form = form_class(request.POST or None, **(form_kwargs(access, member) if form_kwargs else {}))
    back = reverse(back_name, args=[access.network.slug])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = try_write(form, lambda: write(access.network, member.trust, data, request.user))
        if saved is not None:
            messages.success(request, "Saved.")
            return redirect(back)
    return form_page(
        request,
        form,
        title=title,
        caption=f"{member.trust.name} in {access.network.name}",
        cancel=back,
        trail=_trail(access.network, (title, None)),
    )


def offer_reviewer(request: HttpRequest, network_slug: str) -> HttpResponse:
    def write(network, trust, data, user):
        return services.offer_reviewer(
            network,
            trust,
            data["reviewer_name"],
            data["expertise"],
            data["days_offered"],
            user=user,
        )

    return _network_form(
        request, network_slug, ReviewerOfferForm, "Offer a reviewer", "networks:exchange", write
    )


def offer_service(request: HttpRequest, network_slug: str) -> HttpResponse:
    def write(network, trust, data, user):
        return services.offer_service(network, trust, user=user, **data)

    return _network_form(
        request, network_slug, ServiceOfferForm, "Offer a service", "networks:services", write
    )


def request_service(request: HttpRequest, network_slug: str) -> HttpResponse:
    def others(access, member):
        found = (
            SharedService.objects.unscoped()
            .filter(network=access.network)
            .exclude(provider=member.trust)
        )
        return {
            "services": list(
                found.select_related("provider").filter(
                    provider__network_memberships__network=access.network,
                    provider__network_memberships__left_at=None,
                )
            )
        }

    def write(network, trust, data, user):
        service = SharedService.objects.unscoped().get(network=network, pk=int(data["service"]))
        return services.request_service(service, trust, data["units"], user=user)

    return _network_form(
        request,
        network_slug,
        ServiceRequestForm,
        "Request a service",
        "networks:services",
        write,
        form_kwargs=others,
    )


def allocate(request: HttpRequest, network_slug: str, request_id: int) -> HttpResponse:
    """The providing trust's executive allocates days or places to a request (0 declines)."""
    access = network_or_404(request.user, network_slug)
    asked = get_object_or_404(
        ServiceRequest.objects.unscoped().select_related("service__provider", "requester"),
        pk=request_id,
        service__network=access.network,
    )
    if asked.service.provider_id not in access.manage_trust_ids:
        raise PermissionDenied("Only an executive of the providing trust can allocate.")
    form = AllocationForm(request.POST or None, initial={"units_allocated": asked.units_requested})
    back = reverse("networks:services", args=[access.network.slug])
    if request.method == "POST" and form.is_valid():
        units = form.cleaned_data["units_allocated"]
        if try_write(form, lambda: services.allocate(asked, units, user=request.user)) is not None:
            messages.success(request, f"Allocated {units} {asked.service.unit}.")
            return redirect(back)
    title = f"{asked.requester.name} asks for {asked.units_requested} {asked.service.unit}"
    return form_page(
        request,
        form,
        title=title,
        caption=asked.service.title,
        cancel=back,
        trail=_trail(access.network, ("Allocate", None)),
    )


def record_review(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The host trust's executive links one of its QA peer reviews to a reviewing member."""

    def choices(access, member):
        peer_reviews = Activity.objects.restrict(request.user).filter(
            kind=ActivityKind.PEER_REVIEW, academy__trust=member.trust, exchange_review__isnull=True
        )
        others = [m.trust for m in active_members(access.network) if m.trust_id != member.trust_id]
        return {"activities": list(peer_reviews.select_related("academy")), "trusts": others}

    def write(network, trust, data, user):
        activity = Activity.objects.restrict(user).get(pk=int(data["activity"]))
        reviewer = Trust.objects.unscoped().get(pk=int(data["reviewer_trust"]))
        return services.record_exchange_review(network, reviewer, activity, data["days"], user=user)

    return _network_form(
        request,
        network_slug,
        ExchangeReviewForm,
        "Record an exchange review",
        "networks:exchange",
        write,
        form_kwargs=choices,
    )
