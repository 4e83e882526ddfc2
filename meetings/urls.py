from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("calendar/", views.meeting_calendar, name="meeting-calendar"),
    path("rhythm/", views.meeting_rhythm, name="meeting-rhythm"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/notice/", views.meeting_notice, name="meeting-notice"),
    path("<int:pk>/attendance/", views.attendance_add, name="attendance-add"),
    path("<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("<int:pk>/void/", views.meeting_void, name="meeting-void"),
    path("<int:pk>/issues/new/", views.issue_create, name="issue-create"),
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/outcome/", views.issue_outcome, name="issue-outcome"),
    path("issues/<int:pk>/publish/", views.issue_publish, name="issue-publish"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/new/", views.decision_create, name="decision-create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/step/", views.decision_step, name="decision-step"),
]
