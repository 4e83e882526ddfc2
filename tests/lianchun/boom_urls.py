"""The project's URLs plus one view that fails, to see the 500 page a cadre would meet."""

from django.urls import path

from lianchun.urls import handler400, handler403, handler404, handler500
from lianchun.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("boom/", boom, name="boom"), *project_urlpatterns]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
