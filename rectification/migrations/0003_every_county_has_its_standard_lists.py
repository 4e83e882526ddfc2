"""Every county already there gets the standard ledgers and handling methods that a new county now gets when it
is created (rectification.receivers); before, a county got them on the first visit of a ledger page, a write on a
GET. Each new row has its first history row, like any record the product creates, by no one (the system).
"""

from django.db import migrations
from django.utils import timezone

# As rectification.services.ledgers has them on the day of this migration.
STANDARD_KINDS = [("livelihood", "民生台账", 10), ("stability", "稳定台账", 20), ("hardship", "困难群众台账", 30)]
STANDARD_HANDLING = ["一事一议", "挂包帮", "低保", "五保", "临时救助", "医疗救助", "新农合", "部门协调", "上报上级"]


def _create(apps, model_name: str, now, **fields) -> None:
    record = apps.get_model("rectification", model_name).objects.create(**fields)
    apps.get_model("rectification", f"Historical{model_name}").objects.create(
        id=record.pk, history_date=now, history_type="+", history_change_reason="", history_user=None, **fields
    )


def give_every_county_its_lists(apps, schema_editor):
    County = apps.get_model("villages", "County")
    LedgerKind = apps.get_model("rectification", "LedgerKind")
    HandlingMethod = apps.get_model("rectification", "HandlingMethod")
    now = timezone.now()
    standards = [code for code, _name, _order in STANDARD_KINDS]
    for county in County.objects.order_by("pk"):
        if not LedgerKind.objects.filter(county=county, standard__in=standards).exists():
            for code, name, order in STANDARD_KINDS:
                if not LedgerKind.objects.filter(county=county, standard=code).exists():
                    _create(apps, "LedgerKind", now, county=county, name=name, standard=code, order=order)
        if not HandlingMethod.objects.filter(county=county).exists():
            for order, name in enumerate(STANDARD_HANDLING, start=1):
                _create(apps, "HandlingMethod", now, county=county, name=name, order=order * 10)


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0002_ledger_tallies_per_township"),
        ("villages", "0003_merge_cities_and_roster_uploads"),
    ]

    operations = [migrations.RunPython(give_every_county_its_lists, migrations.RunPython.noop)]
