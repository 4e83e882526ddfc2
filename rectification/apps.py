from django.utils.translation import gettext_lazy as _

from lianchun import apps


class RectificationConfig(apps.ProductApp):
    name = "rectification"
    verbose_name = _("Rectification")
    workbench = ("rectification.workbench.rectification_work",)
    registers = ("rectification.tallies", "rectification.receivers")
