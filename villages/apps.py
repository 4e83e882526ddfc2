from django.utils.translation import gettext_lazy as _

from lianchun import apps


class VillagesConfig(apps.ProductApp):
    name = "villages"
    verbose_name = _("Places")
    registers = ("villages.tallies",)

    def ready(self) -> None:
        super().ready()
        from lianchun import navigation

        from .region_views import PAGES

        # The pages that compare the counties of a city or province (seed 004).
        for order, (figure, label) in enumerate(PAGES.items(), start=12):
            navigation.register(
                navigation.NavItem(label, f"villages:region-{figure}", roles=navigation.REGION_ROLES, order=order)
            )
