#!/usr/bin/env bash
# The backup drill: on a throwaway PostgreSQL 15 (run it through scripts/with-postgres.sh), load the demo
# county, back it up with pg_dump -Fc as the backup service does, restore into a fresh database, and
# compare every table's row count and checksum. Prints "identical" or what differs (exit 1).
set -euo pipefail
PY=${PY:-.venv/bin/python}
: "${PGDATABASE:?run through scripts/with-postgres.sh}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
restored="${PGDATABASE}_restored"
original_url="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}"
restored_url="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${restored}"

echo "== 1/4 migrate and load the demo county into ${PGDATABASE}"
DATABASE_URL="$original_url" REQUEST_LOG=false $PY manage.py migrate --noinput >/dev/null
DATABASE_URL="$original_url" REQUEST_LOG=false $PY manage.py load_demo >/dev/null
echo "== 2/4 pg_dump -Fc"
pg_dump -Fc --no-owner -f "$work/lianchun.dump" "$PGDATABASE"
ls -l "$work/lianchun.dump" | awk '{print "   " $5 " bytes"}'
echo "== 3/4 restore into a fresh database ${restored}"
dropdb --if-exists "$restored"
createdb "$restored"
pg_restore --no-owner --exit-on-error -d "$restored" "$work/lianchun.dump"
echo "== 4/4 compare every table"
$PY scripts/compare_databases.py "$original_url" "$restored_url"
# The comparison must be able to fail: change one row of the restored copy and expect a difference.
psql -q -d "$restored" -c "UPDATE villages_village SET households = households + 1 WHERE id = (SELECT min(id) FROM villages_village)"
if $PY scripts/compare_databases.py "$original_url" "$restored_url" >"$work/tampered.txt"; then
  echo "the comparison missed a changed row" >&2
  exit 1
fi
echo "   (self-check: a changed row in the copy is reported: $(tail -1 "$work/tampered.txt"))"
