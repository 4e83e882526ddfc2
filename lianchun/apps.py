from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import import_string, module_has_submodule
from django.utils.translation import gettext_lazy as _


class LianchunConfig(AppConfig):
    default = True  # this module also holds ProductApp, the base of every area's config
    name = "lianchun"
    verbose_name = _("Village cluster self-government ledger")

    def ready(self) -> None:
        from lianchun import sessions  # noqa: F401  (a new session starts its idle minute at login)


class ProductApp(AppConfig):
    """An area of the product, declaring what it adds to the shared registries.

    - `navigation`: (label, url name, roles, order, icon) per entry; roles names a role set of
      `lianchun.navigation` ("ALL_PLACE_ROLES", "CADRE", "COUNTY_OFFICE", "COUNTY_ROLES").
    - `workbench`: dotted paths of the 工作台 providers; `panels`: of its first-screen panels.
    - `registers`: modules whose import declares something (checks, signal receivers); the app's
      `workflows` module, where its transition tables live, is imported without being named.

    Every model of the app that keeps a history (see `lianchun.models.AuditedModel`) has a 修改记录 page.
    """

    navigation: tuple = ()
    workbench: tuple[str, ...] = ()
    panels: tuple[str, ...] = ()
    registers: tuple[str, ...] = ()

    def ready(self) -> None:
        from lianchun import navigation, workbench
        from lianchun.views import HISTORY_MODELS

        if module_has_submodule(self.module, "workflows"):
            import_module(f"{self.name}.workflows")
        for module in self.registers:
            import_module(module)
        for label, url_name, roles, order, icon in self.navigation:
            role_set = getattr(navigation, roles) if isinstance(roles, str) else frozenset(roles)
            navigation.register(navigation.NavItem(label, url_name, roles=role_set, order=order, icon=icon))
        for provider in self.workbench:
            workbench.register(import_string(provider))
        for panel in self.panels:
            workbench.register_panel(import_string(panel))
        HISTORY_MODELS.update(
            model._meta.label_lower
            for model in self.get_models()
            if hasattr(model._meta, "simple_history_manager_attribute")
        )
