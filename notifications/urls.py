from lianchun.routing import routes

from . import views

app_name = "notifications"

urlpatterns = routes(views)
