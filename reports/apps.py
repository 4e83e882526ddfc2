from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Weekly reports")

    def ready(self) -> None:
        from lianchun import navigation, workbench
        from lianchun.views import HISTORY_MODELS

        from . import workflows  # noqa: F401 — declares the weekly report's life cycle
        from .work import county_inbox, township_reports_due

        navigation.register(
            navigation.NavItem(
                _("Weekly reports"), "reports:report-list", roles=navigation.CADRE, order=30, icon="bi-journal-text"
            )
        )
        navigation.register(
            navigation.NavItem(
                pgettext_lazy("navigation", "Report inbox"),
                "reports:inbox",
                roles=navigation.COUNTY_OFFICE,
                order=30,
                icon="bi-inbox",
            )
        )
        navigation.register(
            navigation.NavItem(
                pgettext_lazy("navigation", "Reporting completeness"),
                "reports:completeness",
                roles=frozenset(navigation.ALL_PLACE_ROLES - navigation.CADRE),
                order=31,
                icon="bi-bar-chart-line",
            )
        )
        workbench.register(township_reports_due)
        workbench.register(county_inbox)
        HISTORY_MODELS.update({"reports.weeklyreport", "reports.reportsubmission"})
