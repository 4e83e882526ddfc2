from django.utils.translation import gettext_lazy as _

from lianchun import apps


class AttachmentsConfig(apps.ProductApp):
    name = "attachments"
    verbose_name = _("Attachments")
