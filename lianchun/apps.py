from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.module_loading import import_string, module_has_submodule
from django.utils.translation import gettext_lazy as _


class LianchunConfig(AppConfig):
    default = True  # this module also holds ProductApp, the base of every area's config
    name = "lianchun"
    verbose_name = _("Village cluster self-government ledger")

    def ready(self) -> None:
        from lianchun import sessions  # noqa: F401  (a new session starts its idle minute at login)

        post_migrate.connect(make_cache_table, sender=self)


def make_cache_table(using: str = "default", **kwargs) -> None:
    """The shared cache's table (settings.CACHES) comes with the migrations, wherever `migrate` runs (`make run`,
    the compose file's `migrate` service, `make bench-scale`). Nothing is done when it is there already."""
    call_command("createcachetable", database=using, verbosity=0)


class ProductApp(AppConfig):
    """An area of the product, declaring what it adds to the shared registries (its menu entries are in
    `lianchun.navigation.MENU`, the one table of the navigation bar).

    - `workbench`: dotted paths of the 工作台 providers; `panels`: of its first-screen panels.
    - `registers`: modules whose import declares something (checks, signal receivers); the app's
      `workflows` module, where its transition tables live, is imported without being named.

    Every model of the app that keeps a history (see `lianchun.models.AuditedModel`) has a 修改记录 page.
    """

    workbench: tuple[str, ...] = ()
    panels: tuple[str, ...] = ()
    registers: tuple[str, ...] = ()

    def ready(self) -> None:
        from lianchun import workbench
        from lianchun.views import HISTORY_MODELS

        if module_has_submodule(self.module, "workflows"):
            import_module(f"{self.name}.workflows")
        for module in self.registers:
            import_module(module)
        for provider in self.workbench:
            workbench.register(import_string(provider))
        for panel in self.panels:
            workbench.register_panel(import_string(panel))
        HISTORY_MODELS.update(
            model._meta.label_lower
            for model in self.get_models()
            if hasattr(model._meta, "simple_history_manager_attribute")
        )
