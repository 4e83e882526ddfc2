from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .audit import history_entries
from .editing import attempt
from .routing import route
from .scoping import get_visible_or_404, require
from .unsaved import restore
from .workbench import workbench as registry
from .workflow import NONE, REQUIRED, Transition, Workflow


def record_page(fetch: Callable[[Any, int], Any], template: str, name: str):
    """The page of one record: `fetch(request, pk)` finds it (another township's record is a 404, a
    wrong role a 403); the template shows it as `name`, and the decorated function answers what else
    the template shows beside it.

        @route("visits/<int:pk>/")
        @record_page(_visit, "assessments/visit_detail.html", "visit")
        def visit_detail(request, visit):
            return {"marks": visit.marks.all()}
    """

    def decorate(context: Callable[[Any, Any], dict[str, Any]]):
        @functools.wraps(context)
        def page(request, pk: int):
            record = fetch(request, pk)
            return render(request, template, {name: record, **context(request, record)})

        return page

    return decorate


# Models whose 修改记录 page may be opened, as "app_label.model_name"; apps add theirs in ready().
HISTORY_MODELS: set[str] = set()


@route("")
def home(request):
    return redirect("workbench")


@route("workbench/")
def workbench(request):
    items, panels = registry.page_for(request.user)
    return render(request, "lianchun/workbench.html", {"items": items, "panels": panels})


@route("history/<str:model>/<int:pk>/")
def record_history(request, model: str, pk: int):
    if model not in HISTORY_MODELS:
        raise Http404(_("No such record."))
    model_class = apps.get_model(model)
    record = get_visible_or_404(model_class, request.user, pk=pk)
    return render(
        request,
        "lianchun/record_history.html",
        {"record": record, "entries": history_entries(record), "model_name": model_class._meta.verbose_name},
    )


class OpinionForm(forms.Form):
    """The opinion a step asks for; a step's own `form_class` extends it with the step's fields."""

    opinion = forms.CharField(label=gettext_lazy("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def opinion_form_for(transition: Transition) -> type[forms.Form]:
    base = transition.form_class or OpinionForm
    if transition.opinion == NONE:
        return base
    required = transition.opinion == REQUIRED
    # A step's own form may name its opinion ("the county's answer"); the declaration says whether it is required.
    declared = base.base_fields.get("opinion")
    opinion = copy.deepcopy(declared) if declared is not None else forms.CharField(label=_("Opinion"))
    if declared is None or declared.label is None:
        opinion.label = _("Opinion")
        opinion.widget = forms.Textarea(attrs={"rows": 3})
    opinion.required = required
    return type(f"{base.__name__}For{transition.name.title()}", (base,), {"opinion": opinion})


class TransitionView(View):
    """Confirm a step on GET, take it on POST: the one view every transition uses.

    `flow` and `transition` name the step; `queryset` may preload what the page shows;
    `template_name` may add the step's own context (a consent tally beside 提交审核) through
    `extra_context(record, request)`.
    """

    flow: Workflow = None
    transition: str = ""
    queryset: Any = None
    template_name = "lianchun/transition_confirm.html"
    extra_context: Any = None
    initial: Any = None

    def get_record(self, request, pk):
        queryset = self.queryset if self.queryset is not None else self.flow.model._default_manager.all()
        return get_visible_or_404(queryset, request.user, pk=pk)

    def dispatch(self, request, pk: int, **kwargs):
        self.record = self.get_record(request, pk)
        self.step = self.flow[self.transition]
        require(self.step.allows(request.user, self.record))
        return super().dispatch(request, pk, **kwargs)

    def render_page(self, request, form):
        context = {"record": self.record, "transition": self.step, "form": form, "flow": self.flow}
        if self.extra_context is not None:
            context.update(self.extra_context(self.record, request))
        return render(request, self.template_name, context)

    def get(self, request, pk: int):
        initial = self.initial(self.record) if callable(self.initial) else (self.initial or {})
        return self.render_page(request, restore(request, opinion_form_for(self.step)(initial=initial)))

    def post(self, request, pk: int):
        form = opinion_form_for(self.step)(request.POST)
        outcome = attempt(form, lambda data: self.flow.perform(self.record, self.transition, by=request.user, **data))
        if not outcome.ok:
            return self.render_page(request, form)
        if self.step.success:
            messages.success(request, self.step.success)
        return redirect(self.record)
