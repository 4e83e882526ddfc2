"""Remove stored uploads (roster, consent tallies, …) older than IMPORT_UPLOAD_KEEP_DAYS; run daily from cron."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from lianchun.importing import purge_uploads


class Command(BaseCommand):
    help = "Remove uploaded workbooks kept for preview once they are older than the given number of days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Remove uploads created more than this many days ago (default: IMPORT_UPLOAD_KEEP_DAYS).",
        )
        parser.add_argument("--commit", action="store_true", help="Remove them; without it, only count them.")

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else settings.IMPORT_UPLOAD_KEEP_DAYS
        counts = purge_uploads(older_than=datetime.timedelta(days=days), commit=options["commit"])
        verb = "Removed" if options["commit"] else "Would remove (dry run; add --commit)"
        for label, count in counts.items():
            self.stdout.write(f"{verb} {count} {label} older than {days} days.")
