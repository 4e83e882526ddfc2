from lianchun.routing import routes

from . import import_views, views
from .workflows import FLOW

app_name = "clusters"

urlpatterns = [
    *routes(views, import_views),
    # start-consultation, submit, approve, return, dissolve: the steps the life cycle declares.
    *FLOW.urlpatterns(template_name="clusters/transition.html", extra_context=views.transition_context),
]
