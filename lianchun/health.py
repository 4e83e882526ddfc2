"""/healthz: 200 while the database answers, 503 when it does not; no login, no record data.

GET or HEAD: load balancers and uptime checkers often ask with HEAD, and a 405 would read as the service down.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .routing import route


@route("healthz")
@login_not_required
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
