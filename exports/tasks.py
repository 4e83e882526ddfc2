"""The background tasks of the exports app (django-tasks): `manage.py db_worker` runs them."""

from __future__ import annotations

from django_tasks import task

from . import jobs


@task()
def make_export(job_id: int) -> None:
    jobs.run_job(job_id)
