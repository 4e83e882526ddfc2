from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessment and inspection")

    def ready(self) -> None:
        from lianchun import navigation, workbench
        from lianchun.views import HISTORY_MODELS

        from . import workflows  # noqa: F401 - declares the life cycles
        from .workbench import assessment_items

        # One menu for the whole area, so the bar still fits an office PC's 1366 pixels.
        navigation.GROUPS.setdefault("assessments", (_("Assessment"), "bi-trophy"))
        for label, url_name, order, icon in [
            (_("Assessment schemes"), "assessments:scheme-list", 60, "bi-trophy"),
            (_("Monthly inspections"), "assessments:round-list", 61, "bi-search"),
            (_("Inspection findings"), "assessments:finding-list", 62, "bi-flag"),
            (_("Circulars"), "assessments:circular-list", 63, "bi-file-earmark-text"),
            (_("Democratic appraisal"), "assessments:appraisal-list", 64, "bi-person-check"),
            (_("Star ratings"), "assessments:rating-list", 65, "bi-star"),
            (_("Urban partners' contributions"), "assessments:contribution-list", 66, "bi-building"),
        ]:
            navigation.register(
                navigation.NavItem(label, url_name, roles=navigation.ALL_PLACE_ROLES, order=order, icon=icon)
            )
        workbench.register(assessment_items)
        HISTORY_MODELS.update(
            {
                "assessments.assessmentscheme",
                "assessments.assessmentperiod",
                "assessments.inspectionvisit",
                "assessments.finding",
                "assessments.circular",
                "assessments.appraisalresult",
                "assessments.starrating",
                "assessments.contribution",
            }
        )
