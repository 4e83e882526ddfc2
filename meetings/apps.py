from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from lianchun import navigation, workbench
        from lianchun.views import HISTORY_MODELS

        from . import workflows  # noqa: F401 - declares the life cycles
        from .workbench import meeting_items

        navigation.register(
            navigation.NavItem(
                _("Meetings"), "meetings:meeting-list", roles=navigation.ALL_PLACE_ROLES, order=40, icon="bi-people"
            )
        )
        for label, url_name, order, icon in [
            (_("Raised issues"), "meetings:issue-list", 41, "bi-exclamation-diamond"),
            (_("Meeting calendar"), "meetings:meeting-calendar", 42, "bi-calendar3"),
            (_("Meeting rhythm"), "meetings:meeting-rhythm", 43, "bi-activity"),
        ]:
            navigation.register(
                navigation.NavItem(label, url_name, roles=navigation.ALL_PLACE_ROLES, order=order, icon=icon)
            )
        navigation.register(
            navigation.NavItem(
                _("Village decisions"),
                "meetings:decision-list",
                roles=navigation.ALL_PLACE_ROLES,
                order=45,
                icon="bi-check2-square",
            )
        )
        workbench.register(meeting_items)
        HISTORY_MODELS.update(
            {
                "meetings.meeting",
                "meetings.attendance",
                "meetings.invitee",
                "meetings.meetingissue",
                "meetings.decision",
                "meetings.decisionrecord",
            }
        )
