from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from lianchun import navigation, workbench

        from . import receivers  # noqa: F401  (connects to lianchun.workflow.transitioned)
        from .work import unread_answers

        navigation.register(
            navigation.NavItem(
                pgettext_lazy("navigation", "Reporting this week and 催报"),
                "notifications:reporting",
                roles=navigation.COUNTY_OFFICE,
                order=32,
                icon="bi-megaphone",
            )
        )
        workbench.register(unread_answers)
