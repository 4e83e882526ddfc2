from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("overview/", views.overview, name="overview"),
    path("new/", views.plan_create, name="plan-create"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/void/", views.plan_void, name="plan-void"),
    path("<int:pk>/items/new/", views.item_create, name="item-create"),
    path("<int:pk>/propose/", views.plan_propose, name="plan-propose"),
    path("<int:pk>/advise/", views.plan_advise, name="plan-advise"),
    path("<int:pk>/review/", views.plan_review, name="plan-review"),
    path("<int:pk>/stage/", views.plan_stage, name="plan-stage"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/remove/", views.item_remove, name="item-remove"),
    path("items/<int:pk>/progress/", views.item_progress, name="item-progress"),
    path("ledgers/", views.ledger_overview, name="ledger-overview"),
    path("ledgers/settings/", views.ledger_settings, name="ledger-settings"),
    path("ledgers/village/<int:pk>/", views.ledger_village, name="ledger-village"),
    path("ledgers/village/<int:pk>/new/", views.entry_create, name="entry-create"),
    path("ledgers/entries/<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("ledgers/entries/<int:pk>/void/", views.entry_void, name="entry-void"),
]
