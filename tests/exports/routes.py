from tests.walk import EVERYONE, Route


def build(world):
    from tests.exports.factories import county_with_clusters

    office = world.personas["county_office"]
    world.export_cluster = county_with_clusters(world.personas["cadre_a"], office, name_prefix="导出联村")[0]


ROUTES = [
    Route("exports:index", allowed=EVERYONE),
    Route("exports:workbook", lambda w: {"topic": "county"}, allowed=EVERYONE),
    Route("exports:county-summary-pdf", allowed=EVERYONE),
    Route("exports:weekly-compilation-pdf", allowed=EVERYONE),
    Route("exports:cluster-profile-pdf", lambda w: {"pk": w.export_cluster.pk}, allowed=EVERYONE, scoped=True),
]
