from django.urls import path

from lianchun import clock
from lianchun.views import TransitionView

from . import views
from .workflows import FLOW

app_name = "clusters"


def _step(name: str, **kwargs):
    return TransitionView.as_view(
        flow=FLOW,
        transition=name,
        template_name="clusters/transition.html",
        extra_context=views.transition_context,
        **kwargs,
    )


urlpatterns = [
    path("", views.cluster_list, name="cluster-list"),
    path("propose/", views.cluster_propose, name="cluster-propose"),
    path("review/", views.review_queue, name="review-queue"),
    path("coverage/", views.coverage, name="coverage"),
    path("model-charter/", views.model_charter, name="model-charter"),
    path("<int:pk>/", views.cluster_detail, name="cluster-detail"),
    path("<int:pk>/edit/", views.cluster_edit, name="cluster-edit"),
    path("<int:pk>/members/", views.cluster_members, name="cluster-members"),
    path("<int:pk>/officers/", views.cluster_officers, name="cluster-officers"),
    path("<int:pk>/documents/", views.cluster_documents, name="cluster-documents"),
    path("<int:pk>/opinions/add/", views.opinion_add, name="opinion-add"),
    path("<int:pk>/start-consultation/", _step("start_consultation"), name="cluster-start-consultation"),
    path("<int:pk>/submit/", _step("submit"), name="cluster-submit"),
    path(
        "<int:pk>/approve/",
        _step("approve", initial=lambda cluster: {"established_on": clock.today()}),
        name="cluster-approve",
    ),
    path("<int:pk>/return/", _step("return"), name="cluster-return"),
    path(
        "<int:pk>/dissolve/",
        _step("dissolve", initial=lambda cluster: {"dissolved_on": clock.today()}),
        name="cluster-dissolve",
    ),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer-edit"),
    path("officers/<int:pk>/void/", views.officer_void, name="officer-void"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/handed-out/", views.survey_handed_out, name="survey-handed-out"),
    path("surveys/<int:pk>/batches/add/", views.survey_batch_add, name="survey-batch-add"),
    path("batches/<int:pk>/correct/", views.batch_correct, name="batch-correct"),
    path("batches/<int:pk>/void/", views.batch_void, name="batch-void"),
    path("opinions/<int:pk>/answer/", views.opinion_answer, name="opinion-answer"),
]
