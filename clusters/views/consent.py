"""Consent pages: a village's survey, its forms handed out and batches, and the opinions gathered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianchun import clock
from lianchun.editing import edit_record, form_page, version_token, with_version
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404, require
from lianchun.views import record_page
from villages.models import Village

from .. import consent, selectors, services
from ..forms import AnswerForm, BatchCorrectionForm, BatchForm, HandedOutForm, OpinionForm, ReasonForm
from ..models import ConsentBatch, ConsentOpinion, ConsentSurvey
from .common import managed_cluster, post_then_back


def _survey(request, pk: int) -> ConsentSurvey:
    return get_visible_or_404(
        ConsentSurvey.objects.select_related("cluster__township__county", "village"), request.user, pk=pk
    )


def _managed_survey(request, pk: int) -> ConsentSurvey:
    survey = _survey(request, pk)
    require(services.can_manage(request.user, survey.cluster))
    return survey


def _survey_url(survey_id: int) -> str:
    return reverse("clusters:survey-detail", args=[survey_id])


@route("surveys/<int:pk>/")
@login_required
@record_page(_survey, "clusters/survey_detail.html")
def survey_detail(request, survey):
    cluster = survey.cluster
    batches = list(survey.batches.select_related("recorded_by", "voided_by"))
    return {
        "survey": survey,
        "cluster": cluster,
        "batches": batches,
        "tally": survey.tally(batches),
        "over_households": selectors.over_households(survey),
        "changes": [
            c for c in selectors.handed_out_changes([cluster.pk])[cluster.pk] if c.village.pk == survey.village_id
        ],
        "threshold": consent.threshold(),
        "can_manage": services.can_manage(request.user, cluster),
        "handed_out_form": with_version(
            HandedOutForm(initial={"handed_out": survey.handed_out}), version_token(survey)
        ),
        "batch_form": BatchForm(initial={"batch_date": clock.today()}),
        "void_form": ReasonForm(),
    }


@route("surveys/<int:pk>/handed-out/")
@login_required
def survey_handed_out(request, pk: int):
    survey = _managed_survey(request, pk)
    return edit_record(
        request,
        record=survey,
        form_class=HandedOutForm,
        save=lambda data: services.set_forms_handed_out(survey=survey, by=request.user, **data),
        template="clusters/handed_out_form.html",
        context={"survey": survey, "cluster": survey.cluster},
        success=_("The number of forms handed out was saved."),
        redirect_to=_survey_url(survey.pk),
    )


@route("surveys/<int:pk>/batches/add/")
@login_required
def survey_batch_add(request, pk: int):
    survey = _managed_survey(request, pk)
    form = BatchForm(request.POST or None, initial={"batch_date": clock.today()})
    return form_page(
        request,
        form,
        lambda data: services.record_consent_batch(survey=survey, by=request.user, **data),
        template="clusters/batch_form.html",
        context={"survey": survey, "cluster": survey.cluster},
        success=_("The batch was added to %(village)s's tally.") % {"village": survey.village.name},
        redirect_to=_survey_url(survey.pk),
    )


def _batch(request, pk: int) -> ConsentBatch:
    batch = get_visible_or_404(
        ConsentBatch.objects.select_related("survey__cluster__township", "survey__village"), request.user, pk=pk
    )
    require(services.can_manage(request.user, batch.survey.cluster))
    return batch


@route("batches/<int:pk>/correct/")
@login_required
def batch_correct(request, pk: int):
    batch = _batch(request, pk)
    return edit_record(
        request,
        record=batch,
        form_class=BatchCorrectionForm,
        initial={name: getattr(batch, name) for name in ["returned", "agree", "disagree", "invalid"]},
        save=lambda data: services.correct_consent_batch(batch=batch, by=request.user, **data),
        template="clusters/batch_correct.html",
        context={"batch": batch, "survey": batch.survey, "cluster": batch.survey.cluster},
        success=_("The batch was corrected; its change history keeps the old numbers."),
        redirect_to=_survey_url(batch.survey_id),
    )


@route("batches/<int:pk>/void/")
@login_required
@require_POST
def batch_void(request, pk: int):
    batch = _batch(request, pk)
    return post_then_back(
        request,
        ReasonForm(request.POST),
        lambda data: services.void_consent_batch(batch=batch, by=request.user, reason=data["reason"]),
        success=_("The batch was voided; it no longer counts."),
        back=_survey_url(batch.survey_id),
    )


@route("<int:pk>/opinions/add/")
@login_required
def opinion_add(request, pk: int):
    cluster = managed_cluster(request, pk)
    villages = Village.objects.filter(cluster_memberships__cluster=cluster).distinct().order_by("code")
    form = OpinionForm(request.POST or None, villages=villages, initial={"received_on": clock.today()})
    return form_page(
        request,
        form,
        lambda data: services.record_opinion(cluster=cluster, by=request.user, **data),
        template="clusters/opinion_form.html",
        context={"cluster": cluster},
        success=_("The opinion was recorded."),
        redirect_to=f"{cluster.get_absolute_url()}#opinions",
    )


@route("opinions/<int:pk>/answer/")
@login_required
def opinion_answer(request, pk: int):
    opinion = get_visible_or_404(
        ConsentOpinion.objects.select_related("cluster__township", "village"), request.user, pk=pk
    )
    cluster = opinion.cluster
    require(services.can_manage(request.user, cluster))
    return edit_record(
        request,
        record=opinion,
        form_class=AnswerForm,
        save=lambda data: services.answer_opinion(opinion=opinion, answer=data["answer"], by=request.user),
        template="clusters/opinion_answer.html",
        context={"cluster": cluster, "opinion": opinion},
        success=_("The answer was recorded."),
        redirect_to=f"{cluster.get_absolute_url()}#opinions",
    )
