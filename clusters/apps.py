from django.utils.translation import gettext_lazy as _

from lianchun import apps


class ClustersConfig(apps.ProductApp):
    name = "clusters"
    verbose_name = _("Cluster list")
    navigation = (
        (_("Cluster list"), "clusters:cluster-list", "ALL_PLACE_ROLES", 20, "bi-diagram-3"),
        (_("Proposals to review"), "clusters:review-queue", "COUNTY_OFFICE", 21, "bi-clipboard-check"),
        (_("Coverage"), "clusters:coverage", "ALL_PLACE_ROLES", 22, "bi-bar-chart"),
    )
    workbench = ("clusters.work.cluster_work",)
