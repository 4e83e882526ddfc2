from django.utils.translation import gettext_lazy as _

from lianchun import apps


class ClustersConfig(apps.ProductApp):
    name = "clusters"
    verbose_name = _("Cluster list")
    workbench = ("clusters.work.cluster_work",)
    registers = ("clusters.tallies",)
