from lianchun.routing import routes

from . import views

app_name = "reports"

urlpatterns = routes(views)
