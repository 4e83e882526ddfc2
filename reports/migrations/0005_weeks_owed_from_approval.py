from collections import defaultdict

from django.db import migrations


def recount_where_approval_came_late(apps, schema_editor):
    """Townships with a cluster approved after the deadline of its establishment week owe fewer weeks now: their
    tallies are counted again by the rule of reports.completeness (as 0003 first counted them)."""
    from reports.completeness import ClusterSpan, is_expected
    from reports.weeks import Week

    Cluster = apps.get_model("clusters", "Cluster")
    WeeklyReport = apps.get_model("reports", "WeeklyReport")
    ReportTally = apps.get_model("reports", "ReportTally")
    townships = {
        township_id
        for township_id, established_on, approved_at in Cluster.objects.filter(
            approved_at__isnull=False, established_on__isnull=False
        ).values_list("township_id", "established_on", "approved_at")
        if approved_at >= Week.of(established_on).deadline
    }
    if not townships:
        return
    counts = defaultdict(lambda: [0, 0, 0])
    rows = WeeklyReport.objects.filter(cluster__township_id__in=townships).values_list(
        "iso_year",
        "iso_week",
        "first_submitted_at",
        "cluster_id",
        "cluster__township_id",
        "cluster__established_on",
        "cluster__dissolved_on",
        "cluster__approved_at",
    )
    for year, number, submitted_at, cluster_id, township_id, established, dissolved, approved in rows.iterator():
        week = Week(year, number)
        if not is_expected(ClusterSpan(cluster_id, township_id, established, dissolved, approved_at=approved), week):
            continue
        figures = counts[(township_id, year, number)]
        if submitted_at is None:
            figures[2] += 1
        else:
            figures[0] += 1
            figures[1] += not week.is_late(submitted_at)
    ReportTally.objects.filter(township_id__in=townships).delete()
    ReportTally.objects.bulk_create(
        (
            ReportTally(township_id=t, iso_year=y, iso_week=w, arrived=a, on_time=o, draft=d)
            for (t, y, w), (a, o, d) in counts.items()
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_index_the_inbox_oldest_first"),
        ("clusters", "0007_approved_at"),
    ]

    operations = [migrations.RunPython(recount_where_approval_came_late, migrations.RunPython.noop)]
