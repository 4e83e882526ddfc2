"""The navigation bar: each app adds its entries; each user sees what its role may open.

    navigation.register(NavItem(_("Villages"), "villages:village-list", roles=ALL_PLACE_ROLES, order=20))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from accounts.models import COUNTY_ROLES, Role

ALL_PLACE_ROLES = frozenset({Role.TOWNSHIP_CADRE, *COUNTY_ROLES})
CADRE = frozenset({Role.TOWNSHIP_CADRE})
COUNTY_OFFICE = frozenset({Role.COUNTY_OFFICE})
COUNTY_ROLES = frozenset(COUNTY_ROLES)


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    roles: frozenset
    order: int = 50
    icon: str = ""
    visible: Callable[[Any], bool] | None = None


_items: list[NavItem] = []


def register(item: NavItem) -> NavItem:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
    return item


def items_for(user: Any) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    has_place = user.is_township_cadre or user.is_county_role
    result = []
    for item in sorted(_items, key=lambda i: i.order):
        if not has_place or user.role not in item.roles:
            continue
        if item.visible is not None and not item.visible(user):
            continue
        result.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name, "icon": item.icon})
    return result
