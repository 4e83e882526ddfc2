from django.utils.translation import gettext_lazy as _

from lianchun import apps


class MeetingsConfig(apps.ProductApp):
    name = "meetings"
    verbose_name = _("Meetings")
    navigation = (
        (_("Meetings"), "meetings:meeting-list", "ALL_PLACE_ROLES", 40, "bi-people"),
        (_("Raised issues"), "meetings:issue-list", "ALL_PLACE_ROLES", 41, "bi-exclamation-diamond"),
        (_("Meeting calendar"), "meetings:meeting-calendar", "ALL_PLACE_ROLES", 42, "bi-calendar3"),
        (_("Meeting rhythm"), "meetings:meeting-rhythm", "ALL_PLACE_ROLES", 43, "bi-activity"),
        (_("Village decisions"), "meetings:decision-list", "ALL_PLACE_ROLES", 45, "bi-check2-square"),
    )
    workbench = ("meetings.workbench.meeting_items",)
