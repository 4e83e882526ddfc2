"""Demo data: a realistic county in the shape of seed 000, built by each app in turn.

Each app may have a `demo.py` with `build(ctx)`; `load_demo` calls them in
INSTALLED_APPS order, so clusters are built after villages, reports after
clusters. Everything goes through the services, as a user would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

DEMO_PASSWORD = "Demo2026!"


@dataclass
class DemoContext:
    today: date
    rng: random.Random
    county: Any = None
    townships: list[Any] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        if self.extra.get("stdout"):
            self.extra["stdout"].write(message)
