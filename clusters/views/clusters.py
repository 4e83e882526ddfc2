"""The cluster's own pages: list, page, proposal, edits of its records, the county's review and coverage."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun.editing import edit_record, form_page
from lianchun.listing import list_page, paginate
from lianchun.record_forms import RecordForm, post_then_back
from lianchun.routing import route
from lianchun.scoping import require, require_place
from lianchun.views import record_page
from villages.models import PartnerUnit
from villages.region_views import counties_first

from .. import consent, selectors, services
from ..forms import (
    ClusterDetailsForm,
    ClusterFilter,
    DocumentsForm,
    MemberForm,
    ModelCharterForm,
    OfficerForm,
    ProposeClusterForm,
    ReasonForm,
)
from ..models import Cluster, ClusterEvent, ClusterOfficer, ModelCharter, Status
from .common import get_cluster, managed, managed_cluster, township_villages, with_tallies


def _saved(message: str):
    return lambda changed: message if changed else _("Nothing was changed.")


@route("")
def cluster_list(request):
    require_place(request.user)
    return list_page(
        request,
        template="clusters/cluster_list.html",
        filterset_class=ClusterFilter,
        queryset=selectors.cluster_list(request.user),
        context={
            "can_propose": request.user.is_township_cadre,
            "can_review": request.user.is_county_office,
            "review_count": (
                Cluster.objects.visible_to(request.user).filter(status=Status.SUBMITTED).count()
                if request.user.is_county_office
                else 0
            ),
            "show_township": not request.user.is_township_cadre,
        },
    )


@route("<int:pk>/")
@record_page(get_cluster, "clusters/cluster_detail.html", "cluster")
def cluster_detail(request, cluster):
    tallies = with_tallies(cluster)
    return {
        "tallies": tallies,
        "all_pass": bool(tallies) and all(t.tally.passes for t in tallies),
        "threshold": consent.threshold(),
        "timeline": selectors.timeline(cluster),
        "officers": cluster.officers.filter(voided_at__isnull=True).select_related("home_village"),
        "opinions": cluster.opinions.select_related("village"),
        "return_event": services.latest_return_opinion(cluster),
        "can_manage": services.can_manage(request.user, cluster),
        "can_review": services.can_review(request.user, cluster),
        "memberships": cluster.memberships.select_related("village").order_by("-is_active", "village__code"),
    }


@route("propose/")
def cluster_propose(request):
    user = request.user
    require(user.is_township_cadre)
    township = user.township
    villages = township_villages(township.pk)
    partner_units = PartnerUnit.objects.filter(county_id=township.county_id, voided_at__isnull=True)
    form = ProposeClusterForm(request.POST or None, villages=villages, partner_units=partner_units)
    return form_page(
        request,
        form,
        lambda data: services.propose_cluster(township=township, by=user, **data),
        template="clusters/cluster_propose.html",
        success=_("The cluster was proposed. Start the consultation when the consent forms go out."),
    )


# The parts of a cluster its township edits, each on a page of its own: form, service, template, what saving says.
_EDITABLE_PARTS = {
    "details": (
        ClusterDetailsForm,
        services.update_cluster_details,
        "clusters/cluster_form.html",
        gettext_lazy("The cluster was saved."),
    ),
    "documents": (
        DocumentsForm,
        services.update_cluster_documents,
        "clusters/cluster_documents.html",
        gettext_lazy("The documents were saved."),
    ),
}


@route("<int:pk>/edit/", kwargs={"part": "details"})
@route("<int:pk>/documents/", name="cluster-documents", kwargs={"part": "documents"})
def cluster_edit(request, pk: int, part: str):
    form_class, save, template, success = _EDITABLE_PARTS[part]
    cluster = managed_cluster(request, pk)
    return edit_record(
        request,
        record=cluster,
        form_class=form_class,
        save=lambda data: save(cluster=cluster, by=request.user, **data),
        template=template,
        context={"cluster": cluster},
        success=_saved(success),
    )


_MEMBER_ACTIONS = {
    "remove": (services.remove_member, gettext_lazy("%(village)s left the proposal.")),
    "lead": (services.set_lead_village, gettext_lazy("%(village)s is now the lead village.")),
    "add": (services.add_member, gettext_lazy("%(village)s joined the proposal.")),
}


@route("<int:pk>/members/")
def cluster_members(request, pk: int):
    cluster = managed_cluster(request, pk)
    form = MemberForm(request.POST or None, villages=township_villages(cluster.township_id))
    if request.method == "POST":
        service, done = _MEMBER_ACTIONS.get(request.POST.get("action", "add"), _MEMBER_ACTIONS["add"])
        return post_then_back(
            request,
            form,
            lambda data: service(cluster=cluster, village=data["village"], by=request.user),
            success=lambda _value: str(done) % {"village": form.cleaned_data["village"].name},
            back=reverse("clusters:cluster-members", args=[cluster.pk]),
        )
    members = cluster.memberships.filter(is_active=True).select_related("village")
    return render(request, "clusters/cluster_members.html", {"cluster": cluster, "form": form, "members": members})


def _officers_url(cluster_id: int) -> str:
    return reverse("clusters:cluster-officers", args=[cluster_id])


def _township_villages(record) -> dict:
    """The villages an officer's home village is chosen from: the cluster's township's."""
    return {"villages": township_villages(record.township_id)}


