#!/usr/bin/env bash
# The backup drill: on a throwaway PostgreSQL 15 (run it through scripts/with-postgres.sh), load the demo
# county with its attachment files, back both up as the backup service does (pg_dump -Fc and a tar of the
# attachments directory), restore them into a fresh database and an empty directory, and compare every
# table's row count and checksum and every file's SHA-256 (each attachment record must find its file).
# Ends with one summary line, or prints what differs (exit 1).
set -euo pipefail
PY=${PY:-.venv/bin/python}
: "${PGDATABASE:?run through scripts/with-postgres.sh}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
restored="${PGDATABASE}_restored"
original_url="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${PGDATABASE}"
restored_url="postgresql://${PGUSER}:${PGPASSWORD}@${PGHOST}:${PGPORT}/${restored}"
# The attachments volume of this drill (ATTACHMENTS_ROOT), and where its backup is unpacked.
export ATTACHMENTS_ROOT="$work/attachments"
restored_files="$work/attachments-restored"

echo "== 1/4 migrate and load the demo county into ${PGDATABASE}, its attachments into ${ATTACHMENTS_ROOT}"
DATABASE_URL="$original_url" REQUEST_LOG=false $PY manage.py migrate --noinput >/dev/null
DATABASE_URL="$original_url" REQUEST_LOG=false $PY manage.py load_demo >/dev/null
echo "== 2/4 pg_dump -Fc, and a tar of the attachments (as scripts/backup-loop.sh)"
pg_dump -Fc --no-owner -f "$work/lianchun.dump" "$PGDATABASE"
ls -l "$work/lianchun.dump" | awk '{print "   " $5 " bytes"}'
mkdir -p "$ATTACHMENTS_ROOT"
tar -czf "$work/attachments.tar.gz" -C "$ATTACHMENTS_ROOT" .
ls -l "$work/attachments.tar.gz" | awk '{print "   attachments: " $5 " bytes"}'
echo "== 3/4 restore into a fresh database ${restored} and an empty attachments directory"
dropdb --if-exists "$restored"
createdb "$restored"
pg_restore --no-owner --exit-on-error -d "$restored" "$work/lianchun.dump"
mkdir -p "$restored_files"
tar -xzf "$work/attachments.tar.gz" -C "$restored_files"
echo "== 4/4 compare every table and every attachment file"
tables=$($PY scripts/compare_databases.py "$original_url" "$restored_url") || { echo "$tables"; exit 1; }
echo "   tables: $tables"
files=$($PY scripts/compare_files.py "$ATTACHMENTS_ROOT" "$restored_files" "$restored_url") || { echo "$files"; exit 1; }
echo "   files: $files"
if [ "$(find "$restored_files" -type f | wc -l)" -eq 0 ]; then
  echo "the demo county left no attachment files to compare" >&2
  exit 1
fi
# Each comparison must be able to fail: change one row of the restored copy and expect a difference.
psql -q -d "$restored" -c "UPDATE villages_village SET households = households + 1 WHERE id = (SELECT min(id) FROM villages_village)"
if $PY scripts/compare_databases.py "$original_url" "$restored_url" >"$work/tampered.txt"; then
  echo "the comparison missed a changed row" >&2
  exit 1
fi
echo "   (self-check: a changed row in the copy is reported: $(tail -1 "$work/tampered.txt"))"
# And one changed byte in a restored attachment file.
first_file=$(find "$restored_files" -type f | sort | head -1)
printf 'x' >>"$first_file"
if $PY scripts/compare_files.py "$ATTACHMENTS_ROOT" "$restored_files" >"$work/tampered-files.txt"; then
  echo "the comparison missed a changed attachment file" >&2
  exit 1
fi
echo "   (self-check: a changed attachment file is reported: $(tail -1 "$work/tampered-files.txt"))"
echo "backup drill: database ${tables#identical: }; attachments ${files#identical: }"
