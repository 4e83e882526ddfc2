#!/bin/sh
# The backup service: pg_dump -Fc once a day into /backups, keeping BACKUP_KEEP_DAYS (30) days, and
# beside each dump an archive of the attachments volume (mounted read-only at /attachments) when present.
# A dump is written under a temporary name and renamed when complete, so a broken run never
# looks like a backup. PGHOST, PGUSER, PGPASSWORD and PGDATABASE come from the environment.
set -eu
keep_days=${BACKUP_KEEP_DAYS:-30}
interval=${BACKUP_INTERVAL_SECONDS:-86400}
mkdir -p /backups
while true; do
  stamp=$(date +%Y%m%d-%H%M%S)
  if pg_dump -Fc -f "/backups/.lianchun-$stamp.dump.partial" "$PGDATABASE"; then
    mv "/backups/.lianchun-$stamp.dump.partial" "/backups/lianchun-$stamp.dump"
    echo "backup /backups/lianchun-$stamp.dump written"
    if [ -d /attachments ]; then
      tar -czf "/backups/.attachments-$stamp.tar.gz.partial" -C /attachments . &&
        mv "/backups/.attachments-$stamp.tar.gz.partial" "/backups/attachments-$stamp.tar.gz" &&
        echo "attachments /backups/attachments-$stamp.tar.gz written"
    fi
  else
    rm -f "/backups/.lianchun-$stamp.dump.partial"
    echo "backup FAILED at $stamp" >&2
  fi
  find /backups \( -name 'lianchun-*.dump' -o -name 'attachments-*.tar.gz' \) -mtime +"$keep_days" -print -delete
  sleep "$interval"
done
