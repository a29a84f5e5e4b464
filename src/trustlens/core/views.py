"""Generic scoped create, update and delete views: every record type's add/edit/remove pages.

A subclass declares what differs, never the flow::

    class PriorityEdit(ScopedUpdateView):
        model = Priority
        form_class = PriorityForm
        object_param = "priority_id"          # the URL parameter naming the record
        service = staticmethod(services.save_priority)
        title = "Priority: {obj.title}"

The flow is the same for all: the record (or, for a create, its parent) is found through
``Model.objects.restrict(user)`` (404 outside the user's scope), ``can(user, action, record)``
is checked (403), the form is shown, and a valid POST is saved through the audited service
(its ValidationError shown on the form), with a success message and a redirect.

Titles, captions and messages are format strings given ``obj`` (the record) and ``parent``.
Subclasses may not override ``get_queryset``: reads always start from ``restrict``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from trustlens.core.access import check_detail, require
from trustlens.core.pages import crumbs, delete_page, edit_page


class ScopedRecordView(View):
    """What the three generic views share: finding records through ``restrict`` and ``can``."""

    model: type[models.Model]
    object_param: str = ""
    select_related: tuple[str, ...] = ()
    #: ``can`` action checked on the record (or the parent, for a create); None: no role check.
    action: str | None = "change"
    #: Refuse aggregate-only users (trustees) before any lookup (403).
    detail_only: bool = True
    #: The 403 message when ``can`` refuses (default: the action's refusal).
    denied: str | None = None
    title: str = ""
    caption: str = ""
    crumb: str = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} may not override get_queryset; reads use restrict")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.detail_only:
            check_detail(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.respond()

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.respond()

    def respond(self) -> HttpResponse:
        raise NotImplementedError

    def get_queryset(self, model: type[models.Model] | None = None) -> models.QuerySet:
        queryset = (model or self.model).objects.restrict(self.request.user)
        return queryset.select_related(*self.select_related) if model is None else queryset

    def get_object(self) -> models.Model:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.object_param])

    def check(self, target: Any) -> None:
        if self.action is not None:
            require(self.request.user, self.action, target, self.denied)

    def format_names(self, obj: Any) -> dict[str, Any]:
        """Extra names the format strings may use (e.g. ``{plan}``)."""
        return {}

    def text(self, template: str, obj: Any, parent: Any = None) -> str:
        names = self.format_names(obj)
        return template.format(obj=obj, parent=parent, **names) if template else ""

    def get_back(self, obj: Any) -> str:
        raise NotImplementedError

    def get_trail(self, obj: Any) -> list[dict]:
        return crumbs((self.text(self.crumb or self.title, obj), None))


class ScopedFormView(ScopedRecordView):
    """Shared by create and update: the form page and the save."""

    form_class: type[forms.ModelForm]
    service: Callable[[Any, Any], Any]
    submit: str = "Save"
    intro: str = ""
    done: str | None = "Saved."
    #: A "save and add another" button posts ``another``: come back to this page.
    allow_another: bool = False
    template_name = "core/form.html"
    multipart = False
    #: The status of a form shown again with its errors.
    error_status = 400

    def get_extra_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get_form_kwargs(self, obj: Any) -> dict[str, Any]:
        return {}

    def get_initial(self, obj: Any) -> dict[str, Any] | None:
        return None

    def next_url(self, saved: Any) -> str | None:
        return None

    def write(self, form: forms.ModelForm, record: Any) -> Any:
        """Save through the audited service (override when it needs more than the record)."""
        return self.service(self.request.user, record)

    def _next(self, saved: Any, back: str) -> str:
        if self.allow_another and "another" in self.request.POST:
            return self.request.path
        return self.next_url(saved) or back

    def form_response(self, obj: Any, parent: Any = None) -> HttpResponse:
        request = self.request
        form = self.form_class(
            request.POST or None,
            request.FILES or None,
            instance=obj,
            initial=self.get_initial(obj),
            **self.get_form_kwargs(obj),
        )
        back = self.get_back(obj)
        return edit_page(
            request,
            form,
            lambda record: self.write(form, record),
            title=self.text(self.title, obj, parent),
            caption=self.text(self.caption, obj, parent),
            back=back,
            trail=self.get_trail(obj),
            submit=self.submit,
            intro=self.text(self.intro, obj, parent),
            done=(lambda saved: self.text(self.done, saved, parent)) if self.done else None,
            next_url=lambda saved: self._next(saved, back),
            template=self.template_name,
            multipart=self.multipart,
            error_status=self.error_status,
            extra=self.get_extra_context(obj),
        )


class ScopedCreateView(ScopedFormView):
    """Add a record under a parent found through ``restrict`` (``parent_model``, whose id is
    the URL parameter ``parent_param``), set on the new record's ``parent_field``."""

    parent_model: type[models.Model]
    parent_param: str = ""
    parent_field: str = ""

    def get_parent(self) -> Any:
        queryset = self.get_queryset(self.parent_model)
        return get_object_or_404(queryset, pk=self.kwargs[self.parent_param])

    def new_object(self, parent: Any) -> models.Model:
        return self.model(**{self.parent_field: parent})

    def respond(self) -> HttpResponse:
        parent = self.get_parent()
        self.check(parent)
        return self.form_response(self.new_object(parent), parent)


class ScopedUpdateView(ScopedFormView):
    """Change a record found through ``restrict`` by the URL parameter ``object_param``."""

    def respond(self) -> HttpResponse:
        obj = self.get_object()
        self.check(obj)
        return self.form_response(obj)


class ScopedDeleteView(ScopedRecordView):
    """GET: "are you sure?"; POST: delete through the audited service and go back."""

    service: Callable[[Any, Any], None]
    #: The success message (default "Removed: <record>.").
    done: str = ""
    #: The record's attribute that names it on the "are you sure?" page (default: ``str()``).
    what_field: str = ""

    def what(self, obj: Any) -> str:
        return str(getattr(obj, self.what_field)) if self.what_field else str(obj)

    def respond(self) -> HttpResponse:
        obj = self.get_object()
        self.check(obj)
        return delete_page(
            self.request,
            obj,
            self.service,
            title=self.text(self.title, obj),
            back=self.get_back(obj),
            trail=self.get_trail(obj),
            what=self.what(obj),
            done=self.text(self.done, obj),
        )
