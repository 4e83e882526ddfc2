from lianchun.routing import routes

from . import views

app_name = "meetings"

urlpatterns = routes(views)
