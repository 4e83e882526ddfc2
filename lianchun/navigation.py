"""The navigation bar: each app adds its entries; each user sees what its role may open.

navigation.register(NavItem(_("Villages"), "villages:village-list", roles=ALL_PLACE_ROLES, order=20))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.translation import pgettext_lazy

from accounts.models import CITY_ROLES, COUNTY_ROLES, PROVINCE_ROLES, Role

ALL_PLACE_ROLES = frozenset({Role.TOWNSHIP_CADRE, *COUNTY_ROLES})
CADRE = frozenset({Role.TOWNSHIP_CADRE})
COUNTY_OFFICE = frozenset({Role.COUNTY_OFFICE})
COUNTY_ROLES = frozenset(COUNTY_ROLES)
REGION_ROLES = frozenset({*CITY_ROLES, *PROVINCE_ROLES})
# City and province roles read the county pages, so they see the county's entries (the downloads too:
# files over a city's or province's rows are made in the background).


def shown_to(user: Any, item: NavItem) -> bool:
    if user.role in item.roles:
        return True
    return bool(user.is_region_role and item.roles & COUNTY_ROLES)


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


# Entries of one area share a menu, so the bar fits an office PC's 1366 pixels.
GROUPS: dict[str, tuple[Any, str]] = {
    "villages": (pgettext_lazy("navigation group", "Places"), "bi-geo-alt"),
    "clusters": (pgettext_lazy("navigation group", "Clusters"), "bi-diagram-3"),
    "reports": (pgettext_lazy("navigation group", "Weekly reports"), "bi-journal-text"),
    "meetings": (pgettext_lazy("navigation group", "Meetings"), "bi-people"),
    "rectification": (pgettext_lazy("navigation group", "Rectification"), "bi-clipboard-check"),
}


def items_for(user: Any) -> list[dict[str, Any]]:
    """Navigation entries for `user`; an area with several entries becomes one menu of them.

    Every page shows the bar: what a role sees is worked out (and its URLs reversed) once per role, unless an
    entry decides per user (`visible`).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    if any(item.visible is not None for item in _items):
        return _items_for(user)
    has_place = user.is_township_cadre or user.is_county_role or user.is_region_role
    key = (user.role, has_place, user.is_region_role, get_script_prefix(), len(_items))
    if key not in _by_role:
        _by_role[key] = _items_for(user)
    return _by_role[key]


_by_role: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def is_shared(entries: list[dict[str, Any]]) -> bool:
    """Whether `entries` is a role's shared list (kept for the life of the process), not one user's own."""
    return any(entries is shared for shared in _by_role.values())


def _items_for(user: Any) -> list[dict[str, Any]]:
    has_place = user.is_township_cadre or user.is_county_role or user.is_region_role
    entries: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in sorted(_items, key=lambda i: i.order):
        if not has_place or not shown_to(user, item):
            continue
        if item.visible is not None and not item.visible(user):
            continue
        link = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name, "icon": item.icon}
        namespace = item.url_name.split(":", 1)[0]
        if namespace in GROUPS:
            if namespace not in groups:
                label, icon = GROUPS[namespace]
                groups[namespace] = {"label": label, "icon": icon, "children": [], "namespace": namespace}
                entries.append(groups[namespace])
            groups[namespace]["children"].append(link)
        else:
            entries.append(link)
    # A menu of one is just a link.
    return [entry["children"][0] if "children" in entry and len(entry["children"]) == 1 else entry for entry in entries]
