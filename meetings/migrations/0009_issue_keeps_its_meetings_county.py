"""A raised issue keeps its meeting's county, so regions count their issues still to follow without a join.

The column is added empty, filled from each issue's meeting, then required; the partial index of issues still
to follow moves from the meeting to the county, and the few voided meetings get an index of their own.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_county(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    county = Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("county_id")[:1])
    # Its past versions too, so that the history does not show the county as a change.
    for model in ("MeetingIssue", "HistoricalMeetingIssue"):
        apps.get_model("meetings", model).objects.update(county_id=county)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_live_meetings_by_county"),
        ("villages", "0003_merge_cities_and_roster_uploads"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingissue",
            name="county",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="villages.county",
                verbose_name="county",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeetingissue",
            name="county",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="villages.county",
                verbose_name="county",
            ),
        ),
        migrations.RunPython(fill_county, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="meetingissue",
            name="county",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="villages.county",
                verbose_name="county",
            ),
        ),
        migrations.RemoveIndex(
            model_name="meetingissue",
            name="meetingissue_to_follow",
        ),
        migrations.AddIndex(
            model_name="meetingissue",
            index=models.Index(
                condition=models.Q(("status__in", ["raised", "resolved"]), ("voided_at__isnull", True)),
                fields=["county"],
                name="meetingissue_to_follow",
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(condition=models.Q(("voided_at__isnull", False)), fields=["id"], name="meeting_voided"),
        ),
    ]
