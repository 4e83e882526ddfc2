"""List filters of meetings (django-filter); every dropdown is scoped to what the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from villages.models import Township

from .models import Decision, Meeting, MeetingIssue, MeetingKind


def _visible_townships(request):
    return (
        Township.objects.visible_to(request.user).order_by("code") if request is not None else Township.objects.none()
    )


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("meeting", "Kind"), choices=MeetingKind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Meeting
        fields = ["kind"]


class IssueFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), queryset=_visible_townships, empty_label=_("All townships")
    )

    class Meta:
        model = MeetingIssue
        fields = ["township"]


class DecisionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Decision.Status.choices, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = Decision
        fields: list[str] = []

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)
