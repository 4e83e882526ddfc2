"""Pages for the 三本台账: the overview, one village's ledgers, its entries, and the county's lists."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianchun import clock
from lianchun.editing import attempt, edit_record, form_page
from lianchun.listing import list_page
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, require
from villages.models import Township, Village

from .. import selectors, services
from ..filters import EntryFilter
from ..forms import LedgerEntryForm, NameForm, VoidForm
from ..models import HandlingMethod, LedgerEntry, LedgerKind, RectificationPlan
from .pages import county_page, kept_entry


@route("ledgers/")
@county_page("ledgers")
def ledger_overview(request, user):
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
    else:
        labels = {t.pk: t.name for t in Township.objects.visible_to(user).order_by("code")}
        matrix = selectors.township_matrix(user, labels, kinds)
    # Every live entry lies in one row (a township, or a village of the township) and one ledger of
    # the county, so the ledgers' totals and the grand total are the matrix's sums: one pass over the entries.
    kind_totals = selectors.column_totals(matrix, kinds)
    return render(
        request,
        "rectification/ledger_overview.html",
        {
            "kinds": kinds,
            "matrix": matrix,
            "township": township,
            "rows_are_villages": township is not None,
            "kind_totals": kind_totals,
            "grand": selectors.sum_of(kind_totals, _("All ledgers")),
            "chart": selectors.bar_chart(kind_totals),
            "can_configure": services.can_configure_ledgers(user),
        },
    )


def _village(request, pk: int) -> Village:
    return get_visible_or_404(Village.objects.select_related("township__county"), request.user, pk=pk)


def _ledger_url(village: Village) -> str:
    return reverse("rectification:ledger-village", args=[village.pk])


@route("ledgers/village/<int:pk>/")
def ledger_village(request, pk: int):
    village = _village(request, pk)
    kinds = selectors.kinds_for(request.user, village.township.county_id)
    entries = selectors.live_entries(request.user).filter(village=village)
    kind_totals = selectors.totals_by(entries, "kind_id", {kind.pk: kind.name for kind in kinds})
    return list_page(
        request,
        template="rectification/ledger_village.html",
        filterset_class=EntryFilter,
        queryset=entries.select_related("kind", "handling").order_by("-collected_on", "-pk"),
        context={
            "village": village,
            "kind_totals": kind_totals,
            "grand": selectors.grand_total(entries, _("All ledgers")),
            "can_keep": services.can_keep_ledger(request.user, village),
            "plan": RectificationPlan.objects.visible_to(request.user)
            .filter(village=village, voided_at__isnull=True)
            .only("pk", "status")
            .first(),
        },
    )


def _entry_form_kwargs(village: Village, instance: LedgerEntry | None = None) -> dict:
    county_id = village.township.county_id
    return {
        "kinds": LedgerKind.objects.filter(county_id=county_id).order_by("order", "pk"),
        "handling": HandlingMethod.objects.filter(county_id=county_id).filter(
            Q(is_active=True) | Q(pk=getattr(instance, "handling_id", None) or 0)
        ),
        "instance": instance,
    }


@route("ledgers/village/<int:pk>/new/")
def entry_create(request, pk: int):
    village = _village(request, pk)
    require(services.can_keep_ledger(request.user, village))
    form = LedgerEntryForm(
        request.POST or None,
        initial={"collected_on": clock.today(), "kind": request.GET.get("kind")},
        **_entry_form_kwargs(village),
    )
    return form_page(
        request,
        form,
        lambda data: services.create_ledger_entry(village=village, by=request.user, **data),
        template="rectification/entry_form.html",
        context={"village": village, "entry": None},
        success=_("The matter was recorded."),
        redirect_to=lambda _entry: (
            reverse("rectification:entry-create", args=[village.pk])
            if "add_another" in request.POST
            else _ledger_url(village)
        ),
    )


@route("ledgers/entries/<int:pk>/edit/")
def entry_edit(request, pk: int):
    entry = kept_entry(request, pk)
    village = entry.village
    if entry.is_voided:
        messages.error(request, _("A voided entry cannot be changed."))
        return redirect(_ledger_url(village))
    return edit_record(
        request,
        record=entry,
        form_class=LedgerEntryForm,
        form_kwargs=_entry_form_kwargs(village, LedgerEntry.objects.get(pk=entry.pk)),
        initial={},
        save=lambda data: services.update_ledger_entry(entry=entry, by=request.user, **data),
        template="rectification/entry_form.html",
        context={"village": village, "entry": entry},
        success=_("The matter was saved."),
        redirect_to=_ledger_url(village),
    )


@route("ledgers/entries/<int:pk>/void/")
def entry_void(request, pk: int):
    entry = kept_entry(request, pk)
    village = entry.village
    return form_page(
        request,
        VoidForm(request.POST or None),
        lambda data: services.void_ledger_entry(entry=entry, by=request.user, reason=data["opinion"]),
        template="rectification/entry_void.html",
        context={"entry": entry, "village": village},
        success=_("The entry was voided; it no longer counts in the totals."),
        redirect_to=lambda _none: _ledger_url(village),
    )


def _set_method_in_use(request, county, action: str) -> None:
    method_id = request.POST.get("method", "")
    method = HandlingMethod.objects.filter(county=county, pk=int(method_id)).first() if method_id.isdigit() else None
    if method is None:
        messages.error(request, _("No such handling method."))
        return
    services.set_handling_method_in_use(method=method, by=request.user, is_active=action == "enable_method")
    messages.success(request, _("The list of handling methods was saved."))


@route("ledgers/settings/")
def ledger_settings(request):
    """The county office keeps the county's ledgers and its list of handling methods."""
    user = request.user
    require(services.can_configure_ledgers(user))
    county = user.county
    action = request.POST.get("action")
    kind_form = NameForm(request.POST if action == "add_kind" else None, prefix="kind")
    method_form = NameForm(request.POST if action == "add_method" else None, prefix="method")
    if request.method == "POST":
        if action in {"disable_method", "enable_method"}:
            _set_method_in_use(request, county, action)
            return redirect("rectification:ledger-settings")
        adders = {
            "add_kind": (kind_form, services.add_ledger_kind, _("The ledger was added.")),
            "add_method": (method_form, services.add_handling_method, _("The handling method was added.")),
        }
        if action in adders:
            form, add, success = adders[action]
            if attempt(form, lambda data: add(county=county, by=user, name=data["name"])).ok:
                messages.success(request, success)
                return redirect("rectification:ledger-settings")
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
