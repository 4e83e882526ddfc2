"""Our own error pages: in Chinese, with the navigation when the user is logged in, saying what to do.

Django's defaults are bare English pages (400, 403, 404), or ask to set DEBUG
(CSRF). The 500 page renders without the request context: the database or a
context processor may be what failed, so it only shows the request id a cadre
can quote to the administrator.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("lianchun.errors")


def _render(request, template_name: str, status: int, context: dict | None = None) -> HttpResponse:
    context = {"request_id": getattr(request, "request_id", ""), **(context or {})}
    body = loader.get_template(template_name).render(context, request)
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, "errors/400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    from accounts.security import record_denied_request

    record_denied_request(request, status=403)
    message = str(exception) if exception is not None and str(exception) else ""
    if message == gettext("Your role may not do this."):
        message = ""  # the page's heading already says it
    return _render(request, "errors/403.html", 403, {"message": message})


@requires_csrf_token
def page_not_found(request, exception=None):
    from accounts.security import record_denied_request
    from lianchun.scoping import NotVisible

    if isinstance(exception, NotVisible):
        record_denied_request(request, status=404)
    return _render(request, "errors/404.html", 404)


def server_error(request):
    body = loader.get_template("errors/500.html").render({"request_id": getattr(request, "request_id", "")})
    return HttpResponse(body, status=500)


def csrf_failure(request, reason: str = ""):
    """The form was open too long (or cookies are off): say so, and that the typed text is kept."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return _render(request, "errors/403_csrf.html", 403)
