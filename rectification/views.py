"""Pages for 一村一策 plans and the 三本台账: fetch the scoped record, check the role, call a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianchun import clock
from lianchun.params import int_param
from lianchun.scoping import get_visible_or_404, require
from lianchun.scoping import require_place as _require_place
from villages.models import Standing, Township, Village

from . import selectors, services
from .forms import (
    AdviceForm,
    CheckForm,
    ItemForm,
    LedgerEntryForm,
    NameForm,
    PlanFilterForm,
    PlanForm,
    ProgressForm,
    ProposeForm,
    StageForm,
    VoidForm,
)
from .models import (
    UNDER_WAY_STATUSES,
    HandlingMethod,
    ItemProgress,
    LedgerEntry,
    LedgerKind,
    PlanStatus,
    RectificationItem,
    RectificationPlan,
    ReviewRound,
)


def _plan(request, pk: int) -> RectificationPlan:
    return get_visible_or_404(
        RectificationPlan.objects.select_related("village__township__county", "county_leader", "created_by"),
        request.user,
        pk=pk,
    )


def _item(request, pk: int) -> RectificationItem:
    return get_visible_or_404(
        RectificationItem.objects.select_related("plan__village__township__county", "plan__county_leader"),
        request.user,
        pk=pk,
    )


def _refused(request, error: ValidationError, target):
    for message in error.messages:
        messages.error(request, message)
    return redirect(target)


# ---------------------------------------------------------------------------- plans


@login_required
def plan_list(request):
    _require_place(request.user)
    form = PlanFilterForm(request.GET or None)
    today = clock.today()
    plans = (
        RectificationPlan.objects.visible_to(request.user)
        .filter(voided_at__isnull=True)
        .select_related("village__township", "county_leader")
        .annotate(
            item_count=Count("items", filter=Q(items__voided_at__isnull=True)),
            overdue_count=Count(
                "items",
                filter=Q(
                    items__voided_at__isnull=True,
                    items__completed_on__isnull=True,
                    items__deadline__lt=today,
                    status__in=UNDER_WAY_STATUSES,
                ),
            ),
        )
        .order_by("village__township__code", "village__code")
    )
    if form.is_valid() and form.cleaned_data["status"]:
        plans = plans.filter(status=form.cleaned_data["status"])
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rectification/plan_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "can_draft": request.user.is_township_cadre,
            "show_township": not request.user.is_township_cadre,
        },
    )


def _villages_without_plan(user):
    return (
        Village.objects.visible_to(user)
        .filter(voided_at__isnull=True, is_weak=True)
        .exclude(pk__in=RectificationPlan.objects.filter(voided_at__isnull=True).values("village_id"))
        .order_by("code")
    )


@login_required
def plan_create(request):
    require(request.user.is_township_cadre)
    villages = _villages_without_plan(request.user)
    form = PlanForm(request.POST or None, villages=villages, county_id=request.user.county_id)
    if request.method == "GET" and request.GET.get("village"):
        form.initial["village"] = request.GET["village"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        village = data.pop("village")
        try:
            plan = services.create_plan(village=village, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan was drafted. Now add the problems found and their measures."))
            return redirect(plan)
    return render(request, "rectification/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    items = list(
        plan.items.filter(voided_at__isnull=True)
        .prefetch_related(Prefetch("progress", queryset=ItemProgress.objects.select_related("recorded_by")))
        .order_by("deadline", "pk")
    )
    rounds = list(plan.review_rounds.select_related("submitted_by", "advised_by", "decided_by").order_by("number"))
    events = list(plan.events.select_related("by").order_by("at", "pk"))
    user = request.user
    current_round = rounds[-1] if rounds else None
    return render(
        request,
        "rectification/plan_detail.html",
        {
            "plan": plan,
            "items": items,
            "rounds": rounds,
            "current_round": current_round,
            "events": events,
            "can_edit": services.can_edit_plan(user, plan),
            "can_review": services.can_review(user, plan),
            "can_record_progress": services.can_record_progress(user, plan),
            "next_stage": services.next_stage(plan),
            "open_items": sum(1 for item in items if item.completed_on is None),
            "overdue_items": sum(1 for item in items if item.is_overdue and plan.is_under_way),
            "readonly_reason": _readonly_reason(plan, user),
        },
    )


def _readonly_reason(plan: RectificationPlan, user) -> str:
    """Say why the plan cannot be edited, and who can move it on (DOMAIN.md: a lock says why)."""
    if plan.is_voided:
        return _("This plan was voided.")
    if plan.status in {PlanStatus.PROPOSED, PlanStatus.ADVISED}:
        return _(
            "Proposed for review: the organisation department advises and checks it; it can be revised only if returned."
        )
    if plan.status in UNDER_WAY_STATUSES:
        return _(
            "Approved: the text is fixed. The township records progress on each measure; the organisation department moves the stages."
        )
    if plan.status == PlanStatus.CLOSED:
        return _("Closed out. If the village slides back, the organisation department can reopen the plan.")
    return ""


@login_required
def plan_edit(request, pk: int):
    plan = _plan(request, pk)
    require(services.can_draft(request.user, plan.village))
    if not plan.is_editable:
        messages.error(request, _readonly_reason(plan, request.user))
        return redirect(plan)
    form = PlanForm(
        request.POST or None,
        instance=RectificationPlan.objects.get(pk=plan.pk),
        county_id=plan.village.township.county_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return render(request, "rectification/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_void(request, pk: int):
    plan = _plan(request, pk)
    require(services.can_draft(request.user, plan.village))
    if plan.status != PlanStatus.DRAFT or plan.rounds or plan.is_voided:
        messages.error(request, _("Only a draft that was never proposed can be voided."))
        return redirect(plan)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_plan(plan=plan, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The draft plan was voided; it stays on record."))
            return redirect("rectification:plan-list")
    return render(request, "rectification/plan_void.html", {"form": form, "plan": plan})


@login_required
def item_create(request, pk: int):
    plan = _plan(request, pk)
    require(services.can_draft(request.user, plan.village))
    if not plan.is_editable:
        messages.error(request, _readonly_reason(plan, request.user))
        return redirect(plan)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The problem and its measure were added."))
            if "add_another" in request.POST:
                return redirect("rectification:item-create", pk=plan.pk)
            return redirect(plan)
    return render(request, "rectification/item_form.html", {"form": form, "plan": plan, "item": None})


@login_required
def item_edit(request, pk: int):
    item = _item(request, pk)
    plan = item.plan
    require(services.can_draft(request.user, plan.village))
    if not plan.is_editable or item.is_voided:
        messages.error(request, _readonly_reason(plan, request.user) or _("This item was removed."))
        return redirect(plan)
    form = ItemForm(request.POST or None, instance=RectificationItem.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect(plan)
    return render(request, "rectification/item_form.html", {"form": form, "plan": plan, "item": item})


@login_required
@require_POST
def item_remove(request, pk: int):
    item = _item(request, pk)
    require(services.can_draft(request.user, item.plan.village))
    try:
        services.remove_item(item=item, by=request.user)
    except ValidationError as error:
        return _refused(request, error, item.plan)
    messages.success(request, _("The item was removed from the draft."))
    return redirect(item.plan)


@login_required
def plan_propose(request, pk: int):
    plan = _plan(request, pk)
    require(services.can_draft(request.user, plan.village))
    if not plan.is_editable:
        messages.error(request, _readonly_reason(plan, request.user))
        return redirect(plan)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.propose_plan(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Round %(number)s was proposed to the organisation department.") % {"number": review.number}
            )
            return redirect(plan)
    items = plan.items.filter(voided_at__isnull=True).order_by("deadline", "pk")
    return render(request, "rectification/plan_propose.html", {"form": form, "plan": plan, "items": items})


def _current_round(plan: RectificationPlan) -> ReviewRound | None:
    return plan.review_rounds.select_related("submitted_by", "advised_by").filter(number=plan.rounds).first()


@login_required
def plan_advise(request, pk: int):
    plan = _plan(request, pk)
    require(services.can_review(request.user, plan))
    if plan.status != PlanStatus.PROPOSED or plan.is_voided:
        messages.error(request, _("This plan is not waiting for advice."))
        return redirect(plan)
    form = AdviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.advise_plan(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The advice was recorded; the plan now waits for the check."))
            return redirect(plan)
    return render(
        request, "rectification/plan_advise.html", {"form": form, "plan": plan, "round": _current_round(plan)}
    )


@login_required
def plan_review(request, pk: int):
    plan = _plan(request, pk)
    require(services.can_review(request.user, plan))
    if plan.status != PlanStatus.ADVISED or plan.is_voided:
        messages.error(request, _("This plan is not waiting for the check."))
        return redirect(plan)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve_plan(plan=plan, by=request.user, checks=form.checks, note=form.cleaned_data["note"])
                messages.success(request, _("The plan was approved; the village is now rectifying."))
            elif action == "return":
                services.return_plan(plan=plan, by=request.user, checks=form.checks, note=form.cleaned_data["note"])
                messages.success(request, _("The plan was returned to the township for revision."))
            else:
                raise ValidationError(_("Choose to approve or to return the plan."), code="no_action")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(plan)
    return render(
        request, "rectification/plan_review.html", {"form": form, "plan": plan, "round": _current_round(plan)}
    )


@login_required
def plan_stage(request, pk: int):
    plan = _plan(request, pk)
    require(services.can_review(request.user, plan))
    target = services.next_stage(plan)
    if target is None or plan.is_voided:
        messages.error(request, _("This plan has no stage to move to until it is approved."))
        return redirect(plan)
    offers_standing = plan.status == PlanStatus.CONSOLIDATING and plan.village.standing != Standing.ADVANCED
    form = StageForm(request.POST or None, offers_standing=offers_standing)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_plan_stage(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan moved to “%(status)s”.") % {"status": PlanStatus(target).label})
            return redirect(plan)
    open_items = plan.items.filter(voided_at__isnull=True, completed_on__isnull=True).count()
    return render(
        request,
        "rectification/plan_stage.html",
        {"form": form, "plan": plan, "target": PlanStatus(target), "open_items": open_items},
    )


@login_required
def item_progress(request, pk: int):
    """Every update on one measure; the township adds one while the plan is under way."""
    item = _item(request, pk)
    plan = item.plan
    can_record = services.can_record_progress(request.user, plan) and not item.is_voided
    if request.method == "POST":
        require(services.is_own_township(request.user, plan.village))
        if not can_record:
            messages.error(request, _("Progress is recorded only while the plan is rectifying or consolidating."))
            return redirect(plan)
    form = ProgressForm(request.POST or None, initial={"on_date": clock.today()}) if can_record else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.record_progress(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress was recorded."))
            return redirect(plan)
    history = item.progress.select_related("recorded_by")
    return render(
        request, "rectification/item_progress.html", {"form": form, "plan": plan, "item": item, "history": history}
    )


@login_required
def overview(request):
    """The county view: stages by class, overdue measures, plans under review, ledger totals."""
    _require_place(request.user)
    user = request.user
    if user.county_id:
        services.ensure_county_lists(user.county)
    overdue = selectors.overdue_items(user)
    overdue_total = overdue.count()
    waiting = list(
        RectificationPlan.objects.visible_to(user)
        .filter(voided_at__isnull=True, status__in=[PlanStatus.PROPOSED, PlanStatus.ADVISED, PlanStatus.RETURNED])
        .select_related("village__township", "county_leader")
        .order_by("status", "village__code")
    )
    closed = list(
        RectificationPlan.objects.visible_to(user)
        .filter(voided_at__isnull=True, status=PlanStatus.CLOSED)
        .select_related("village__township")
        .order_by("-closed_on", "village__code")[:50]
    )
    entries = selectors.live_entries(user)
    kinds = selectors.kinds_for(user)
    kind_totals = selectors.totals_by(entries, "kind_id", {kind.pk: kind.name for kind in kinds})
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
            "grand": selectors.grand_total(entries, _("All ledgers")),
            "chart": selectors.bar_chart(kind_totals),
            "today": clock.today(),
        },
    )


# ---------------------------------------------------------------------------- 三本台账


@login_required
def ledger_overview(request):
    _require_place(request.user)
    user = request.user
    if user.county_id:
        services.ensure_county_lists(user.county)
    kinds = selectors.kinds_for(user)
    entries = selectors.live_entries(user)
    township = None
    if user.is_township_cadre:
        township = user.township
    elif request.GET.get("township"):
        township = (
            Township.objects.visible_to(user).filter(pk=request.GET["township"]).first()
            if request.GET["township"].isdigit()
            else None
        )
    if township is not None:
        villages = Village.objects.visible_to(user).filter(township=township, voided_at__isnull=True).order_by("code")
        labels = {village.pk: village.name for village in villages}
        matrix = selectors.ledger_matrix(entries.filter(village__township=township), "village_id", labels, kinds)
        scope_entries = entries.filter(village__township=township)
    else:
        labels = {t.pk: t.name for t in Township.objects.visible_to(user).order_by("code")}
        matrix = selectors.ledger_matrix(entries, "village__township_id", labels, kinds)
        scope_entries = entries
    kind_totals = selectors.totals_by(scope_entries, "kind_id", {kind.pk: kind.name for kind in kinds})
    return render(
        request,
        "rectification/ledger_overview.html",
        {
            "kinds": kinds,
            "matrix": matrix,
            "township": township,
            "rows_are_villages": township is not None,
            "kind_totals": kind_totals,
            "grand": selectors.grand_total(scope_entries, _("All ledgers")),
            "chart": selectors.bar_chart(kind_totals),
            "can_configure": services.can_configure_ledgers(user),
        },
    )


@login_required
def ledger_village(request, pk: int):
    village = get_visible_or_404(Village.objects.select_related("township__county"), request.user, pk=pk)
    services.ensure_county_lists(village.township.county)
    kinds = selectors.kinds_for(request.user)
    entries = selectors.live_entries(request.user).filter(village=village)
    kind_totals = selectors.totals_by(entries, "kind_id", {kind.pk: kind.name for kind in kinds})
    listed = entries.select_related("kind", "handling").order_by("-collected_on", "-pk")
    kind_filter = request.GET.get("kind", "")
    status_filter = request.GET.get("status", "")
    if int_param(kind_filter) is not None:
        listed = listed.filter(kind_id=int_param(kind_filter))
    if status_filter in LedgerEntry.Status.values:
        listed = listed.filter(status=status_filter)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rectification/ledger_village.html",
        {
            "village": village,
            "kinds": kinds,
            "kind_totals": kind_totals,
            "grand": selectors.grand_total(entries, _("All ledgers")),
            "page_obj": page,
            "query": query.urlencode(),
            "kind_filter": kind_filter,
            "status_filter": status_filter,
            "statuses": LedgerEntry.Status.choices,
            "can_keep": services.can_keep_ledger(request.user, village),
            "plan": RectificationPlan.objects.visible_to(request.user)
            .filter(village=village, voided_at__isnull=True)
            .only("pk", "status")
            .first(),
        },
    )


def _entry_form(request, village, instance=None):
    county_id = village.township.county_id
    kinds = LedgerKind.objects.filter(county_id=county_id).order_by("order", "pk")
    handling = HandlingMethod.objects.filter(county_id=county_id).filter(
        Q(is_active=True) | Q(pk=getattr(instance, "handling_id", None) or 0)
    )
    initial = {} if instance else {"collected_on": clock.today(), "kind": request.GET.get("kind")}
    return LedgerEntryForm(request.POST or None, instance=instance, kinds=kinds, handling=handling, initial=initial)


@login_required
def entry_create(request, pk: int):
    village = get_visible_or_404(Village.objects.select_related("township__county"), request.user, pk=pk)
    require(services.can_keep_ledger(request.user, village))
    services.ensure_county_lists(village.township.county)
    form = _entry_form(request, village)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_ledger_entry(village=village, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The matter was recorded."))
            if "add_another" in request.POST:
                return redirect("rectification:entry-create", pk=village.pk)
            return redirect("rectification:ledger-village", pk=village.pk)
    return render(request, "rectification/entry_form.html", {"form": form, "village": village, "entry": None})


def _entry(request, pk: int) -> LedgerEntry:
    return get_visible_or_404(
        LedgerEntry.objects.select_related("village__township__county", "kind", "handling"), request.user, pk=pk
    )


@login_required
def entry_edit(request, pk: int):
    entry = _entry(request, pk)
    village = entry.village
    require(services.can_keep_ledger(request.user, village))
    if entry.is_voided:
        messages.error(request, _("A voided entry cannot be changed."))
        return redirect("rectification:ledger-village", pk=village.pk)
    form = _entry_form(request, village, instance=LedgerEntry.objects.get(pk=entry.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_ledger_entry(entry=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The matter was saved."))
            return redirect("rectification:ledger-village", pk=village.pk)
    return render(request, "rectification/entry_form.html", {"form": form, "village": village, "entry": entry})


@login_required
def entry_void(request, pk: int):
    entry = _entry(request, pk)
    village = entry.village
    require(services.can_keep_ledger(request.user, village))
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_ledger_entry(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry was voided; it no longer counts in the totals."))
            return redirect("rectification:ledger-village", pk=village.pk)
    return render(request, "rectification/entry_void.html", {"form": form, "entry": entry, "village": village})


@login_required
def ledger_settings(request):
    """The county office keeps the county's ledgers and its list of handling methods."""
    user = request.user
    require(services.can_configure_ledgers(user))
    county = user.county
    services.ensure_county_lists(county)
    kind_form = NameForm(request.POST if request.POST.get("action") == "add_kind" else None, prefix="kind")
    method_form = NameForm(request.POST if request.POST.get("action") == "add_method" else None, prefix="method")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_kind" and kind_form.is_valid():
                services.add_ledger_kind(county=county, by=user, name=kind_form.cleaned_data["name"])
                messages.success(request, _("The ledger was added."))
                return redirect("rectification:ledger-settings")
            if action == "add_method" and method_form.is_valid():
                services.add_handling_method(county=county, by=user, name=method_form.cleaned_data["name"])
                messages.success(request, _("The handling method was added."))
                return redirect("rectification:ledger-settings")
            if action in {"disable_method", "enable_method"}:
                method_id = request.POST.get("method", "")
                method = (
                    HandlingMethod.objects.filter(county=county, pk=int(method_id)).first()
                    if method_id.isdigit()
                    else None
                )
                if method is None:
                    messages.error(request, _("No such handling method."))
                else:
                    services.set_handling_method_in_use(method=method, by=user, is_active=action == "enable_method")
                    messages.success(request, _("The list of handling methods was saved."))
                return redirect("rectification:ledger-settings")
        except ValidationError as error:
            (kind_form if action == "add_kind" else method_form).add_error(None, error)
    kinds = (
        LedgerKind.objects.filter(county=county)
        .annotate(entry_count=Count("entries", filter=Q(entries__voided_at__isnull=True)))
        .order_by("order", "pk")
    )
    methods = (
        HandlingMethod.objects.filter(county=county)
        .annotate(entry_count=Count("entries", filter=Q(entries__voided_at__isnull=True)))
        .order_by("-is_active", "order", "pk")
    )
    return render(
        request,
        "rectification/ledger_settings.html",
        {"kinds": kinds, "methods": methods, "kind_form": kind_form, "method_form": method_form},
    )
