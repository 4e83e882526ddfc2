from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LianchunConfig(AppConfig):
    name = "lianchun"
    verbose_name = _("Village cluster self-government ledger")
