"""List filters (django-filter): what a list may be narrowed by, with dropdowns scoped to the user."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LedgerEntry, LedgerKind, PlanStatus, RectificationPlan

SELECT = forms.Select(attrs={"class": "form-select"})


class PlanFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PlanStatus.choices, empty_label=_("All statuses"), widget=SELECT
    )

    class Meta:
        model = RectificationPlan
        fields = ["status"]


def _kinds(request):
    """The ledgers of the user's county, through the scoping helper."""
    if request is None:
        return LedgerKind.objects.none()
    from .selectors import ledger_kinds

    return ledger_kinds(request.user)


class EntryFilter(django_filters.FilterSet):
    kind = django_filters.ModelChoiceFilter(
        label=_("Ledger"), queryset=_kinds, empty_label=_("All ledgers"), widget=SELECT
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=LedgerEntry.Status.choices, empty_label=_("All statuses"), widget=SELECT
    )

    class Meta:
        model = LedgerEntry
        fields = ["kind", "status"]
