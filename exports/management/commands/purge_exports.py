"""Remove background downloads past EXPORT_KEEP_DAYS and fail jobs a stopped worker left; run daily from cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from exports.jobs import purge_expired


class Command(BaseCommand):
    help = "Remove the files of expired background downloads and give up on abandoned ones."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="Remove them; without it, only count them.")

    def handle(self, *args, **options):
        counts = purge_expired(commit=options["commit"])
        verb = "Removed" if options["commit"] else "Would remove (dry run; add --commit)"
        for label, count in counts.items():
            self.stdout.write(f"{verb} {count} {label}.")
