"""A trust's QA frameworks (versioned areas and prompts) and its rating setting.

Everyone in a trust reads the frameworks in use on the list page; the pages for one framework,
area or prompt are configuration, for the trust's executives only (403 for others in the trust,
404 outside it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trustlens.core.access import require
from trustlens.core.pages import crumbs, edit_page
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.organisations.services import trusts_where, visible_trusts
from trustlens.quality import frameworks
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


def framework_list(request: HttpRequest) -> HttpResponse:
    """Every trust the user sees: its frameworks in use (areas and prompts) and other versions."""
    configurable = {t.pk for t in trusts_where(request.user)}
    trusts = []
    for trust in visible_trusts(request.user):
        found = frameworks.frameworks_for(trust)
        trusts.append(
            {
                "trust": trust,
                "active": [
                    {"framework": f, "areas": frameworks.areas_with_prompts(f)}
                    for f in found
                    if f.status == FrameworkStatus.ACTIVE
                ],
                "versions": found,
                "configure": trust.pk in configurable,
                "settings": frameworks.settings_for(trust.pk),
            }
        )
    context = {
        "trusts": trusts,
        "trail": crumbs(("Quality", reverse("quality:index")), ("Frameworks", None)),
        "caution": COE_CAUTION,
    }
    return render(request, "quality/frameworks.html", context)


class FrameworkCreate(ScopedCreateView):
    model, form_class = Framework, FrameworkForm
    detail_only, title, caption = False, "New QA framework", "Quality assurance"
    crumb, submit = "New", "Create"
    done = "Created {obj} as a draft: edit its areas, then put it in use."

    def respond(self) -> HttpResponse:
        if not trusts_where(self.request.user):
            raise PermissionDenied("Only trust executives configure QA frameworks.")
        return self.form_response(Framework())

    def get_form_kwargs(self, obj: Framework) -> dict:
        return {"trusts": trusts_where(self.request.user)}

    def write(self, form: FrameworkForm, record: Framework) -> Framework:
        defaults = form.cleaned_data["with_defaults"]
        return frameworks.create_framework(self.request.user, record, defaults)

    def get_back(self, obj: Framework) -> str:
        return reverse("quality:frameworks")

    def get_trail(self, obj: Framework) -> list[dict]:
        return _trail(current=self.crumb)

    def next_url(self, saved: Framework) -> str:
        return reverse("quality:framework_detail", args=[saved.pk])


framework_create = FrameworkCreate.as_view()


def framework_detail(request: HttpRequest, framework_id: int) -> HttpResponse:
    framework = _framework(request, framework_id)
    context = {
        "framework": framework,
        "areas": frameworks.areas_with_prompts(framework),
        "versions": [
            f for f in frameworks.frameworks_for(framework.trust) if f.name == framework.name
        ],
        "trail": _trail(framework),
    }
    return render(request, "quality/framework_detail.html", context)


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
    return _post_step(request, framework_id, frameworks.new_version, "Made {} as a draft copy.")


@require_POST
def framework_activate(request: HttpRequest, framework_id: int) -> HttpResponse:
    return _post_step(request, framework_id, frameworks.activate, "{} is now in use.")


@require_POST
def framework_retire(request: HttpRequest, framework_id: int) -> HttpResponse:
    return _post_step(request, framework_id, frameworks.retire, "{} is retired.")


class FrameworkPage:
    """Pages configuring one framework (its areas and prompts): the trust's executives only."""

    action, detail_only, done = "configure", False, None
    #: Path from the record to its framework ("" for the framework itself).
    framework_path = ""

    def framework_of(self, obj: Any) -> Framework:
        for hop in self.framework_path.split("__") if self.framework_path else ():
            obj = getattr(obj, hop)
        return obj

    def get_back(self, obj: Any) -> str:
        return reverse("quality:framework_detail", args=[self.framework_of(obj).pk])

    def get_trail(self, obj: Any) -> list[dict]:
        return _trail(self.framework_of(obj), self.crumb)


class FrameworkEdit(FrameworkPage, ScopedUpdateView):
    model, form_class = Framework, FrameworkForm
    service = staticmethod(frameworks.update_framework)
    object_param, select_related = "framework_id", ("trust",)
    title, caption, crumb = "Edit {obj}", "QA framework", "Edit"

    def get_form_kwargs(self, obj: Framework) -> dict:
        return {"trusts": [obj.trust]}


class AreaPage(FrameworkPage):
    model, form_class = FrameworkArea, AreaForm
    service = staticmethod(frameworks.save_area)
    object_param, select_related, framework_path = "area_id", ("framework",), "framework"
    caption = "{obj.framework}"


class AreaAdd(AreaPage, ScopedCreateView):
    parent_model, parent_param, parent_field = Framework, "framework_id", "framework"
    title = crumb = "Add an area"
    submit = "Add area"


class AreaEdit(AreaPage, ScopedUpdateView):
    title, crumb = "Edit {obj.name}", "Edit an area"


class AreaDelete(AreaPage, ScopedDeleteView):
    service = staticmethod(frameworks.delete_area)
    title = crumb = "Remove an area"
    what_field = "name"


class PromptPage(FrameworkPage):
    model, form_class = FrameworkPrompt, PromptForm
    service = staticmethod(frameworks.save_prompt)
    object_param, select_related = "prompt_id", ("area__framework",)
    framework_path = "area__framework"


class PromptAdd(PromptPage, ScopedCreateView):
    parent_model, parent_param, parent_field = FrameworkArea, "area_id", "area"
    title, caption, crumb = "Add a prompt to {parent.name}", "{parent.framework}", "Add a prompt"
    submit = "Add prompt"


class PromptEdit(PromptPage, ScopedUpdateView):
    title, caption, crumb = "Edit a prompt", "{obj.area.name}", "Edit a prompt"


class PromptDelete(PromptPage, ScopedDeleteView):
    service = staticmethod(frameworks.delete_prompt)
    title = crumb = "Remove a prompt"
    what_field = "text"


framework_edit = FrameworkEdit.as_view()
area_add, area_edit, area_delete = AreaAdd.as_view(), AreaEdit.as_view(), AreaDelete.as_view()
prompt_add = PromptAdd.as_view()
prompt_edit = PromptEdit.as_view()
prompt_delete = PromptDelete.as_view()


def quality_settings(request: HttpRequest) -> HttpResponse:
    """The trust's rating setting (?trust=<id> when the user configures several trusts)."""
    trusts = trusts_where(request.user)
    if not trusts:
        raise PermissionDenied("Only trust executives change QA settings.")
    chosen = next((t for t in trusts if str(t.pk) == request.GET.get("trust")), trusts[0])
    form = SettingsForm(request.POST or None, instance=frameworks.settings_for(chosen.pk))
    return edit_page(
        request,
        form,
        lambda s: frameworks.save_settings(request.user, s),
        title=f"QA settings: {chosen.name}",
        caption="Quality assurance",
        back=reverse("quality:frameworks"),
        trail=_trail(current="Settings"),
        done="QA settings saved.",
        intro="Lesson visits are ungraded by default. A trust may offer a developmental scale for "
        "coaching conversations; it is always shown with the caution below.",
    )
