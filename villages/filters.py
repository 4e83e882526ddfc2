"""The village list's filters (django-filter), with the township dropdown scoped to the user's places."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Standing, Township


class VillageFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"placeholder": _("Name or code")})
    )
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=Township.objects.none(), empty_label=_("All townships")
    )
    standing = django_filters.ChoiceFilter(
        label=_("Standing"), choices=Standing.choices, empty_label=_("All standings")
    )
    weak = django_filters.BooleanFilter(label=_("Weak and lax only"), method="only_weak", widget=forms.CheckboxInput)

    def __init__(self, data: Any = None, *, queryset: Any, user: Any) -> None:
        super().__init__(data, queryset=queryset)
        # The dropdown is built from the user's own scope, never from all townships.
        self.filters["township"].queryset = Township.objects.visible_to(user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))

    def only_weak(self, queryset, name, value):
        return queryset.filter(is_weak=True) if value else queryset
