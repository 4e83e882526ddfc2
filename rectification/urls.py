from lianchun.routing import routes

from . import views

app_name = "rectification"

urlpatterns = routes(views)
