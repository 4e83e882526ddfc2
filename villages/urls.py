from lianchun.routing import routes

from . import region_views, views

app_name = "villages"

urlpatterns = routes(views, region_views)