cluster_officers = RecordForm(
    managed_cluster,
    "cluster",
    OfficerForm,
    services.add_officer,
    form_kwargs=_township_villages,
    template="clusters/cluster_officers.html",
    context=lambda cluster: {
        "officers": cluster.officers.filter(voided_at__isnull=True).select_related("home_village"),
        "void_form": ReasonForm(),
    },
    success=gettext_lazy("The officer was added."),
    redirect_to=lambda cluster: _officers_url(cluster.pk),
).view("<int:pk>/officers/", "cluster-officers")


# The pages that write on one officer, each back to the cluster's list of officers.
OFFICER = RecordForm(
    managed(ClusterOfficer.objects.select_related("cluster__township", "home_village")),
    "officer",
    redirect_to=lambda officer: _officers_url(officer.cluster_id),
)

officer_edit = OFFICER.form(
    OfficerForm,
    services.update_officer,
    form_kwargs=lambda officer: _township_villages(officer.cluster),
    template="clusters/officer_form.html",
    parent="cluster",
    success=_saved(gettext_lazy("The officer was saved.")),
    edit=True,
).view("officers/<int:pk>/edit/", "officer-edit")

officer_void = OFFICER.form(
    ReasonForm, services.void_officer, success=gettext_lazy("The officer was removed from the list.")
).post_view("officers/<int:pk>/void/", "officer-void")


def transition_context(cluster: Cluster, request) -> dict:
    """What a life-cycle step's page shows beside the form: while consent matters, the tallies and the opinions
    still unanswered, the two things submission waits for."""
    context = {"cluster": cluster}
    if cluster.status in {Status.CONSULTING, Status.RETURNED, Status.SUBMITTED}:
        context["tallies"] = with_tallies(cluster)
        context["unanswered"] = selectors.unanswered_opinions(cluster)
    return context


# Each proposal shows its villages' consent tallies: a page holds a few.
REVIEW_PAGE_SIZE = 20


# --- County pages ---------------------------------------------------------------------------------


@route("review/")
def review_queue(request):
    """The county office reviews its townships' proposals; a city or province office reads them (one page at a time)."""
    require(request.user.is_county_office or request.user.is_region_role)
    queryset = (
        Cluster.objects.visible_to(request.user).filter(status=Status.SUBMITTED).order_by("township__code", "name")
    )
    paged = paginate(request, queryset, REVIEW_PAGE_SIZE)
    page_ids = [cluster.pk for cluster in paged["page_obj"]]
    rows = selectors.clusters_with_tallies(queryset.filter(pk__in=page_ids)) if page_ids else []
    submitted_at = {}
    changes = selectors.handed_out_changes([c.pk for c, _t in rows]) if rows else {}
    facts = selectors.review_facts([c.pk for c, _t in rows])
    if rows:
        for event in ClusterEvent.objects.filter(
            cluster__in=[c for c, _t in rows], to_status=Status.SUBMITTED
        ).order_by("at"):
            submitted_at[event.cluster_id] = event.at
    return render(
        request,
        "clusters/review_queue.html",
        {
            **paged,
            "rows": [(c, t, submitted_at.get(c.pk), changes.get(c.pk, []), facts[c.pk]) for c, t in rows],
            "can_review": request.user.is_county_office,
            "threshold": consent.threshold(),
        },
    )


@route("model-charter/")
def model_charter(request):
    user = request.user
    require(user.is_county_office)
    current = (
        ModelCharter.objects.visible_to(user).filter(county_id=user.county_id).select_related("updated_by").first()
    )
    save = lambda data: services.update_model_charter(county=user.county, text=data["text"], by=user)  # noqa: E731
    success = _("The model charter was saved; new clusters start from it.")
    if current is not None:
        return edit_record(
            request,
            record=current,
            form_class=ModelCharterForm,
            save=save,
            template="clusters/model_charter.html",
            context={"current": current},
            success=success,
            redirect_to="clusters:model-charter",
        )
    # The first charter of the county: nothing to be stale against yet.
    return form_page(
        request,
        ModelCharterForm(request.POST or None, initial={"text": services.model_charter_text(user.county_id)}),
        save,
        template="clusters/model_charter.html",
        success=success,
        redirect_to="clusters:model-charter",
        context={"current": current},
    )


@route("coverage/")
@counties_first("coverage")
def coverage(request):
    data = selectors.coverage(request.user)
    return render(
        request, "clusters/coverage.html", {"coverage": data, "show_total": not request.user.is_township_cadre}
    )
