"""What a cadre typed while the session ran out comes back after the login, on every form.

On a slow connection a report, minutes or a plan can take longer to type than the 30 idle minutes a session
lasts (lianchun/sessions.py). The save that follows reaches no view: Django's LoginRequiredMiddleware sends the
browser to the login page. Ours (`LoginRequiredKeepingTypedMiddleware`, which extends it) keeps the posted
text in the session under the page's path first (the login keeps a session's data), and the form page, opened
again after the login, shows it unsaved with a message to save it: `restore(request, form)`, which the shared form pages call
(lianchun.editing's `form_page` and `edit_record`, the step pages of lianchun.views). An edit form's version
token comes back with the text, so a save over someone else's meanwhile is still refused. Files are not kept.

Text comes back only to the account that typed it. A signed cookie that lasts as long as the browser
(ACCOUNT_COOKIE, set at every signed-in response, removed at log-out) names the account last signed in; a post
is kept for that account, and nothing is kept when the browser has none (logged out, or never signed in). On an
office PC shared by two cadres, the next one to sign in does not get the first one's text: a login drops what
was kept for another account.

Anyone can post without a login, so keeping is bounded: KEEP_CHARACTERS per post, KEEP_PAGES per session, and
KEEP_PER_ADDRESS kept posts per client address in any hour (a cadre whose session ran out posts once or twice; a
script posting in a loop from one address fills no table). They are counted in the default cache, a table every
web process shares (settings.CACHES), and counted exactly: several processes, and posts arriving at the same
instant, keep no more than one process posting in turn would. A session written for nothing but kept text lasts
the idle 30 minutes of any session and is then removed (lianchun.sessions).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .requestlog import client_address

UNSAVED_FORMS = "unsaved_forms"
# The pages kept at once (a form typed elsewhere meanwhile pushes out the oldest), and the most text kept of one
# post (about fifty pages): a post of megabytes from anyone is not written into a session, nor cut short.
KEEP_PAGES = 3
KEEP_CHARACTERS = 100_000
NOT_KEPT = frozenset({"csrfmiddlewaretoken"})
KEEP_PER_ADDRESS = 30
KEEP_WINDOW_SECONDS = 60 * 60
ACCOUNT_COOKIE = "lianchun_account"
ACCOUNT_SALT = "lianchun.unsaved.account"


def _account_of_browser(request: HttpRequest) -> int | None:
    """The account last signed in on this browser (the signed cookie), or None."""
    value = request.get_signed_cookie(ACCOUNT_COOKIE, default=None, salt=ACCOUNT_SALT)
    return int(value) if value and value.isdigit() else None


def _remember_account(request: HttpRequest, response: HttpResponse) -> None:
    """Name the signed-in account in the browser's cookie (once it differs); remove it after a log-out."""
    user = getattr(request, "user", None)
    if getattr(request, "_unsaved_forget_account", False):
        response.delete_cookie(ACCOUNT_COOKIE, samesite="Lax")
    elif user is not None and user.is_authenticated and _account_of_browser(request) != user.pk:
        response.set_signed_cookie(
            ACCOUNT_COOKIE,
            str(user.pk),
            salt=ACCOUNT_SALT,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )


@receiver(user_logged_in, dispatch_uid="unsaved_kept_for_this_account_only")
def _drop_what_another_account_typed(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any):
    session = getattr(request, "session", None)
    kept = session.get(UNSAVED_FORMS) if session is not None else None
    if kept:
        session[UNSAVED_FORMS] = {path: entry for path, entry in kept.items() if entry.get("account") == user.pk}


@receiver(user_logged_out, dispatch_uid="unsaved_account_forgotten")
def _forget_account(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None:
        request._unsaved_forget_account = True


def keep(request: HttpRequest) -> bool:
    """Keep what `request` posted, under its path, for the next time that page is opened (not a post of nothing)."""
    posted = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
    size = sum(len(value) for values in posted.values() for value in values)
    if size > KEEP_CHARACTERS or not any(value.strip() for values in posted.values() for value in values):
        return False
    account = _account_of_browser(request)
    if account is None or not _address_may_keep(request):
        return False
    kept = request.session.get(UNSAVED_FORMS, {})
    kept.pop(request.path, None)
    kept[request.path] = {"account": account, "posted": posted}
    request.session[UNSAVED_FORMS] = dict(list(kept.items())[-KEEP_PAGES:])
    return True


def _address_may_keep(request: HttpRequest) -> bool:
    """Take one of the client address's KEEP_PER_ADDRESS places for kept posts, each held an hour; False when
    every place is held.

    A place is a key of the shared cache, taken with `cache.add`, which writes a key only where none is held: in
    the database cache the key is the table's primary key, so of two processes taking one place at the same
    instant one is refused and tries the next. A count read and written back would let both through.
    """
    places = [f"unsaved-kept:{client_address(request)}:{number}" for number in range(KEEP_PER_ADDRESS)]
    held = cache.get_many(places)
    return any(cache.add(place, 1, timeout=KEEP_WINDOW_SECONDS) for place in places if place not in held)


def restore(request: HttpRequest, form: forms.BaseForm) -> forms.BaseForm:
    """`form` bound to the text kept for this page when the session ran out (once), or unchanged."""
    kept = request.session.get(UNSAVED_FORMS)
    if not kept or request.path not in kept:
        return form
    entry = kept.pop(request.path)
    request.session.modified = True
    if entry.get("account") != request.user.pk:
        return form
    form.data = MultiValueDict(entry["posted"])
    form.is_bound = True
    form._errors = None
    messages.info(
        request, _("The text you typed before your session expired is back. It is not saved yet: save it now.")
    )
    return form


class LoginRequiredKeepingTypedMiddleware(LoginRequiredMiddleware):
    """Django's deny-by-default middleware, which also keeps a post that arrives after the session ran out, and
    sends the browser back, after the login, to the page the form was on rather than to where it posted (a form
    on a record's page may post to an address that answers nothing but a post)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        _remember_account(request, response)
        return response

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> HttpResponse:
        if request.method != "POST":
            return super().handle_no_permission(request, view_func)
        if keep(request):
            messages.warning(request, _("Your session expired. Log in again: what you typed is kept."))
        return redirect_to_login(_page_posted_from(request), resolve_url(self.get_login_url(view_func)))


def _page_posted_from(request: HttpRequest) -> str:
    """The page of this site the post came from (its Referer), or the address it posted to."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        page = urlsplit(referer)
        return page.path + (f"?{page.query}" if page.query else "")
    return request.get_full_path()
