from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class LianchunConfig(AppConfig):
    name = "lianchun"
    verbose_name = _("Village cluster self-government ledger")


class ProductApp(AppConfig):
    """An area of the product, declaring what it adds to the shared registries.

    - `navigation`: (label, url name, roles, order, icon) per entry; roles names a role set of
      `lianchun.navigation` ("ALL_PLACE_ROLES", "CADRE", "COUNTY_OFFICE", "COUNTY_ROLES").
    - `workbench`: dotted paths of the 工作台 providers.
    - `history`: models ("app.model") whose 修改记录 page may be opened.
    - `registers`: modules whose import declares something (workflows, checks, signal receivers).
    """

    navigation: tuple = ()
    workbench: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    registers: tuple[str, ...] = ()

    def ready(self) -> None:
        from lianchun import navigation, workbench
        from lianchun.views import HISTORY_MODELS

        for module in self.registers:
            import_module(module)
        for label, url_name, roles, order, icon in self.navigation:
            role_set = getattr(navigation, roles) if isinstance(roles, str) else frozenset(roles)
            navigation.register(navigation.NavItem(label, url_name, roles=role_set, order=order, icon=icon))
        for provider in self.workbench:
            workbench.register(import_string(provider))
        HISTORY_MODELS.update(self.history)
