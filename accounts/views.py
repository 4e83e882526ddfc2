from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianchun.routing import route
from lianchun.scoping import require
from lianchun.workbench import URGENT, WorkItem

from . import security
from .forms import LoginForm, PasswordChangeForm
from .models import Role, SecurityEvent, User


@route("login/")
@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@route("password/")
class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        security.record(SecurityEvent.Kind.PASSWORD_CHANGED, request=self.request, user=self.request.user)
        return response


class SecurityLogFilter(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("event"), required=False, choices=[("", "—"), *SecurityEvent.Kind.choices]
    )
    username = forms.CharField(label=gettext_lazy("username"), required=False, max_length=150)
    address = forms.CharField(label=gettext_lazy("address"), required=False, max_length=45)
    request_id = forms.CharField(label=gettext_lazy("request number"), required=False, max_length=64)
    since = forms.DateField(label=gettext_lazy("Since"), required=False)
    until = forms.DateField(label=gettext_lazy("Until"), required=False)

    def filter(self, events):
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["username"]:
            events = events.filter(username__icontains=data["username"])
        if data["address"]:
            events = events.filter(address__startswith=data["address"])
        if data["request_id"]:
            events = events.filter(request_id=data["request_id"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            events = events.filter(at__gte=datetime.datetime.combine(data["since"], datetime.time.min, zone))
        if data["until"]:
            events = events.filter(
                at__lt=datetime.datetime.combine(data["until"] + datetime.timedelta(days=1), datetime.time.min, zone)
            )
        return events


@route("security-log/")
def security_log(request):
    """The auditor's page: every security event, newest first, filterable; nothing else of the product."""
    require(request.user.is_security_auditor)
    form = SecurityLogFilter(request.GET or {})
    events = form.filter(SecurityEvent.objects.select_related("by"))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/security_log.html",
        {"form": form, "page_obj": page, "query": query.urlencode(), "retention_days": security.retention().days},
    )


@route("account-changes/")
def account_changes(request):
    """The audit trail of accounts for the auditor: every change of role, place, status or admin rights."""
    require(request.user.is_security_auditor)
    history = User.history.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    rows = []
    for entry in page:
        previous = entry.prev_record
        changes = []
        if previous is not None:
            delta = entry.diff_against(previous)
            changes = [
                (_field_label(change.field), _shown(change.field, change.old), _shown(change.field, change.new))
                for change in delta.changes
            ]
        rows.append({"entry": entry, "changes": changes})
    return render(request, "accounts/account_changes.html", {"page_obj": page, "rows": rows})


AUDIT_TRAIL_ROWS = 200


@route("audit-trail/")
def audit_trail(request):
    """The audit trail for the auditor: who changed which kind of record, when and why; never the record's content.

    The latest AUDIT_TRAIL_ROWS changes over every model with a history, filterable by kind of record and by person.
    """
    from django.apps import apps

    from lianchun.views import HISTORY_MODELS

    require(request.user.is_security_auditor)
    models = sorted(
        (apps.get_model(label) for label in HISTORY_MODELS), key=lambda model: str(model._meta.verbose_name)
    )
    chosen = request.GET.get("model", "")
    person = request.GET.get("username", "").strip()[:150]
    rows = []
    for model in models:
        if chosen and model._meta.label_lower != chosen:
            continue
        history = model.history.select_related("history_user").order_by("-history_date")
        if person:
            history = history.filter(history_user__username__icontains=person)
        for entry in history[:AUDIT_TRAIL_ROWS]:
            rows.append({"model": model._meta.verbose_name, "entry": entry})
    rows.sort(key=lambda row: row["entry"].history_date, reverse=True)
    choices = [(model._meta.label_lower, model._meta.verbose_name) for model in models]
    return render(
        request,
        "accounts/audit_trail.html",
        {"rows": rows[:AUDIT_TRAIL_ROWS], "choices": choices, "chosen": chosen, "person": person},
    )


def _field_label(name: str) -> str:
    try:
        return str(User._meta.get_field(name).verbose_name)
    except Exception:  # a field the history has and the model no longer has
        return name


def _shown(name: str, value):
    if name == "role" and value in Role.values:
        return Role(value).label
    if name in {"county", "township"} and value is not None:
        related = User._meta.get_field(name).related_model
        return related.objects.filter(pk=value).first() or value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def security_alerts(user) -> list[WorkItem]:
    """Workbench items for the administrator (and the auditor): usernames under attack in the last day."""
    if not (user.is_administrator or user.is_security_auditor):
        return []
    since = timezone.now() - datetime.timedelta(days=1)
    alerts = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ALERT, at__gte=since)
    items = []
    for username in sorted(set(alerts.values_list("username", flat=True))):
        items.append(
            WorkItem(
                title=_("Many wrong passwords for the account %(username)s") % {"username": username},
                url=(
                    reverse("accounts:security-log") + "?" + urlencode({"username": username})
                    if user.is_security_auditor
                    else reverse("admin:accounts_user_changelist") + "?" + urlencode({"q": username})
                ),
                detail=_("Tried from several addresses in a short time; nobody was locked out. Tell its owner."),
                level=URGENT,
                icon="bi-shield-exclamation",
            )
        )
    return items


__all__ = ["LoginView", "PasswordChangeView", "account_changes", "security_alerts", "security_log"]
