from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("Rectification")

    def ready(self) -> None:
        from accounts.models import COUNTY_ROLES
        from lianchun import navigation, workbench
        from lianchun.views import HISTORY_MODELS

        from . import workflows  # noqa: F401  (declares the plan's life cycle)
        from .workbench import rectification_work

        navigation.register(
            navigation.NavItem(
                _("Rectification plans"),
                "rectification:plan-list",
                roles=navigation.ALL_PLACE_ROLES,
                order=60,
                icon="bi-clipboard-check",
            )
        )
        navigation.register(
            navigation.NavItem(
                _("County view"), "rectification:overview", roles=frozenset(COUNTY_ROLES), order=61, icon="bi-bar-chart"
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Three ledgers"),
                "rectification:ledger-overview",
                roles=navigation.ALL_PLACE_ROLES,
                order=65,
                icon="bi-journal-text",
            )
        )
        workbench.register(rectification_work)
        HISTORY_MODELS.update(
            {
                "rectification.rectificationplan",
                "rectification.rectificationitem",
                "rectification.ledgerentry",
                "rectification.reviewround",
                "rectification.itemprogress",
                "rectification.ledgerkind",
                "rectification.handlingmethod",
            }
        )
