from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun import apps


class ReportsConfig(apps.ProductApp):
    name = "reports"
    verbose_name = _("Weekly reports")
    navigation = (
        (_("Weekly reports"), "reports:report-list", "CADRE", 30, "bi-journal-text"),
        (pgettext_lazy("navigation", "Report inbox"), "reports:inbox", "COUNTY_OFFICE", 30, "bi-inbox"),
        (
            pgettext_lazy("navigation", "Reporting completeness"),
            "reports:completeness",
            "COUNTY_ROLES",
            31,
            "bi-bar-chart-line",
        ),
    )
    workbench = ("reports.work.township_reports_due", "reports.work.county_inbox")
    registers = ("reports.tallies",)
