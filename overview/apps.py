from django.utils.translation import gettext_lazy as _

from lianchun import apps


class OverviewConfig(apps.ProductApp):
    """Each role's first screen: the county (or the city's counties) at a glance, and the township's complete 待办."""

    name = "overview"
    verbose_name = _("First screens")
    panels = ("overview.glance.county_panels", "overview.glance.region_panels", "overview.todo.cadre_panels")
    workbench = ("overview.todo.missed_weeks", "overview.todo.issues_nearing_deadline")
