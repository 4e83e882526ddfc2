"""`make bench-background`: what background downloads cost at province size, on a throwaway PostgreSQL.

Run inside scripts/with-postgres.sh. Builds issue 14's data set (bench/dataset.py), then for a
province office (20,000 villages in scope) and a county office prints:
  - the web request's share: deciding immediate or background (one count of the villages in scope)
    and queueing the job (the ExportJob row and django-tasks' task row);
  - the worker's share: making each heavy file through `exports.jobs.run_job`, as `db_worker` does,
    with its size;
  - the database's size with the data set, for sizing a server and its standby.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILES = ["county", "county-summary", "weekly-compilation"]


def timed(function, *args, repeats: int = 1, **kwargs) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/background.py needs PostgreSQL: run it through `make bench-background`.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianchun.settings")
    os.environ.setdefault("SECRET_KEY", "bench-background-only-" + "x" * 40)
    os.environ.setdefault("FILES_ROOT", "/tmp/lianchun-bench-files")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from bench import dataset
    from exports import jobs, registry
    from exports.models import ExportJob

    call_command("migrate", verbosity=0)
    print("Building the province-sized data set with COPY …", flush=True)
    built = dataset.build(timezone.localdate())
    print(f"  built in {built.seconds:.0f} s: " + ", ".join(f"{n:,} {what}" for what, n in built.counts.items()))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    print(f"  database size: {size / 1024**3:.2f} GB")

    settings.EXPORT_JOBS_PER_USER = 1000
    for username in ("province_office", "county_office"):
        user = User.objects.get(username=username)
        print(f"\n{username}:")
        for identifier in FILES:
            exporter = registry.get(identifier)
            form_data = exporter.form_data(user, {})
            decide_s, background = timed(jobs.wants_background, exporter, user, form_data, repeats=5)
            rows = exporter.estimated_rows(user, form_data)
            line = (
                f"  {identifier:20} {rows:>7,} rows → {'background' if background else 'immediate '}; "
                f"request: decide {decide_s * 1000:.1f} ms"
            )
            try:
                queue_s, job = timed(jobs.request_export, exporter=exporter, parameters={}, by=user)
                run_s, _ = timed(jobs.run_job, job.pk)
            except Exception as error:  # an exporter this role is not offered yet
                print(f"{line}; not made: {type(error).__name__}: {error}")
                continue
            job = ExportJob.objects.get(pk=job.pk)
            print(
                f"{line} + queue {queue_s * 1000:.1f} ms; worker: {run_s:.1f} s, {job.status}, {job.size / 1024:,.0f} KB"
            )
    print(f"\nCPU count: {os.cpu_count()}; load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
