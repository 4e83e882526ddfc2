"""Township scoping: the one place that decides which records a user may see.

Every scoped model uses ScopedQuerySet (through `ScopedManager`) and names the
lookup paths from itself to its township and county. City and province roles
reach records through the same county path: a record is theirs when its county
lies beneath their city or province, so no model names a third path. Lists, details, forms,
filters, exports and totals all start from `Model.objects.visible_to(user)` or
`get_visible_or_404(...)`; a record outside the user's reach answers 404, the
same as a record that does not exist. Rights to *act* on a visible record are
role questions answered by services and `require_role` (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _


def scope_queryset(queryset: models.QuerySet, user: Any) -> models.QuerySet:
    """Filter `queryset` down to what `user` may see; the single scoping rule."""
    model = queryset.model
    township_path = getattr(model, "scope_township_path", None)
    county_path = getattr(model, "scope_county_path", None)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_township_cadre:
        if township_path is None:
            return queryset.none()
        return queryset.filter(**{township_path: user.township_id})
    if user.is_county_role:
        if county_path is None:
            return queryset.none()
        return queryset.filter(**{county_path: user.county_id})
    if getattr(user, "is_region_role", False):
        if county_path is None:
            return queryset.none()
        queryset = queryset.filter(**{f"{county_path}__in": counties_beneath(user)})
        focus = getattr(user, "county_focus", None)
        # The county filter of a city or province role narrows within its reach, never beyond it.
        return queryset.filter(**{county_path: focus}) if focus else queryset
    # Administrators, security auditors and users without a place see no records (separated duties).
    return queryset.none()


def counties_beneath(user: Any) -> models.QuerySet:
    """The ids of the counties under a city or province role, as a subquery (one SQL statement with its caller)."""
    from villages.models import County

    if user.is_city_role:
        return County.objects.filter(city_id=user.city_id).values("pk")
    return County.objects.filter(city__province_id=user.province_id).values("pk")


COUNTY_PARAMETER = "county"


class CountyFocusMiddleware:
    """A city or province role's county filter (`?county=<id>`) for the whole request.

    Every county page and list reads through `visible_to`, so setting the focus here narrows all
    of them to one county beneath the role at once; a county outside its reach shows nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .params import int_param

        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_region_role", False):
            user.county_focus = int_param(request.GET.get(COUNTY_PARAMETER))
        return self.get_response(request)


def counties_in_reach(user: Any) -> models.QuerySet:
    """The counties a city or province role may choose in its county filter (none for anyone else)."""
    from villages.models import County

    if not getattr(user, "is_region_role", False):
        return County.objects.none()
    return County.objects.filter(pk__in=counties_beneath(user)).order_by("code")


def _follow(record: Any, path: str) -> Any:
    for name in path.split("__"):
        record = getattr(record, name)
    return record


def in_users_township(user: Any, record: Any) -> bool:
    """The record lies in the user's own township, followed along its `scope_township_path` (a chain of keys)."""
    return user.township_id is not None and _follow(record, type(record).scope_township_path) == user.township_id


def in_users_county(user: Any, record: Any) -> bool:
    """The record lies in the user's own county, followed along its `scope_county_path` (a chain of keys)."""
    return user.county_id is not None and _follow(record, type(record).scope_county_path) == user.county_id


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ScopedQuerySet:
        return scope_queryset(self, user)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class NotVisible(Http404):
    """404 from scoping: the record does not exist or lies outside the user's reach (the security log notes it)."""


def get_visible_or_404(queryset_or_model: Any, user: Any, **lookup: Any) -> Any:
    """The record if `user` may see it; otherwise 404, exactly as if it did not exist."""
    if isinstance(queryset_or_model, models.QuerySet):
        queryset = queryset_or_model
    else:
        queryset = queryset_or_model._default_manager.all()
    queryset = scope_queryset(queryset, user)
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotVisible(_("No such record.")) from None


def require(condition: bool, message: str | None = None) -> None:
    """403 when a role acts beyond its rights on a record it may see."""
    if not condition:
        raise PermissionDenied(message or _("Your role may not do this."))


def require_role(user: Any, *roles: Iterable[str]) -> None:
    require(getattr(user, "is_active", False) and getattr(user, "role", None) in roles)


def require_place(user: Any) -> None:
    """403 unless the user has a place: a township cadre, a county role, or a city or province role reading
    the counties beneath it (not the administrator nor the auditor)."""
    require(
        getattr(user, "is_township_cadre", False)
        or getattr(user, "is_county_role", False)
        or getattr(user, "is_region_role", False)
    )


def require_local_place(user: Any) -> None:
    """403 unless a township cadre or a county role: pages that act for one county, not for the tiers above it."""
    require(getattr(user, "is_township_cadre", False) or getattr(user, "is_county_role", False))


def oversees_counties(user: Any) -> bool:
    """A role that reads county pages: a county role for its county, a city or province role for every county beneath it."""
    return bool(getattr(user, "is_county_role", False) or getattr(user, "is_region_role", False))
