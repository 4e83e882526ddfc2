from django.contrib.auth import views as auth_views
from django.urls import path

from lianchun.routing import routes

from . import views

app_name = "accounts"

urlpatterns = [
    *routes(views),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password-change-done",
    ),
]
