from django.urls import path

from . import import_views, views
from .workflows import FLOW

app_name = "clusters"

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
    # start-consultation, submit, approve, return, dissolve: the steps the life cycle declares.
    *FLOW.urlpatterns(template_name="clusters/transition.html", extra_context=views.transition_context),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer-edit"),
    path("officers/<int:pk>/void/", views.officer_void, name="officer-void"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/handed-out/", views.survey_handed_out, name="survey-handed-out"),
    path("surveys/<int:pk>/batches/add/", views.survey_batch_add, name="survey-batch-add"),
    path("batches/<int:pk>/correct/", views.batch_correct, name="batch-correct"),
    path("batches/<int:pk>/void/", views.batch_void, name="batch-void"),
    path("opinions/<int:pk>/answer/", views.opinion_answer, name="opinion-answer"),
    path("consent/template.xlsx", import_views.consent_template, name="consent-template"),
    path("consent/import/", import_views.consent_import, name="consent-import"),
    path("consent/import/<int:pk>/", import_views.consent_preview, name="consent-preview"),
    path("consent/import/<int:pk>/confirm/", import_views.consent_confirm, name="consent-confirm"),
]
