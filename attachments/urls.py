from lianchun.routing import routes

from . import views

app_name = "attachments"

urlpatterns = routes(views)
