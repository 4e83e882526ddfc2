"""The 工作台: one list of what waits for a user, filled by every capability.

An app registers a provider in its AppConfig.ready():

    workbench.register(reports_due)

A provider takes the user and returns WorkItems; the workbench view shows them
all, most urgent first. Providers must not fail for roles they do not serve:
they return [] instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class Workbench:
    providers: list[Callable[[Any], list[WorkItem]]] = field(default_factory=list)

    def register(self, provider: Callable[[Any], list[WorkItem]]) -> Callable[[Any], list[WorkItem]]:
        if provider not in self.providers:
            self.providers.append(provider)
        return provider

    def items_for(self, user: Any) -> list[WorkItem]:
        items: list[WorkItem] = []
        for provider in self.providers:
            items.extend(provider(user))
        return sorted(items, key=lambda item: (item.level, item.group, item.title))


workbench = Workbench()
register = workbench.register
