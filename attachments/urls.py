from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("upload/<str:model>/<int:pk>/", views.upload, name="upload"),
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("<int:pk>/void/", views.void, name="void"),
]
