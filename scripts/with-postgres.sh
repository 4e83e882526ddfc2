#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 server created in a temporary directory
# (Debian's pg_virtualenv), then drop the server. DATABASE_URL points the settings at it.
set -euo pipefail
if ! command -v pg_virtualenv >/dev/null 2>&1; then
  echo "pg_virtualenv not found: install postgresql-15 and postgresql-common (make system-deps-test)" >&2
  exit 1
fi
exec pg_virtualenv -v 15 bash -c 'export DATABASE_URL="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}"; echo "PostgreSQL at ${PGHOST}:${PGPORT}"; exec "$@"' with-postgres "$@"
