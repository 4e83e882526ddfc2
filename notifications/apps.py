from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianchun import apps


class NotificationsConfig(apps.ProductApp):
    name = "notifications"
    verbose_name = _("Notifications")
    registers = ("notifications.receivers",)  # connects to lianchun.workflow.transitioned
    navigation = (
        (
            pgettext_lazy("navigation", "Reporting this week and 催报"),
            "notifications:reporting",
            "COUNTY_OFFICE",
            32,
            "bi-megaphone",
        ),
    )
    workbench = ("notifications.work.unread_answers",)
