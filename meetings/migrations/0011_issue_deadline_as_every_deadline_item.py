# An issue's due date is named `deadline`, as on every matter followed to a deadline (lianchun.models.DeadlineItem),
# so its overdue rule is the one those share. The column is renamed in place; the open issues' index is made again
# on it under the same name.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0010_live_meetings_tallied_per_county"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="meetingissue", name="meetingissue_open_by_due"),
        migrations.RenameField(model_name="meetingissue", old_name="due_date", new_name="deadline"),
        migrations.RenameField(model_name="historicalmeetingissue", old_name="due_date", new_name="deadline"),
        migrations.AddIndex(
            model_name="meetingissue",
            index=models.Index(
                condition=models.Q(("status", "raised"), ("voided_at__isnull", True)),
                fields=["deadline", "id"],
                name="meetingissue_open_by_due",
            ),
        ),
        migrations.AlterModelOptions(
            name="meetingissue",
            options={"ordering": ["deadline", "pk"], "verbose_name": "raised issue", "verbose_name_plural": "raised issues"},
        ),
    ]
