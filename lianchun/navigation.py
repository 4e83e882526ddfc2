"""The navigation bar: one table, `MENU`, declares it in the order users see it; each user sees what its role may open.

An entry computed at start-up (the city and province pages) is added with
navigation.register(NavItem(_("Label"), "app:url-name", roles=REGION_ROLES, order=12)).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
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


# The bar, area by area: the area's menu (label and icon; None for an area that is one link), then its entries
# (label, url name, roles, icon). Entries of one area share a menu, so the bar fits an office PC's 1366 pixels.
# Area n's entries take the orders 10n, 10n + 1, …: the first area's 12 and on are the city and province pages.
MENU: tuple[tuple[str, tuple[Any, str] | None, tuple[tuple[Any, str, frozenset, str], ...]], ...] = (
    (
        "villages",
        (pgettext_lazy("navigation group", "Places"), "bi-geo-alt"),
        (
            (_("Villages"), "villages:village-list", ALL_PLACE_ROLES, "bi-geo-alt"),
            (_("Townships"), "villages:township-list", COUNTY_ROLES, "bi-buildings"),
        ),
    ),
    (
        "clusters",
        (pgettext_lazy("navigation group", "Clusters"), "bi-diagram-3"),
        (
            (_("Cluster list"), "clusters:cluster-list", ALL_PLACE_ROLES, "bi-diagram-3"),
            (_("Proposals to review"), "clusters:review-queue", COUNTY_OFFICE, "bi-clipboard-check"),
            (_("Coverage"), "clusters:coverage", ALL_PLACE_ROLES, "bi-bar-chart"),
        ),
    ),
    (
        "reports",
        (pgettext_lazy("navigation group", "Weekly reports"), "bi-journal-text"),
        (
            (_("Weekly reports"), "reports:report-list", CADRE, "bi-journal-text"),
            (pgettext_lazy("navigation", "Report inbox"), "reports:inbox", COUNTY_OFFICE, "bi-inbox"),
            (
                pgettext_lazy("navigation", "Reporting completeness"),
                "reports:completeness",
                COUNTY_ROLES,
                "bi-bar-chart-line",
            ),
        ),
    ),
    (
        "notifications",
        None,
        (
            (
                pgettext_lazy("navigation", "Reporting this week and 催报"),
                "notifications:reporting",
                COUNTY_OFFICE,
                "bi-megaphone",
            ),
        ),
    ),
    (
        "meetings",
        (pgettext_lazy("navigation group", "Meetings"), "bi-people"),
        (
            (_("Meetings"), "meetings:meeting-list", ALL_PLACE_ROLES, "bi-people"),
            (_("Raised issues"), "meetings:issue-list", ALL_PLACE_ROLES, "bi-exclamation-diamond"),
            (_("Meeting calendar"), "meetings:meeting-calendar", ALL_PLACE_ROLES, "bi-calendar3"),
            (_("Meeting rhythm"), "meetings:meeting-rhythm", ALL_PLACE_ROLES, "bi-activity"),
            (_("Village decisions"), "meetings:decision-list", ALL_PLACE_ROLES, "bi-check2-square"),
        ),
    ),
    (
        "rectification",
        (pgettext_lazy("navigation group", "Rectification"), "bi-clipboard-check"),
        (
            (_("Rectification plans"), "rectification:plan-list", ALL_PLACE_ROLES, "bi-clipboard-check"),
            (_("County view"), "rectification:overview", COUNTY_ROLES, "bi-bar-chart"),
            (_("Three ledgers"), "rectification:ledger-overview", ALL_PLACE_ROLES, "bi-journal-text"),
        ),
    ),
    (
        "assessments",
        (_("Assessment"), "bi-trophy"),
        (
            (_("Assessment schemes"), "assessments:scheme-list", ALL_PLACE_ROLES, "bi-trophy"),
            (_("Monthly inspections"), "assessments:round-list", ALL_PLACE_ROLES, "bi-search"),
            (_("Inspection findings"), "assessments:finding-list", ALL_PLACE_ROLES, "bi-flag"),
            (_("Circulars"), "assessments:circular-list", ALL_PLACE_ROLES, "bi-file-earmark-text"),
            (_("Democratic appraisal"), "assessments:appraisal-list", ALL_PLACE_ROLES, "bi-person-check"),
            (_("Star ratings"), "assessments:rating-list", ALL_PLACE_ROLES, "bi-star"),
            (_("Urban partners' contributions"), "assessments:contribution-list", ALL_PLACE_ROLES, "bi-building"),
        ),
    ),
    ("exports", None, ((_("Downloads"), "exports:index", ALL_PLACE_ROLES, "bi-file-earmark-arrow-down"),)),
)
GROUPS: dict[str, tuple[Any, str]] = {namespace: group for namespace, group, _entries in MENU if group is not None}


def _register_menu() -> None:
    for area, (_namespace, _group, entries) in enumerate(MENU, start=1):
        for position, (label, url_name, roles, icon) in enumerate(entries):
            register(NavItem(label, url_name, roles=roles, order=10 * area + position, icon=icon))


_register_menu()


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
