from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Cluster list")

    def ready(self) -> None:
        from lianchun import navigation, workbench
        from lianchun.views import HISTORY_MODELS

        from . import workflows  # noqa: F401  (declares the cluster's life cycle)
        from .work import cluster_work

        navigation.register(
            navigation.NavItem(
                _("Cluster list"),
                "clusters:cluster-list",
                roles=navigation.ALL_PLACE_ROLES,
                order=20,
                icon="bi-diagram-3",
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Proposals to review"),
                "clusters:review-queue",
                roles=navigation.COUNTY_OFFICE,
                order=21,
                icon="bi-clipboard-check",
            )
        )
        navigation.register(
            navigation.NavItem(
                _("Coverage"), "clusters:coverage", roles=navigation.ALL_PLACE_ROLES, order=22, icon="bi-bar-chart"
            )
        )
        workbench.register(cluster_work)
        HISTORY_MODELS.update(
            {
                "clusters.cluster",
                "clusters.clustermembership",
                "clusters.consentsurvey",
                "clusters.consentbatch",
                "clusters.clusterofficer",
                "clusters.consentopinion",
                "clusters.modelcharter",
            }
        )
