"""The product's URLs plus an admin site of the benchmark's own, listing the weekly reports.

The product's admin keeps showing accounts only; this site exists only while
`make bench-scale` runs, as the yardstick every page is compared with.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from lianchun.urls import urlpatterns as product_urlpatterns
from reports.models import WeeklyReport

site = admin.AdminSite(name="bench_admin")


class WeeklyReportAdmin(admin.ModelAdmin):
    list_display = ("cluster", "iso_year", "iso_week", "state", "submitted_at")
    list_filter = ("state", "iso_year")
    list_select_related = ("cluster",)


site.register(WeeklyReport, WeeklyReportAdmin)

urlpatterns = [*product_urlpatterns, path("bench-admin/", site.urls)]
