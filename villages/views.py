from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.downloads import download
from lianchun.editing import edit_record, form_page
from lianchun.import_pages import ImportPages
from lianchun.listing import list_page, paginate
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, oversees_counties, require
from lianchun.scoping import require_place as _require_place
from lianchun.views import record_page

from . import importing, services
from .filters import VillageFilter
from .forms import RosterUploadForm, StandingChangeForm, TownshipForm, VillageFactsForm
from .models import Township, Village


@route("")
def village_list(request):
    _require_place(request.user)
    villages = Village.objects.visible_to(request.user).select_related("township").filter(voided_at__isnull=True)
    return list_page(
        request,
        template="villages/village_list.html",
        filterset_class=VillageFilter,
        queryset=villages.order_by("code"),
        filter_kwargs={"user": request.user},
        context={
            "can_import": importing.can_import_roster(request.user),
            "show_township": not request.user.is_township_cadre,
        },
    )


def _village(request, pk: int) -> Village:
    return get_visible_or_404(Village.objects.select_related("township__county"), request.user, pk=pk)


@route("<int:pk>/")
@record_page(_village, "villages/village_detail.html", "village")
def village_detail(request, village):
    return {
        "standing_changes": village.standing_changes.select_related("recorded_by"),
        "can_edit": services.can_edit_village(request.user, village) and not village.is_voided,
        "can_change_standing": services.can_change_standing(request.user, village) and not village.is_voided,
    }


@route("<int:pk>/edit/")
def village_edit(request, pk: int):
    village = _village(request, pk)
    require(services.can_edit_village(request.user, village))

    def save(data):
        return services.update_village_facts(village=Village.objects.get(pk=village.pk), by=request.user, **data)

    return edit_record(
        request,
        record=village,
        form_class=VillageFactsForm,
        form_kwargs={"instance": Village.objects.get(pk=village.pk)},
        save=save,
        template="villages/village_form.html",
        context={"village": village},
        success=lambda changed: _("The village's facts were saved.") if changed else _("Nothing was changed."),
    )


@route("<int:pk>/standing/")
def village_standing(request, pk: int):
    village = _village(request, pk)
    require(services.can_change_standing(request.user, village))
    return edit_record(
        request,
        record=village,
        form_class=StandingChangeForm,
        initial={"to_standing": village.standing},
        save=lambda data: services.change_village_standing(village=village, by=request.user, **data),
        template="villages/village_standing.html",
        context={"village": village},
        success=_("The standing change was recorded."),
    )


@route("roster/template/")
def roster_template(request):
    require(importing.can_import_roster(request.user))
    filename = _("Village roster template %(day)s.xlsx") % {"day": clock.today().strftime("%Y%m%d")}
    return download(importing.build_template(), filename=filename)


roster_import, roster_preview, roster_confirm = ImportPages(
    importing.roster,
    RosterUploadForm,
    "villages",
    "roster",
    done="villages:village-list",
    already=gettext_lazy("This roster was already saved."),
    problems=gettext_lazy("Nothing was saved: the roster still has problems."),
    success=lambda plan: (
        _("Roster saved: %(new)s new, %(changed)s changed, %(same)s unchanged.")
        % {"new": len(plan.new_rows), "changed": len(plan.changed_rows), "same": len(plan.unchanged_rows)}
    ),
).views("roster/import/")


@route("townships/")
def township_list(request):
    require(oversees_counties(request.user))
    townships = (
        Township.objects.visible_to(request.user)
        .annotate(
            village_count=Count("villages", filter=Q(villages__voided_at__isnull=True)),
            lagging_count=Count("villages", filter=Q(villages__voided_at__isnull=True, villages__standing="lagging")),
            weak_count=Count("villages", filter=Q(villages__voided_at__isnull=True, villages__is_weak=True)),
        )
        .order_by("code")
    )
    return render(
        request,
        "villages/township_list.html",
        {**paginate(request, townships), "can_add": request.user.is_county_office},
    )


@route("townships/new/")
def township_create(request):
    require(request.user.is_county_office)
    form = TownshipForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.create_township(county=request.user.county, by=request.user, **data),
        template="villages/township_form.html",
        success=_("The township was added."),
        redirect_to="villages:township-list",
    )
