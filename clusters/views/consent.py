"""Consent pages: a village's survey, its forms handed out and batches, and the opinions gathered."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun import clock
from lianchun.editing import version_token, with_version
from lianchun.record_forms import RecordForm
from lianchun.routing import route
from lianchun.scoping import get_visible_or_404
from lianchun.views import record_page
from villages.models import Village

from .. import consent, selectors, services
from ..forms import AnswerForm, BatchCorrectionForm, BatchForm, HandedOutForm, OpinionForm, ReasonForm
from ..models import ConsentBatch, ConsentOpinion, ConsentSurvey
from .common import managed, managed_cluster

SURVEYS = ConsentSurvey.objects.select_related("cluster__township__county", "village")


def _survey(request, pk: int) -> ConsentSurvey:
    return get_visible_or_404(SURVEYS, request.user, pk=pk)


def _survey_url(survey_id: int) -> str:
    return reverse("clusters:survey-detail", args=[survey_id])


@route("surveys/<int:pk>/")
@record_page(_survey, "clusters/survey_detail.html", "survey")
def survey_detail(request, survey):
    cluster = survey.cluster
    batches = list(survey.batches.select_related("recorded_by", "voided_by"))
    return {
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


# The pages that write on one village's survey, each back to the survey's page.
SURVEY = RecordForm(
    managed(SURVEYS),
    "survey",
    parent="cluster",
    redirect_to=lambda survey: _survey_url(survey.pk),
)

survey_handed_out = SURVEY.form(
    HandedOutForm,
    services.set_forms_handed_out,
    template="clusters/handed_out_form.html",
    success=gettext_lazy("The number of forms handed out was saved."),
    edit=True,
).view("surveys/<int:pk>/handed-out/", "survey-handed-out")

survey_batch_add = SURVEY.form(
    BatchForm,
    services.record_consent_batch,
    initial=lambda survey: {"batch_date": clock.today()},
    template="clusters/batch_form.html",
    success=lambda batch: _("The batch was added to %(village)s's tally.") % {"village": batch.survey.village.name},
).view("surveys/<int:pk>/batches/add/", "survey-batch-add")


# The pages that write on one batch, each back to its survey's page.
BATCH = RecordForm(
    managed(
        ConsentBatch.objects.select_related("survey__cluster__township", "survey__village"),
        lambda batch: batch.survey.cluster,
    ),
    "batch",
    context=lambda batch: {"survey": batch.survey, "cluster": batch.survey.cluster},
    redirect_to=lambda batch: _survey_url(batch.survey_id),
)

batch_correct = BATCH.form(
    BatchCorrectionForm,
    services.correct_consent_batch,
    initial=lambda batch: {name: getattr(batch, name) for name in ["returned", "agree", "disagree", "invalid"]},
    template="clusters/batch_correct.html",
    success=gettext_lazy("The batch was corrected; its change history keeps the old numbers."),
    edit=True,
).view("batches/<int:pk>/correct/", "batch-correct")

batch_void = BATCH.form(
    ReasonForm, services.void_consent_batch, success=gettext_lazy("The batch was voided; it no longer counts.")
).post_view("batches/<int:pk>/void/", "batch-void")


def _opinions_url(cluster) -> str:
    return f"{cluster.get_absolute_url()}#opinions"


opinion_add = RecordForm(
    managed_cluster,
    "cluster",
    OpinionForm,
    services.record_opinion,
    form_kwargs=lambda cluster: {
        "villages": Village.objects.filter(cluster_memberships__cluster=cluster).distinct().order_by("code")
    },
    initial=lambda cluster: {"received_on": clock.today()},
    template="clusters/opinion_form.html",
    success=gettext_lazy("The opinion was recorded."),
    redirect_to=_opinions_url,
).view("<int:pk>/opinions/add/", "opinion-add")


opinion_answer = RecordForm(
    managed(ConsentOpinion.objects.select_related("cluster__township", "village")),
    "opinion",
    AnswerForm,
    services.answer_opinion,
    template="clusters/opinion_answer.html",
    parent="cluster",
    success=gettext_lazy("The answer was recorded."),
    redirect_to=lambda opinion: _opinions_url(opinion.cluster),
    edit=True,
).view("opinions/<int:pk>/answer/", "opinion-answer")
