"""Pages for 一村一策 plans: the list, a plan, drafting and editing it, its measures and their progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lianchun import clock
from lianchun.editing import form_page
from lianchun.listing import list_page
from lianchun.record_forms import RecordForm
from lianchun.routing import route
from lianchun.scoping import require, require_place

from .. import selectors, services
from ..filters import PlanFilter
from ..forms import ItemForm, PlanForm, ProgressForm
from ..models import ItemProgress, RectificationItem, RectificationPlan
from .pages import county_page, item_of, plan_of, readonly_reason


@route("")
def plan_list(request):
    require_place(request.user)
    plans = selectors.plan_rows(request.user)
    return list_page(
        request,
        template="rectification/plan_list.html",
        filterset_class=PlanFilter,
        queryset=plans,
        context={
            "can_draft": request.user.is_township_cadre,
            "show_township": not request.user.is_township_cadre,
        },
    )


def _create_plan(user, data):
    return services.create_plan(village=data.pop("village"), by=user, **data)


@route("new/")
def plan_create(request):
    require(request.user.is_township_cadre)
    form = PlanForm(
        request.POST or None, villages=selectors.villages_without_plan(request.user), county_id=request.user.county_id
    )
    if request.method == "GET" and request.GET.get("village"):
        form.initial["village"] = request.GET["village"]
    return form_page(
        request,
        form,
        lambda data: _create_plan(request.user, data),
        template="rectification/plan_form.html",
        context={"plan": None},
        success=_("The plan was drafted. Now add the problems found and their measures."),
    )


@route("<int:pk>/")
def plan_detail(request, pk: int):
    plan = plan_of(request, pk)
    items = list(
        plan.items.filter(voided_at__isnull=True)
        .prefetch_related(Prefetch("progress", queryset=ItemProgress.objects.select_related("recorded_by")))
        .order_by("deadline", "pk")
    )
    rounds = list(plan.review_rounds.select_related("submitted_by", "advised_by", "decided_by").order_by("number"))
    events = list(plan.events.select_related("by").order_by("at", "pk"))
    user = request.user
    return render(
        request,
        "rectification/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "rounds": rounds,
            "current_round": rounds[-1] if rounds else None,
            "events": events,
            "can_edit": services.can_edit_plan(user, plan),
            "can_record_progress": services.can_record_progress(user, plan),
            "open_items": sum(1 for item in items if item.completed_on is None),
            "overdue_items": sum(1 for item in items if item.is_overdue and plan.is_under_way),
            "readonly_reason": readonly_reason(plan),
        },
    )


def _editable_plan(request, plan: RectificationPlan):
    """The township's own plan, or a redirect that says why it cannot be edited now."""
    require(services.can_draft(request.user, plan.village))
    if not plan.is_editable:
        messages.error(request, readonly_reason(plan))
        return redirect(plan)
    return None


plan_edit = RecordForm(
    plan_of,
    "plan",
    PlanForm,
    services.update_plan,
    refused=_editable_plan,
    form_kwargs=lambda plan: {
        "instance": RectificationPlan.objects.get(pk=plan.pk),
        "county_id": plan.village.township.county_id,
    },
    initial=lambda plan: {},
    template="rectification/plan_form.html",
    success=gettext_lazy("The plan was saved."),
    edit=True,
).view("<int:pk>/edit/", "plan-edit")


@route("<int:pk>/items/new/")
def item_create(request, pk: int):
    plan = plan_of(request, pk)
    refused = _editable_plan(request, plan)
    if refused:
        return refused
    return form_page(
        request,
        ItemForm(request.POST or None),
        lambda data: services.add_item(plan=plan, by=request.user, **data),
        template="rectification/item_form.html",
        context={"plan": plan, "item": None},
        success=_("The problem and its measure were added."),
        redirect_to=lambda _item: (
            reverse("rectification:item-create", args=[plan.pk]) if "add_another" in request.POST else plan
        ),
    )


def _item_refused(request, item: RectificationItem):
    """An item is changed only while its plan is editable, and not once removed."""
    refused = _editable_plan(request, item.plan)
    if refused is None and item.is_voided:
        messages.error(request, _("This item was removed."))
        return redirect(item.plan)
    return refused


item_edit = RecordForm(
    item_of,
    "item",
    ItemForm,
    services.update_item,
    refused=_item_refused,
    form_kwargs=lambda item: {"instance": RectificationItem.objects.get(pk=item.pk)},
    initial=lambda item: {},
    template="rectification/item_form.html",
    success=gettext_lazy("The item was saved."),
    edit=True,
    parent="plan",
).view("items/<int:pk>/edit/", "item-edit")


@route("items/<int:pk>/remove/")
@require_POST
def item_remove(request, pk: int):
    item = item_of(request, pk)
    require(services.can_draft(request.user, item.plan.village))
    try:
        services.remove_item(item=item, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The item was removed from the draft."))
    return redirect(item.plan)


@route("items/<int:pk>/progress/")
def item_progress(request, pk: int):
    """Every update on one measure; the township adds one while the plan is under way."""
    item = item_of(request, pk)
    plan = item.plan
    can_record = services.can_record_progress(request.user, plan) and not item.is_voided
    if request.method == "POST":
        require(services.is_own_township(request.user, plan.village))
        if not can_record:
            messages.error(request, _("Progress is recorded only while the plan is rectifying or consolidating."))
            return redirect(plan)
    context = {"plan": plan, "item": item, "history": item.progress.select_related("recorded_by")}
    if not can_record:
        return render(request, "rectification/item_progress.html", {"form": None, **context})
    return form_page(
        request,
        ProgressForm(request.POST or None, initial={"on_date": clock.today()}),
        lambda data: services.record_progress(item=item, by=request.user, **data),
        template="rectification/item_progress.html",
        context=context,
        success=_("The progress was recorded."),
        redirect_to=lambda _progress: plan,
    )


@route("overview/")
@county_page("rectification")
def overview(request, user):
    """The county view: stages by class, overdue measures, plans under review, ledger totals."""
    overdue = selectors.overdue_items(user)
    overdue_total = overdue.count()
    waiting = list(selectors.plans_awaiting_review(user))
    closed = list(selectors.closed_plans(user)[:50])
    kind_totals = selectors.kind_totals(user, selectors.kinds_for(user))
    return render(
        request,
        "rectification/overview.html",
        {
            "stages": selectors.stage_matrix(user),
            "overdue": list(overdue[:50]),
            "overdue_total": overdue_total,
            "waiting": waiting,
            "closed": closed,
            "kind_totals": kind_totals,
            # The county's entries all lie in its ledgers: the grand total is their sum, not a second count.
            "grand": selectors.sum_of(kind_totals, _("All ledgers")),
            "chart": selectors.bar_chart(kind_totals),
            "today": clock.today(),
        },
    )
