"""A trust's QA frameworks (versioned areas and prompts) and its rating setting.

Everyone in a trust reads the frameworks in use on the list page; the pages for one framework,
area or prompt are configuration, for the trust's executives only (403 for others in the trust,
404 outside it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trustlens.core.access import require
from trustlens.core.pages import confirm_page, crumbs, edit_page, form_page, try_write
from trustlens.organisations.services import trusts_where, visible_trusts
from trustlens.quality import frameworks as service
from trustlens.quality.choices import COE_CAUTION, FrameworkStatus
from trustlens.quality.forms import AreaForm, FrameworkForm, PromptForm, SettingsForm
from trustlens.quality.models import Framework, FrameworkArea, FrameworkPrompt


def _trail(framework: Framework | None = None, current: str | None = None) -> list[dict]:
    items = [("Quality", reverse("quality:index")), ("Frameworks", reverse("quality:frameworks"))]
    if framework is not None:
        url = reverse("quality:framework_detail", args=[framework.pk]) if current else None
        items.append((str(framework), url))
    if current:
        items.append((current, None))
    return crumbs(*items)


def _framework(request: HttpRequest, framework_id: int) -> Framework:
    framework = get_object_or_404(
        Framework.objects.restrict(request.user).select_related("trust"), pk=framework_id
    )
    require(request.user, "configure", framework.trust_id)
    return framework


def _area(request: HttpRequest, area_id: int) -> FrameworkArea:
    area = get_object_or_404(
        FrameworkArea.objects.restrict(request.user).select_related("framework"), pk=area_id
    )
    require(request.user, "configure", area.framework.trust_id)
    return area


def _prompt(request: HttpRequest, prompt_id: int) -> FrameworkPrompt:
    prompt = get_object_or_404(
        FrameworkPrompt.objects.restrict(request.user).select_related("area__framework"),
        pk=prompt_id,
    )
    require(request.user, "configure", prompt.area.framework.trust_id)
    return prompt


def framework_list(request: HttpRequest) -> HttpResponse:
    """Every trust the user sees: its frameworks in use (areas and prompts) and other versions."""
    configurable = {t.pk for t in trusts_where(request.user)}
    trusts = []
    for trust in visible_trusts(request.user):
        found = service.frameworks_for(trust)
        trusts.append(
            {
                "trust": trust,
                "active": [
                    {"framework": f, "areas": service.areas_with_prompts(f)}
                    for f in found
                    if f.status == FrameworkStatus.ACTIVE
                ],
                "versions": found,
                "configure": trust.pk in configurable,
                "settings": service.settings_for(trust.pk),
            }
        )
    context = {
        "trusts": trusts,
        "trail": crumbs(("Quality", reverse("quality:index")), ("Frameworks", None)),
        "caution": COE_CAUTION,
    }
    return render(request, "quality/frameworks.html", context)


def framework_create(request: HttpRequest) -> HttpResponse:
    trusts = trusts_where(request.user)
    if not trusts:
        raise PermissionDenied("Only trust executives configure QA frameworks.")
    form = FrameworkForm(request.POST or None, trusts=trusts)
    if request.method == "POST" and form.is_valid():
        framework = try_write(
            form,
            lambda: service.create_framework(
                request.user, form.save(commit=False), form.cleaned_data["with_defaults"]
            ),
        )
        if framework is not None:
            messages.success(
                request, f"Created {framework} as a draft: edit its areas, then put it in use."
            )
            return redirect("quality:framework_detail", framework_id=framework.pk)
    return form_page(
        request,
        form,
        title="New QA framework",
        caption="Quality assurance",
        cancel=reverse("quality:frameworks"),
        trail=_trail(current="New"),
        submit="Create",
    )


def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = _framework(request, framework_id)
    context = {
        "framework": framework,
        "areas": service.areas_with_prompts(framework),
        "versions": [
            f for f in service.frameworks_for(framework.trust) if f.name == framework.name
        ],
        "trail": _trail(framework),
    }
    return render(request, "quality/framework_detail.html", context)


def framework_edit(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = _framework(request, framework_id)
    form = FrameworkForm(request.POST or None, instance=framework, trusts=[framework.trust])
    return edit_page(
        request,
        form,
        lambda f: service.update_framework(request.user, f),
        title=f"Edit {framework}",
        caption="QA framework",
        back=reverse("quality:framework_detail", args=[framework.pk]),
        trail=_trail(framework, "Edit"),
        done=None,
    )


def _post_step(request: HttpRequest, framework_id: int, step, done: str) -> HttpResponse:
    framework = _framework(request, framework_id)
    try:
        result = step(request.user, framework)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quality:framework_detail", framework_id=framework.pk)
    messages.success(request, done.format(result))
    return redirect("quality:framework_detail", framework_id=result.pk)


@require_POST
def framework_version(request: HttpRequest, framework_id: int) -> HttpResponse:
    return _post_step(request, framework_id, service.new_version, "Made {} as a draft copy.")


@require_POST
def framework_activate(request: HttpRequest, framework_id: int) -> HttpResponse:
    return _post_step(request, framework_id, service.activate, "{} is now in use.")


@require_POST
def framework_retire(request: HttpRequest, framework_id: int) -> HttpResponse:
    return _post_step(request, framework_id, service.retire, "{} is retired.")


def area_add(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = _framework(request, framework_id)
    form = AreaForm(request.POST or None, instance=FrameworkArea(framework=framework))
    return edit_page(
        request,
        form,
        lambda a: service.save_area(request.user, a),
        title="Add an area",
        caption=str(framework),
        back=reverse("quality:framework_detail", args=[framework.pk]),
        trail=_trail(framework, "Add an area"),
        submit="Add area",
        done=None,
    )


def area_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    area = _area(request, area_id)
    form = AreaForm(request.POST or None, instance=area)
    return edit_page(
        request,
        form,
        lambda a: service.save_area(request.user, a),
        title=f"Edit {area.name}",
        caption=str(area.framework),
        back=reverse("quality:framework_detail", args=[area.framework_id]),
        trail=_trail(area.framework, "Edit an area"),
        done=None,
    )


def area_delete(request: HttpRequest, area_id: int) -> HttpResponse:
    area = _area(request, area_id)
    back = reverse("quality:framework_detail", args=[area.framework_id])
    if request.method == "POST":
        try:
            service.delete_area(request.user, area)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    return confirm_page(
        request,
        title="Remove an area",
        what=area.name,
        cancel=back,
        trail=_trail(area.framework, "Remove an area"),
    )


def prompt_add(request: HttpRequest, area_id: int) -> HttpResponse:
    area = _area(request, area_id)
    form = PromptForm(request.POST or None, instance=FrameworkPrompt(area=area))
    return edit_page(
        request,
        form,
        lambda p: service.save_prompt(request.user, p),
        title=f"Add a prompt to {area.name}",
        caption=str(area.framework),
        back=reverse("quality:framework_detail", args=[area.framework_id]),
        trail=_trail(area.framework, "Add a prompt"),
        submit="Add prompt",
        done=None,
    )


def prompt_edit(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = _prompt(request, prompt_id)
    form = PromptForm(request.POST or None, instance=prompt)
    return edit_page(
        request,
        form,
        lambda p: service.save_prompt(request.user, p),
        title="Edit a prompt",
        caption=prompt.area.name,
        back=reverse("quality:framework_detail", args=[prompt.area.framework_id]),
        trail=_trail(prompt.area.framework, "Edit a prompt"),
        done=None,
    )


def prompt_delete(request: HttpRequest, prompt_id: int) -> HttpResponse:
    prompt = _prompt(request, prompt_id)
    back = reverse("quality:framework_detail", args=[prompt.area.framework_id])
    if request.method == "POST":
        try:
            service.delete_prompt(request.user, prompt)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(back)
    return confirm_page(
        request,
        title="Remove a prompt",
        what=prompt.text,
        cancel=back,
        trail=_trail(prompt.area.framework, "Remove a prompt"),
    )


def quality_settings(request: HttpRequest) -> HttpResponse:
    """The trust's rating setting (?trust=<id> when the user configures several trusts)."""
    trusts = trusts_where(request.user)
    if not trusts:
        raise PermissionDenied("Only trust executives change QA settings.")
    chosen = next((t for t in trusts if str(t.pk) == request.GET.get("trust")), trusts[0])
    form = SettingsForm(request.POST or None, instance=service.settings_for(chosen.pk))
    return edit_page(
        request,
        form,
        lambda s: service.save_settings(request.user, s),
        title=f"QA settings: {chosen.name}",
        caption="Quality assurance",
        back=reverse("quality:frameworks"),
        trail=_trail(current="Settings"),
        done="QA settings saved.",
        intro="Lesson visits are ungraded by default. A trust may offer a developmental scale for "
        "coaching conversations; it is always shown with the caution below.",
    )
