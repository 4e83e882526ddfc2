"""The 工作台: one list of what waits for a user, filled by every capability.

An app registers a provider in its AppConfig.ready():

    workbench.register(reports_due)

A provider takes the user and returns WorkItems; the workbench view shows them
all, most urgent first. Providers must not fail for roles they do not serve:
they return [] instead.

Figures go above the list as panels: `workbench.register_panel(provider)`, where
`provider(user)` returns Panels (a template and its context), shown in `order`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .memo import shared_reads

URGENT = 0
NORMAL = 1
INFO = 2


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    count: int = 1
    detail: str = ""
    level: int = NORMAL
    group: str = ""
    icon: str = "bi-inbox"


@dataclass(frozen=True)
class Panel:
    """A block of figures on the first screen, rendered by `template` with `context`."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


@dataclass
class Workbench:
    providers: list[Callable[[Any], list[WorkItem]]] = field(default_factory=list)
    panel_providers: list[Callable[[Any], list[Panel]]] = field(default_factory=list)

    def register_panel(self, provider: Callable[[Any], list[Panel]]) -> Callable[[Any], list[Panel]]:
        if provider not in self.panel_providers:
            self.panel_providers.append(provider)
        return provider

    def panels_for(self, user: Any) -> list[Panel]:
        panels: list[Panel] = []
        for provider in self.panel_providers:
            panels.extend(provider(user))
        return sorted(panels, key=lambda panel: panel.order)

    def register(self, provider: Callable[[Any], list[WorkItem]]) -> Callable[[Any], list[WorkItem]]:
        if provider not in self.providers:
            self.providers.append(provider)
        return provider

    def page_for(self, user: Any) -> tuple[list[WorkItem], list[Panel]]:
        """The whole 工作台: the items and the panels, whose providers share what they read (lianchun.memo)."""
        with shared_reads():
            return self.items_for(user), self.panels_for(user)

    def items_for(self, user: Any) -> list[WorkItem]:
        items: list[WorkItem] = []
        for provider in self.providers:
            items.extend(provider(user))
        return sorted(items, key=lambda item: (item.level, item.group, item.title))


workbench = Workbench()
register = workbench.register
register_panel = workbench.register_panel
