from django.contrib import admin
from django.urls import include, path

from . import health, views
from .routing import routes

urlpatterns = [
    *routes(views, health),
    path("accounts/", include("accounts.urls")),
    path("villages/", include("villages.urls")),
    path("clusters/", include("clusters.urls")),
    path("reports/", include("reports.urls")),
    path("meetings/", include("meetings.urls")),
    path("rectification/", include("rectification.urls")),
    path("exports/", include("exports.urls")),
    path("notifications/", include("notifications.urls")),
    path("attachments/", include("attachments.urls")),
    path("assessments/", include("assessments.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "联村治理台账 · 账户管理"
admin.site.site_title = "联村治理台账"
admin.site.index_title = "账户管理"

handler400 = "lianchun.errors.bad_request"
handler403 = "lianchun.errors.permission_denied"
handler404 = "lianchun.errors.page_not_found"
handler500 = "lianchun.errors.server_error"
