from lianchun.routing import routes

from . import views

app_name = "assessments"

urlpatterns = routes(views)
