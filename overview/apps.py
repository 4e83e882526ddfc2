from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """Each role's first screen: the county at a glance, and the township's complete 待办."""

    name = "overview"
    verbose_name = _("First screens")

    def ready(self) -> None:
        from lianchun import workbench

        from .glance import county_panels
        from .todo import cadre_panels, issues_nearing_deadline, missed_weeks

        workbench.register_panel(county_panels)
        workbench.register_panel(cadre_panels)
        workbench.register(missed_weeks)
        workbench.register(issues_nearing_deadline)
