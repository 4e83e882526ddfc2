from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .audit import history_entries
from .scoping import get_visible_or_404
from .workbench import workbench as registry

# Models whose 修改记录 page may be opened, as "app_label.model_name"; apps add theirs in ready().
HISTORY_MODELS: set[str] = set()


def home(request):
    if request.user.is_authenticated:
        return redirect("workbench")
    return redirect("accounts:login")


@login_required
def workbench(request):
    items = registry.items_for(request.user)
    return render(request, "lianchun/workbench.html", {"items": items})


@login_required
def record_history(request, model: str, pk: int):
    if model not in HISTORY_MODELS:
        raise Http404(_("No such record."))
    model_class = apps.get_model(model)
    record = get_visible_or_404(model_class, request.user, pk=pk)
    return render(
        request,
        "lianchun/record_history.html",
        {"record": record, "entries": history_entries(record), "model_name": model_class._meta.verbose_name},
    )
