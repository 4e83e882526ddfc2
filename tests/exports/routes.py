from tests.walk import READERS, Route


def build(world):
    from tests.exports.factories import county_with_clusters, finished_job

    office = world.personas["county_office"]
    world.export_cluster = county_with_clusters(world.personas["cadre_a"], office, name_prefix="导出联村")[0]
    world.export_job = finished_job(world.personas["cadre_a"])


ROUTES = [
    Route("exports:index", allowed=READERS),
    Route("exports:workbook", lambda w: {"topic": "county"}, allowed=READERS),
    Route("exports:county-summary-pdf", allowed=READERS),
    Route("exports:weekly-compilation-pdf", allowed=READERS),
    Route("exports:cluster-profile-pdf", lambda w: {"pk": w.export_cluster.pk}, allowed=READERS, scoped=True),
    Route("exports:job-status", allowed=READERS),
    Route("exports:job-download", lambda w: {"pk": w.export_job.pk}, owner="cadre_a"),
]
