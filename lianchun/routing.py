"""A view's URL declared next to the view.

    @route("<int:pk>/edit/")                     # URL name "cluster-edit", from the function's name
    def cluster_edit(request, pk): ...

    @route("login/")                             # a class: the name is "login", from LoginView
    class LoginView(auth_views.LoginView): ...

    plan_void = route("<int:pk>/void/", name="plan-void")(PlanStepView.as_view(transition="void"))

and in the app's `urls.py`: `urlpatterns = routes(views, import_views)`. Routes come out in the order they
were declared (the order in which their modules were imported, then top to bottom), which is the order
Django tries them in; `tests/lianchun/test_routing.py` proves no pattern hides another.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import URLPattern, get_script_prefix, path, reverse

_ROUTES = "_lianchun_routes"
_order = itertools.count()


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    order: int = field(default_factory=lambda: next(_order))


def url_name_of(view: Any) -> str:
    """`cluster_edit` → "cluster-edit"; `PasswordChangeView` → "password-change"."""
    if isinstance(view, type):
        words = re.findall(r"[A-Z][a-z0-9]*", view.__name__.removesuffix("View"))
        return "-".join(word.lower() for word in words)
    if hasattr(view, "view_class"):
        # `SomeView.as_view(...)` answers a function named "view": the name must be given.
        raise TypeError(f"route() on {view.view_class.__name__}.as_view(...) needs name=")
    return view.__name__.replace("_", "-")


def route(pattern: str, *, name: str | None = None, kwargs: dict[str, Any] | None = None):
    """Declare `pattern` as a URL of the decorated view (a function, a class-based view, or an
    `as_view()` result); `kwargs` are passed to the view as `path()`'s extra arguments. Several
    `route`s on one view give it several URLs. `routes()` serves the view as the module holds it,
    with all its decorators, whichever line `@route` stands on."""

    def declare(view):
        declared = Route(pattern, name or url_name_of(view), dict(kwargs or {}))
        if _ROUTES not in vars(view):  # a class's own routes, not those of the class it extends
            setattr(view, _ROUTES, [])
        getattr(view, _ROUTES).append(declared)
        return view

    return declare


def routes(*modules: ModuleType) -> list[URLPattern]:
    """The `path()`s of every routed view the modules hold (a package: what its `__init__` exports),
    in declaration order."""
    found: dict[int, tuple[Route, Any]] = {}
    for module in modules:
        for view in vars(module).values():
            for declared in getattr(view, "__dict__", {}).get(_ROUTES, ()):
                # A view exported by two of the modules (a package and its module) counts once.
                found[declared.order] = (declared, view)
    return [
        path(declared.route, _as_view(view), declared.kwargs, name=declared.name)
        for declared, view in sorted(found.values(), key=lambda pair: pair[0].order)
    ]


def _as_view(view):
    return view.as_view() if isinstance(view, type) else view


# A number no record reaches, standing in for the pk while a record URL's pattern is reversed once.
_PK_STAND_IN = 987654321987


def record_url(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for the URL of one record, at a string join's cost after the first call.

    A list page links every row to its record: Django's `reverse` (about 60 µs) for each of 30 rows, twice,
    was a good part of rendering a list. The pattern is reversed once per URL name and script prefix, with
    a stand-in pk, and later URLs are joined around the pk; a pattern where that cannot work falls back to
    `reverse`.
    """
    prefix = get_script_prefix()
    parts = _record_url_parts.get((name, prefix))
    if parts is None:
        pieces = reverse(name, args=[_PK_STAND_IN]).split(str(_PK_STAND_IN))
        parts = _record_url_parts[(name, prefix)] = tuple(pieces) if len(pieces) == 2 else ()
    if not parts or type(pk) is not int:
        return reverse(name, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"


_record_url_parts: dict[tuple[str, str], tuple[str, ...]] = {}


@receiver(setting_changed, dispatch_uid="record_url_patterns")
def _forget_record_urls(setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _record_url_parts.clear()
