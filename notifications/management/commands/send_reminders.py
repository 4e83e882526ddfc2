"""Scheduled reminders, run by cron or a compose service (the product runs no timer loop of its own).

    */10 * * * *  cd /srv/lianchun && .venv/bin/python manage.py send_reminders

Each run: reminds townships of reports due before the weekly deadline, tells townships and their
county office what was missed once it has passed, and delivers every undelivered notification
through the channels in NOTIFICATION_CHANNELS. Running it twice notifies nobody twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Send the weekly-report reminders that are due and deliver notifications through the configured channels."

    def add_arguments(self, parser):
        parser.add_argument("--no-deliver", action="store_true", help="Create reminders but deliver nothing.")

    def handle(self, *args, **options):
        due = services.remind_before_deadline()
        missed = services.remind_after_deadline()
        delivered, failed = (0, 0) if options["no_deliver"] else services.deliver_pending(stream=self.stdout)
        self.stdout.write(
            f"reminders: {due} due, {missed} missed; delivered {delivered}, failed {failed} (retried next run)"
        )
