from django.utils.translation import gettext_lazy as _

from lianchun import apps


class RectificationConfig(apps.ProductApp):
    name = "rectification"
    verbose_name = _("Rectification")
    navigation = (
        (_("Rectification plans"), "rectification:plan-list", "ALL_PLACE_ROLES", 60, "bi-clipboard-check"),
        (_("County view"), "rectification:overview", "COUNTY_ROLES", 61, "bi-bar-chart"),
        (_("Three ledgers"), "rectification:ledger-overview", "ALL_PLACE_ROLES", 65, "bi-journal-text"),
    )
    workbench = ("rectification.workbench.rectification_work",)
    registers = ("rectification.tallies",)
