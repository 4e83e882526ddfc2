from __future__ import annotations

from django.core.management.base import BaseCommand

from accounts import security


class Command(BaseCommand):
    help = "Delete security-log entries older than SECURITY_LOG_RETENTION_DAYS (never younger than 180 days)."

    def add_arguments(self, parser):
        parser.add_argument("--for-real", action="store_true", help="Delete; without it, only count.")

    def handle(self, *args, **options):
        from django.utils import timezone

        from accounts.models import SecurityEvent

        cutoff = timezone.now() - security.retention()
        if not options["for_real"]:
            count = SecurityEvent.objects.filter(at__lt=cutoff).count()
            self.stdout.write(f"{count} entries older than {security.retention().days} days; --for-real deletes them.")
            return
        self.stdout.write(f"Deleted {security.prune()} entries older than {security.retention().days} days.")
