from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("open/", views.notification_open, name="notification-open"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("reporting/", views.reporting, name="reporting"),
    path("reporting/chase/", views.chase, name="chase"),
    path("answers/", views.answers, name="answers"),
    path("answers/<int:pk>/read/", views.answer_read, name="answer-read"),
]
