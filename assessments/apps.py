from django.utils.translation import gettext_lazy as _

from lianchun import apps


class AssessmentsConfig(apps.ProductApp):
    name = "assessments"
    verbose_name = _("Assessment and inspection")
    workbench = ("assessments.workbench.assessment_items",)
