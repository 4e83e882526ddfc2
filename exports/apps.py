from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Reports and downloads")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the PDF tool-chain check)
            registry,
        )

        registry.autodiscover()  # every app's exporters.py registers its downloads

        # The admin site holds accounts only: django-tasks' result table is read with db_worker's logs.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
