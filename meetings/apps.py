from django.utils.translation import gettext_lazy as _

from lianchun import apps


class MeetingsConfig(apps.ProductApp):
    name = "meetings"
    verbose_name = _("Meetings")
    workbench = ("meetings.workbench.meeting_items",)
    registers = ("meetings.tallies",)
