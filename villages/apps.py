from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Places")

    def ready(self) -> None:
        from lianchun import navigation
        from lianchun.views import HISTORY_MODELS

        navigation.register(
            navigation.NavItem(
                _("Villages"), "villages:village-list", roles=navigation.ALL_PLACE_ROLES, order=10, icon="bi-geo-alt"
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Townships"), "villages:township-list", roles=navigation.COUNTY_ROLES, order=11, icon="bi-buildings"
            )
        )
        from .region_views import PAGES

        for order, (figure, label) in enumerate(PAGES.items(), start=12):
            navigation.register(
                navigation.NavItem(label, f"villages:region-{figure}", roles=navigation.REGION_ROLES, order=order)
            )
        HISTORY_MODELS.update({"villages.village", "villages.township", "villages.partnerunit"})
