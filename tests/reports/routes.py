from tests.walk import CADRE, COUNTY, OFFICE, READERS, REGION, Route


def build(world):
    from lianchun import clock
    from reports.weeks import Week
    from tests.reports.factories import draft, established_cluster, submitted

    cadre = world.personas["cadre_a"]
    world.report_cluster = established_cluster(world.township_a, name="城关联村")
    this_week = Week.containing(clock.now())
    world.report_week = this_week
    world.draft_report = draft(world.report_cluster, this_week, cadre)
    world.submitted_report = submitted(world.report_cluster, this_week.previous(), cadre)


ROUTES = [
    Route("reports:report-list", allowed=frozenset({CADRE})),
    Route(
        "reports:report-write",
        lambda w: {"cluster_pk": w.report_cluster.pk, "week": w.report_week.key},
        allowed=frozenset({CADRE}),
        scoped=True,
        edit=True,
    ),
    Route("reports:report-detail", lambda w: {"pk": w.submitted_report.pk}, allowed=READERS, scoped=True),
    Route(
        "reports:report-submit",
        lambda w: {"pk": w.draft_report.pk},
        allowed=frozenset({CADRE}),
        scoped=True,
        method="post",
        data=lambda w: {"record_version": w.draft_report.version},
    ),
    Route("reports:report-answer", lambda w: {"pk": w.submitted_report.pk}, allowed=frozenset({OFFICE}), scoped=True),
    Route("reports:report-return", lambda w: {"pk": w.submitted_report.pk}, allowed=frozenset({OFFICE}), scoped=True),
    Route(
        "reports:report-version",
        lambda w: {"pk": w.submitted_report.pk, "number": 1},
        allowed=READERS,
        scoped=True,
    ),
    Route("reports:inbox", allowed=frozenset({OFFICE, *REGION})),
    Route("reports:completeness", allowed=COUNTY | REGION),
    Route("reports:completeness-grid", allowed=COUNTY | REGION),
]
