from django.utils.translation import gettext_lazy as _

from lianchun import apps


class ReportsConfig(apps.ProductApp):
    name = "reports"
    verbose_name = _("Weekly reports")
    workbench = ("reports.work.township_reports_due", "reports.work.county_inbox")
    registers = ("reports.tallies",)
