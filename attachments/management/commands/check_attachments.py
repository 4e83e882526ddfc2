"""Verify the attachment store against the database: every file present, every checksum right.

Run after restoring a backup (the backup drill): the database and the attachment store
(ATTACHMENTS_ROOT, or the S3 bucket) are backed up separately and must agree.

    python manage.py check_attachments        # exit status 1 when a file is missing or altered
"""

from __future__ import annotations

import hashlib

from django.core.management.base import BaseCommand, CommandError

from attachments.models import Attachment


class Command(BaseCommand):
    help = "Check that every attachment's file is in the store with the checksum recorded when it was uploaded."

    def handle(self, *args, **options):
        missing, altered, checked = [], [], 0
        for attachment in Attachment.objects.order_by("pk").iterator():
            checked += 1
            storage = attachment.file.storage
            if not storage.exists(attachment.file.name):
                missing.append(attachment)
                continue
            digest = hashlib.sha256()
            with storage.open(attachment.file.name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            if digest.hexdigest() != attachment.sha256:
                altered.append(attachment)
        for attachment in missing:
            self.stderr.write(f"missing: #{attachment.pk} {attachment.file.name} ({attachment.original_name})")
        for attachment in altered:
            self.stderr.write(f"altered: #{attachment.pk} {attachment.file.name} ({attachment.original_name})")
        self.stdout.write(f"{checked} attachments checked, {len(missing)} missing, {len(altered)} altered")
        if missing or altered:
            raise CommandError("the attachment store does not match the database")
