from django.utils.translation import gettext_lazy as _

from lianchun import apps


class AssessmentsConfig(apps.ProductApp):
    name = "assessments"
    verbose_name = _("Assessment and inspection")
    navigation = (
        (_("Assessment schemes"), "assessments:scheme-list", "ALL_PLACE_ROLES", 70, "bi-trophy"),
        (_("Monthly inspections"), "assessments:round-list", "ALL_PLACE_ROLES", 71, "bi-search"),
        (_("Inspection findings"), "assessments:finding-list", "ALL_PLACE_ROLES", 72, "bi-flag"),
        (_("Circulars"), "assessments:circular-list", "ALL_PLACE_ROLES", 73, "bi-file-earmark-text"),
        (_("Democratic appraisal"), "assessments:appraisal-list", "ALL_PLACE_ROLES", 74, "bi-person-check"),
        (_("Star ratings"), "assessments:rating-list", "ALL_PLACE_ROLES", 75, "bi-star"),
        (_("Urban partners' contributions"), "assessments:contribution-list", "ALL_PLACE_ROLES", 76, "bi-building"),
    )
    workbench = ("assessments.workbench.assessment_items",)

    def ready(self) -> None:
        from lianchun import navigation

        # One menu for the whole area, so the bar still fits an office PC's 1366 pixels.
        navigation.GROUPS.setdefault("assessments", (_("Assessment"), "bi-trophy"))
        super().ready()
