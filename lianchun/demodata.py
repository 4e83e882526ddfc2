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
SURNAMES = "李王张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建华", "志刚", "秀英", "海燕", "国强", "丽娟", "明亮", "春梅", "卫东", "玉兰", "德胜", "桂芳"]


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

    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def township_cadre(self, index: int) -> Any:
        """The demo cadre of township `index`: its first active cadre, or one made here (cadre<N>).

        Every app's demo asks here, so each township has one demo cadre whichever app asks first.
        """
        from django.contrib.auth.hashers import make_password

        from accounts.models import Role, User

        cadres = self.extra.setdefault("township_cadres", {})
        if index in cadres:
            return cadres[index]
        township = self.townships[index]
        user = User.objects.filter(role=Role.TOWNSHIP_CADRE, township=township, is_active=True).order_by("pk").first()
        if user is None:
            user = User(
                username=f"cadre{index + 1}",
                full_name=self.person_name(),
                role=Role.TOWNSHIP_CADRE,
                county=self.county,
                township=township,
            )
            # One hash for every extra demo cadre: hashing is deliberately slow, and they share the password.
            if "demo_password_hash" not in self.extra:
                self.extra["demo_password_hash"] = make_password(DEMO_PASSWORD)
            user.password = self.extra["demo_password_hash"]
            user.full_clean()
            user.save()
        cadres[index] = user
        return user
