from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("clusters/<int:cluster_pk>/<str:week>/", views.report_write, name="report-write"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("<int:pk>/answer/", views.report_answer, name="report-answer"),
    path("<int:pk>/return/", views.report_return, name="report-return"),
    path("<int:pk>/versions/<int:number>/", views.report_version, name="report-version"),
    path("inbox/", views.inbox, name="inbox"),
    path("completeness/", views.completeness_week, name="completeness"),
    path("completeness/grid/", views.completeness_grid, name="completeness-grid"),
]
