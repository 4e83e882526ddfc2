from django.utils.translation import gettext_lazy as _

from lianchun import apps


class VillagesConfig(apps.ProductApp):
    name = "villages"
    verbose_name = _("Places")
    navigation = (
        (_("Villages"), "villages:village-list", "ALL_PLACE_ROLES", 10, "bi-geo-alt"),
        (_("Townships"), "villages:township-list", "COUNTY_ROLES", 11, "bi-buildings"),
    )
    history = ("villages.village", "villages.township", "villages.partnerunit")
