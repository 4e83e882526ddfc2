"""Cluster pages. Each view fetches the scoped record first (404 outside the township), then
checks the role (403), calls a service, shows domain errors on the form, and redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianchun import clock
from lianchun.scoping import get_visible_or_404, require
from lianchun.scoping import require_place as _require_place
from villages.models import PartnerUnit, Township, Village

from . import consent, selectors, services
from .forms import (
    AnswerForm,
    ApproveForm,
    BatchCorrectionForm,
    BatchForm,
    ClusterDetailsForm,
    ClusterFilterForm,
    DissolveForm,
    DocumentsForm,
    HandedOutForm,
    MemberForm,
    ModelCharterForm,
    OfficerForm,
    OpinionForm,
    ProposeClusterForm,
    ReasonForm,
    RequiredOpinionForm,
    TransitionForm,
)
from .models import (
    Cluster,
    ClusterEvent,
    ClusterOfficer,
    ConsentBatch,
    ConsentOpinion,
    ConsentSurvey,
    ModelCharter,
    Status,
)


def _cluster(request, pk: int) -> Cluster:
    return get_visible_or_404(
        Cluster.objects.select_related("township__county", "lead_village", "partner_unit", "created_by"),
        request.user,
        pk=pk,
    )


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _township_villages(cluster_or_township) -> object:
    township_id = (
        cluster_or_township.township_id if isinstance(cluster_or_township, Cluster) else cluster_or_township.pk
    )
    return Village.objects.filter(township_id=township_id, voided_at__isnull=True).order_by("code")


# --- Lists and the cluster page -------------------------------------------------------------------


@login_required
def cluster_list(request):
    _require_place(request.user)
    townships = Township.objects.visible_to(request.user)
    form = ClusterFilterForm(request.GET or None, townships=townships)
    clusters = selectors.cluster_list(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            clusters = clusters.filter(status=data["status"])
        if data["form"]:
            clusters = clusters.filter(form=data["form"])
        if data["township"]:
            clusters = clusters.filter(township=data["township"])
    page = Paginator(clusters, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "clusters/cluster_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
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


@login_required
def cluster_detail(request, pk: int):
    cluster = _cluster(request, pk)
    loaded = Cluster.objects.filter(pk=cluster.pk).prefetch_related(selectors.surveys_prefetch()).get()
    tallies = selectors.tallies_of(loaded)
    can_manage = services.can_manage(request.user, cluster)
    can_review = services.can_review(request.user, cluster)
    return render(
        request,
        "clusters/cluster_detail.html",
        {
            "cluster": cluster,
            "tallies": tallies,
            "all_pass": bool(tallies) and all(t.tally.passes for t in tallies),
            "threshold": consent.threshold(),
            "events": cluster.events.select_related("by"),
            "officers": cluster.officers.filter(voided_at__isnull=True).select_related("home_village"),
            "opinions": cluster.opinions.select_related("village"),
            "return_event": services.latest_return_opinion(cluster),
            "can_manage": can_manage,
            "can_review": can_review,
            "memberships": cluster.memberships.select_related("village").order_by("-is_active", "village__code"),
        },
    )


@login_required
def cluster_propose(request):
    user = request.user
    require(user.is_township_cadre)
    township = user.township
    villages = _township_villages(township)
    partner_units = PartnerUnit.objects.filter(county_id=township.county_id, voided_at__isnull=True)
    form = ProposeClusterForm(request.POST or None, villages=villages, partner_units=partner_units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cluster = services.propose_cluster(
                township=township,
                name=data["name"],
                villages=data["villages"],
                lead_village=data["lead_village"],
                form=data["form"],
                kind=data["kind"],
                partner_unit=data["partner_unit"],
                is_pilot=data["is_pilot"],
                reason_ties=data["reason_ties"],
                reason_identity=data["reason_identity"],
                reason_shared_interest=data["reason_shared_interest"],
                reason_cluster_effect=data["reason_cluster_effect"],
                selection_note=data["selection_note"],
                opinion=data["opinion"],
                by=user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The cluster was proposed. Start the consultation when the consent forms go out.")
            )
            return redirect(cluster)
    return render(request, "clusters/cluster_propose.html", {"form": form})


@login_required
def cluster_edit(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    fields = list(ClusterDetailsForm.base_fields)
    form = ClusterDetailsForm(request.POST or None, initial={name: getattr(cluster, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_cluster_details(cluster=cluster, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The cluster was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(cluster)
    return render(request, "clusters/cluster_form.html", {"cluster": cluster, "form": form})


@login_required
def cluster_members(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    villages = _township_villages(cluster)
    members = cluster.memberships.filter(is_active=True).select_related("village")
    form = MemberForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "add")
        village = form.cleaned_data["village"]
        try:
            if action == "remove":
                services.remove_member(cluster=cluster, village=village, by=request.user)
                messages.success(request, _("%(village)s left the proposal.") % {"village": village.name})
            elif action == "lead":
                services.set_lead_village(cluster=cluster, village=village, by=request.user)
                messages.success(request, _("%(village)s is now the lead village.") % {"village": village.name})
            else:
                services.add_member(cluster=cluster, village=village, by=request.user)
                messages.success(request, _("%(village)s joined the proposal.") % {"village": village.name})
        except ValidationError as error:
            _error_messages(request, error)
        return redirect("clusters:cluster-members", pk=cluster.pk)
    return render(request, "clusters/cluster_members.html", {"cluster": cluster, "form": form, "members": members})


@login_required
def cluster_officers(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    form = OfficerForm(request.POST or None, villages=_township_villages(cluster))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_officer(cluster=cluster, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The officer was added."))
            return redirect("clusters:cluster-officers", pk=cluster.pk)
    officers = cluster.officers.filter(voided_at__isnull=True).select_related("home_village")
    return render(
        request,
        "clusters/cluster_officers.html",
        {"cluster": cluster, "form": form, "officers": officers, "void_form": ReasonForm()},
    )


@login_required
@require_POST
def officer_void(request, pk: int):
    officer = get_visible_or_404(ClusterOfficer.objects.select_related("cluster__township"), request.user, pk=pk)
    require(services.can_manage(request.user, officer.cluster))
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.void_officer(officer=officer, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The officer was removed from the list."))
    else:
        messages.error(request, _("Give a reason for voiding this record."))
    return redirect("clusters:cluster-officers", pk=officer.cluster_id)


@login_required
def cluster_documents(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    initial = {name: getattr(cluster, name) for name in services.DOCUMENT_FIELDS}
    form = DocumentsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            changed = services.update_cluster_documents(cluster=cluster, by=request.user, reason=reason, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The documents were saved.") if changed else _("Nothing was changed."))
            return redirect(cluster)
    return render(request, "clusters/cluster_documents.html", {"cluster": cluster, "form": form})


# --- Consent --------------------------------------------------------------------------------------


def _survey(request, pk: int) -> ConsentSurvey:
    return get_visible_or_404(
        ConsentSurvey.objects.select_related("cluster__township__county", "village"), request.user, pk=pk
    )


@login_required
def survey_detail(request, pk: int):
    survey = _survey(request, pk)
    cluster = survey.cluster
    batches = list(survey.batches.select_related("recorded_by", "voided_by"))
    tally = survey.tally(batches)
    can_manage = services.can_manage(request.user, cluster)
    return render(
        request,
        "clusters/survey_detail.html",
        {
            "survey": survey,
            "cluster": cluster,
            "batches": batches,
            "tally": tally,
            "threshold": consent.threshold(),
            "can_manage": can_manage,
            "handed_out_form": HandedOutForm(initial={"handed_out": survey.handed_out}),
            "batch_form": BatchForm(initial={"batch_date": clock.today()}),
            "void_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def survey_handed_out(request, pk: int):
    survey = _survey(request, pk)
    require(services.can_manage(request.user, survey.cluster))
    form = HandedOutForm(request.POST)
    if form.is_valid():
        try:
            services.set_forms_handed_out(survey=survey, handed_out=form.cleaned_data["handed_out"], by=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The number of forms handed out was saved."))
    else:
        messages.error(request, _("Enter a whole number of forms, zero or more."))
    return redirect("clusters:survey-detail", pk=survey.pk)


@login_required
def survey_batch_add(request, pk: int):
    survey = _survey(request, pk)
    require(services.can_manage(request.user, survey.cluster))
    form = BatchForm(request.POST or None, initial={"batch_date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent_batch(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The batch was added to %(village)s's tally.") % {"village": survey.village.name}
            )
            return redirect("clusters:survey-detail", pk=survey.pk)
    return render(request, "clusters/batch_form.html", {"survey": survey, "cluster": survey.cluster, "form": form})


def _batch(request, pk: int) -> ConsentBatch:
    return get_visible_or_404(
        ConsentBatch.objects.select_related("survey__cluster__township", "survey__village"), request.user, pk=pk
    )


@login_required
def batch_correct(request, pk: int):
    batch = _batch(request, pk)
    require(services.can_manage(request.user, batch.survey.cluster))
    initial = {name: getattr(batch, name) for name in ["returned", "agree", "disagree", "invalid"]}
    form = BatchCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_consent_batch(batch=batch, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The batch was corrected; its change history keeps the old numbers."))
            return redirect("clusters:survey-detail", pk=batch.survey_id)
    return render(
        request,
        "clusters/batch_correct.html",
        {"batch": batch, "survey": batch.survey, "cluster": batch.survey.cluster, "form": form},
    )


@login_required
@require_POST
def batch_void(request, pk: int):
    batch = _batch(request, pk)
    require(services.can_manage(request.user, batch.survey.cluster))
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.void_consent_batch(batch=batch, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _("The batch was voided; it no longer counts."))
    else:
        messages.error(request, _("Give a reason for voiding this record."))
    return redirect("clusters:survey-detail", pk=batch.survey_id)


@login_required
def opinion_add(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    villages = Village.objects.filter(cluster_memberships__cluster=cluster).distinct().order_by("code")
    form = OpinionForm(request.POST or None, villages=villages, initial={"received_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_opinion(cluster=cluster, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The opinion was recorded."))
            return redirect(f"{cluster.get_absolute_url()}#opinions")
    return render(request, "clusters/opinion_form.html", {"cluster": cluster, "form": form})


@login_required
def opinion_answer(request, pk: int):
    opinion = get_visible_or_404(
        ConsentOpinion.objects.select_related("cluster__township", "village"), request.user, pk=pk
    )
    cluster = opinion.cluster
    require(services.can_manage(request.user, cluster))
    form = AnswerForm(request.POST or None, initial={"answer": opinion.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_opinion(opinion=opinion, answer=form.cleaned_data["answer"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect(f"{cluster.get_absolute_url()}#opinions")
    return render(request, "clusters/opinion_answer.html", {"cluster": cluster, "opinion": opinion, "form": form})


# --- Life cycle -----------------------------------------------------------------------------------


def _transition(request, cluster: Cluster, *, form_class, template: str, action, success: str, extra=None):
    form = form_class(request.POST or None, initial=extra or {})
    if request.method == "POST" and form.is_valid():
        try:
            action(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(cluster)
    context = {"cluster": cluster, "form": form}
    if cluster.status in {Status.CONSULTING, Status.RETURNED, Status.SUBMITTED}:
        loaded = Cluster.objects.filter(pk=cluster.pk).prefetch_related(selectors.surveys_prefetch()).get()
        context["tallies"] = selectors.tallies_of(loaded)
    return render(request, template, context)


@login_required
@require_POST
def cluster_start_consultation(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    try:
        services.start_consultation(cluster=cluster, by=request.user, opinion=request.POST.get("opinion", ""))
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request, _("Consultation started: record the consent forms of each village as they come back.")
        )
    return redirect(cluster)


@login_required
def cluster_submit(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_manage(request.user, cluster))
    return _transition(
        request,
        cluster,
        form_class=TransitionForm,
        template="clusters/cluster_submit.html",
        action=lambda opinion: services.submit_cluster(cluster=cluster, by=request.user, opinion=opinion),
        success=_("The proposal was submitted to the county for review."),
    )


@login_required
def cluster_approve(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_review(request.user, cluster))
    return _transition(
        request,
        cluster,
        form_class=ApproveForm,
        template="clusters/cluster_approve.html",
        action=lambda established_on, opinion: services.approve_cluster(
            cluster=cluster, by=request.user, opinion=opinion, established_on=established_on
        ),
        success=_("The cluster was approved and is now established."),
        extra={"established_on": clock.today()},
    )


@login_required
def cluster_return(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_review(request.user, cluster))
    return _transition(
        request,
        cluster,
        form_class=RequiredOpinionForm,
        template="clusters/cluster_return.html",
        action=lambda opinion: services.return_cluster(cluster=cluster, by=request.user, opinion=opinion),
        success=_("The proposal was returned to the township with your opinion."),
    )


@login_required
def cluster_dissolve(request, pk: int):
    cluster = _cluster(request, pk)
    require(services.can_review(request.user, cluster))
    return _transition(
        request,
        cluster,
        form_class=DissolveForm,
        template="clusters/cluster_dissolve.html",
        action=lambda dissolved_on, opinion: services.dissolve_cluster(
            cluster=cluster, by=request.user, opinion=opinion, dissolved_on=dissolved_on
        ),
        success=_("The cluster was dissolved; its villages may join another cluster."),
        extra={"dissolved_on": clock.today()},
    )


# --- County pages ---------------------------------------------------------------------------------


@login_required
def review_queue(request):
    require(request.user.is_county_office)
    queryset = (
        Cluster.objects.visible_to(request.user).filter(status=Status.SUBMITTED).order_by("township__code", "name")
    )
    rows = selectors.clusters_with_tallies(queryset)
    submitted_at = {}
    if rows:
        for event in ClusterEvent.objects.filter(
            cluster__in=[c for c, _t in rows], to_status=Status.SUBMITTED
        ).order_by("at"):
            submitted_at[event.cluster_id] = event.at
    return render(
        request,
        "clusters/review_queue.html",
        {"rows": [(c, t, submitted_at.get(c.pk)) for c, t in rows], "threshold": consent.threshold()},
    )


@login_required
def model_charter(request):
    user = request.user
    require(user.is_county_office)
    current = (
        ModelCharter.objects.visible_to(user).filter(county_id=user.county_id).select_related("updated_by").first()
    )
    form = ModelCharterForm(request.POST or None, initial={"text": services.model_charter_text(user.county_id)})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_model_charter(county=user.county, text=form.cleaned_data["text"], by=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The model charter was saved; new clusters start from it."))
            return redirect("clusters:model-charter")
    return render(request, "clusters/model_charter.html", {"form": form, "current": current})


@login_required
def coverage(request):
    _require_place(request.user)
    data = selectors.coverage(request.user)
    return render(
        request, "clusters/coverage.html", {"coverage": data, "show_total": not request.user.is_township_cadre}
    )
