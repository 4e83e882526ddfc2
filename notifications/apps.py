from django.utils.translation import gettext_lazy as _

from lianchun import apps


class NotificationsConfig(apps.ProductApp):
    name = "notifications"
    verbose_name = _("Notifications")
    registers = ("notifications.receivers",)  # connects to lianchun.workflow.transitioned
    workbench = ("notifications.work.unread_answers",)
