from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianchun.scoping import ScopedManager


class ConsentUpload(models.Model):
    """An uploaded consent tally workbook kept between preview and confirmation (not an official record)."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey("villages.Township", on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    scope_township_path = "township_id"
    scope_county_path = "township__county_id"

    objects = ScopedManager()

    def __str__(self) -> str:
        return self.file_name
