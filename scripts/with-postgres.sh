#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 server created in a temporary directory
# (Debian's pg_virtualenv), then drop the server. DATABASE_URL points the settings at it.
# -t keeps the cluster in that directory even as root (root would otherwise make the system-wide cluster
# 15/regress), so two runs on one machine (a test run and `make bench-scale`, two checkouts) do not collide.
set -euo pipefail
if ! command -v pg_virtualenv >/dev/null 2>&1; then
  echo "pg_virtualenv not found: install postgresql-15 and postgresql-common (make system-deps-test)" >&2
  exit 1
fi
exec pg_virtualenv -t -v 15 bash -c 'export DATABASE_URL="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}"; echo "PostgreSQL at ${PGHOST}:${PGPORT}"; exec "$@"' with-postgres "$@"
