"""The steps of a plan's life cycle: one view confirms and takes them all (lianchun.views.TransitionView).

A page may serve several steps: the check page approves or returns (the button says which), the
stage page takes whichever stage comes next. The page asks the declared workflow which of its
steps this user may take on this plan now; when none, it says why and goes back to the plan.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, require
from lianchun.views import TransitionView, opinion_form_for
from villages.models import Standing

from ..workflows import PLAN_FLOW, REVIEW_STEPS, STAGE_STEPS
from .pages import PLANS, readonly_reason


class PlanStepView(TransitionView):
    flow = PLAN_FLOW
    queryset = PLANS
    steps: tuple[str, ...] = ()
    refused = None  # what to say when the plan is not where the page's steps start (default: why it is locked)
    extra = None  # (plan) -> what the page shows beside the form

    def dispatch(self, request, pk: int, **kwargs):
        plan = get_visible_or_404(self.queryset, request.user, pk=pk)
        names = self.steps or (self.transition,)
        require(any(self.flow[name].allows(request.user, plan) for name in names))
        self.possible = [name for name in names if self.flow.can(plan, request.user, name)]
        if not self.possible:
            messages.error(request, str(self.refused or readonly_reason(plan)))
            return redirect(plan)
        chosen = request.POST.get("action")
        self.chosen = chosen in self.possible
        self.transition = chosen if self.chosen else self.possible[0]
        self.plan = plan
        return super().dispatch(request, pk, **kwargs)

    def get_record(self, request, pk):
        return self.plan

    def render_page(self, request, form):
        if self.plan.village.standing == Standing.ADVANCED:
            form.fields.pop("raise_standing_to", None)  # nothing higher to raise it to
        context = {"plan": self.plan, "target": self.flow.state_label(self.step.target_for(self.plan))}
        self.extra_context = lambda record, request: {**context, **(self.extra(record) if self.extra else {})}
        return super().render_page(request, form)

    def post(self, request, pk: int):
        if len(self.possible) > 1 and not self.chosen:
            form = opinion_form_for(self.step)(request.POST)
            form.is_valid()
            form.add_error(None, ValidationError(_("Choose to approve or to return the plan."), code="no_action"))
            return self.render_page(request, form)
        response = super().post(request, pk)
        if response.status_code == 302 and not self.step.success:
            messages.success(request, _("The plan moved to “%(status)s”.") % {"status": self.plan.get_status_display()})
        return response


def _current_round(plan):
    return plan.review_rounds.select_related("submitted_by", "advised_by").filter(number=plan.rounds).first()


def _round(plan):
    return {"round": _current_round(plan)}


def _items(plan):
    return {"items": plan.items.filter(voided_at__isnull=True).order_by("deadline", "pk")}


def _open_items(plan):
    return {"open_items": plan.items.filter(voided_at__isnull=True, completed_on__isnull=True).count()}


def step_page(step: str, **view_kwargs):
    """A plan's step page: at `<pk>/<step>/`, named `plan-<step>`, drawn by `rectification/plan_<step>.html`."""
    view = PlanStepView.as_view(template_name=f"rectification/plan_{step}.html", **view_kwargs)
    return route(f"<int:pk>/{step}/", name=f"plan-{step}")(view)


plan_propose = step_page("propose", transition="propose", extra=_items)
plan_advise = step_page(
    "advise", transition="advise", extra=_round, refused=gettext_lazy("This plan is not waiting for advice.")
)
plan_review = step_page(
    "review", steps=REVIEW_STEPS, extra=_round, refused=gettext_lazy("This plan is not waiting for the check.")
)
plan_stage = step_page(
    "stage",
    steps=STAGE_STEPS,
    extra=_open_items,
    refused=gettext_lazy("This plan has no stage to move to until it is approved."),
)
plan_void = step_page(
    "void", transition="void", refused=gettext_lazy("Only a draft that was never proposed can be voided.")
)
