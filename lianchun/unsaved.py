"""What a cadre typed while the session ran out comes back after the login, on every form.

On a slow connection a report, minutes or a plan can take longer to type than the 30 idle minutes a session
lasts (lianchun/sessions.py). The save that follows reaches no view: Django's LoginRequiredMiddleware sends the
browser to the login page. Just before it, `KeepUnsavedMiddleware` keeps the posted text in the session under
the page's path (the login keeps a session's data), and the form page, opened again after the login, shows
it unsaved with a message to save it: `restore(request, form)`, which the shared form pages call
(lianchun.editing's `form_page` and `edit_record`, the step pages of lianchun.views). An edit form's version
token comes back with the text, so a save over someone else's meanwhile is still refused. Files are not kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

UNSAVED_FORMS = "unsaved_forms"
# The pages kept at once (a form typed elsewhere meanwhile pushes out the oldest), and the most text kept of one
# post (about fifty pages): a post of megabytes from anyone is not written into a session, nor cut short.
KEEP_PAGES = 3
KEEP_CHARACTERS = 100_000
NOT_KEPT = frozenset({"csrfmiddlewaretoken"})


def keep(request: HttpRequest) -> bool:
    """Keep what `request` posted, under its path, for the next time that page is opened (not a post of nothing)."""
    posted = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
    size = sum(len(value) for values in posted.values() for value in values)
    if size > KEEP_CHARACTERS or not any(value.strip() for values in posted.values() for value in values):
        return False
    kept = request.session.get(UNSAVED_FORMS, {})
    kept.pop(request.path, None)
    kept[request.path] = posted
    request.session[UNSAVED_FORMS] = dict(list(kept.items())[-KEEP_PAGES:])
    return True


def restore(request: HttpRequest, form: forms.BaseForm) -> forms.BaseForm:
    """`form` bound to the text kept for this page when the session ran out (once), or unchanged."""
    kept = request.session.get(UNSAVED_FORMS)
    if not kept or request.path not in kept:
        return form
    posted = kept.pop(request.path)
    request.session.modified = True
    form.data = MultiValueDict(posted)
    form.is_bound = True
    form._errors = None
    messages.info(
        request, _("The text you typed before your session expired is back. It is not saved yet: save it now.")
    )
    return form


class KeepUnsavedMiddleware:
    """Before LoginRequiredMiddleware: a post to a page that needs a login, from a session that ran out, is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        if request.method != "POST" or request.user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        if keep(request):
            messages.warning(request, _("Your session expired. Log in again: what you typed is kept."))
        return None
