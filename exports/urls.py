from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("workbooks/<slug:topic>.xlsx", views.workbook, name="workbook"),
    path("county-summary.pdf", views.county_summary_pdf, name="county-summary-pdf"),
    path("weekly-compilation.pdf", views.weekly_compilation_pdf, name="weekly-compilation-pdf"),
    path("clusters/<int:pk>/profile.pdf", views.cluster_profile_pdf, name="cluster-profile-pdf"),
    path("jobs/status.json", views.job_status, name="job-status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
]
