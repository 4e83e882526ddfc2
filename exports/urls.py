from lianchun.routing import routes

from . import views

app_name = "exports"

urlpatterns = routes(views)
