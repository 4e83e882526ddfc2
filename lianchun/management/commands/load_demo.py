from __future__ import annotations

import importlib
import random

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lianchun.demodata import DemoContext
from villages.models import County


class Command(BaseCommand):
    help = "Build the demo county (17 townships, ~750 villages, clusters, reports, meetings, rectification) and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when a county already exists.")
        parser.add_argument("--seed", type=int, default=20261123)

    def handle(self, *args, **options):
        if options["if_empty"] and County.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        ctx = DemoContext(today=timezone.localdate(), rng=random.Random(options["seed"]))
        ctx.extra["stdout"] = self.stdout
        with transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.build(ctx)
                self.stdout.write(f"  {config.name}: done")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
