"""The project's URLs plus a view that forgot @login_required, to prove the deny-by-default middleware."""

from django.http import HttpResponse
from django.urls import path

from lianchun.urls import urlpatterns as project_urlpatterns


def forgot_the_decorator(request):
    return HttpResponse("record data")


urlpatterns = [path("forgot/", forgot_the_decorator, name="forgot"), *project_urlpatterns]
