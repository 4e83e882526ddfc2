from django.urls import path

from . import region_views, views

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="village-list"),
    path("<int:pk>/", views.village_detail, name="village-detail"),
    path("<int:pk>/edit/", views.village_edit, name="village-edit"),
    path("<int:pk>/standing/", views.village_standing, name="village-standing"),
    path("townships/", views.township_list, name="township-list"),
    path("townships/new/", views.township_create, name="township-create"),
    path("roster/template/", views.roster_template, name="roster-template"),
    path("roster/import/", views.roster_import, name="roster-import"),
    path("roster/import/<int:pk>/", views.roster_preview, name="roster-preview"),
    path("roster/import/<int:pk>/confirm/", views.roster_confirm, name="roster-confirm"),
    *(
        path(f"region/{figure}/", region_views.compare_counties, {"figure": figure}, name=f"region-{figure}")
        for figure in region_views.PAGES
    ),
]
