#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# How long `cleanai backup` and `cleanai restore` take for a city: N reports (default
# 100,000, `cleanai bench-seed`) on SQLite, P of them (default 5,000) with their own
# 150 KB photo in the local store. Prints seconds and MB/s for each step.
#   bench/backup.sh [build-dir] [reports] [photos]
set -euo pipefail
BUILD_DIR="${1:-build/release}"
COUNT="${2:-100000}"
PHOTOS="${3:-5000}"
cd "$(dirname "$0")/.."
DATA="$(mktemp -d /tmp/cleanai-bench-XXXXXX)"
trap 'rm -rf "$DATA"' EXIT
export CLEANAI_STORAGE_DATA_DIR="$DATA/source" CLEANAI_LOG_LEVEL=warn
export CLEANAI_DATABASE_URL="sqlite:///$DATA/source/cleanai.db"
mkdir -p "$CLEANAI_STORAGE_DATA_DIR"
"$BUILD_DIR/cleanai" bench-seed --reports "$COUNT" --history-days 365 >/dev/null 2>&1
# P photos of their own: random bytes under their content hash, as the local store keeps
# them (media/ab/cd/<key>.jpg), each referenced by one report.
/usr/bin/python3 - "$DATA/source" "$PHOTOS" <<'PY'
import hashlib, os, sqlite3, sys
root, n = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(os.path.join(root, "cleanai.db"))
ids = [r[0] for r in db.execute("SELECT id FROM reports LIMIT ?", (n,))]
for report_id in ids:
    data = os.urandom(150 * 1024)
    key = hashlib.sha256(data).hexdigest()
    folder = os.path.join(root, "media", key[:2], key[2:4])
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, key + ".jpg"), "wb") as f:
        f.write(data)
    db.execute("UPDATE reports SET image_key = ? WHERE id = ?", (key, report_id))
db.commit()
PY
DB_MB=$(( $(stat -c %s "$DATA/source/cleanai.db") / 1048576 ))
echo "machine: $(nproc) cores; SQLite; $COUNT reports ($DB_MB MB database), $PHOTOS photos of 150 KB"
start=$(date +%s.%N)
"$BUILD_DIR/cleanai" backup --to "$DATA/backup"
backup_s=$(awk "BEGIN {print $(date +%s.%N) - $start}")
TOTAL_MB=$(( $(du -sb "$DATA/backup" | cut -f1) / 1048576 ))
export CLEANAI_STORAGE_DATA_DIR="$DATA/restored" CLEANAI_DATABASE_URL="sqlite:///$DATA/restored/cleanai.db"
start=$(date +%s.%N)
"$BUILD_DIR/cleanai" restore --from "$DATA/backup"
restore_s=$(awk "BEGIN {print $(date +%s.%N) - $start}")
printf "backup:  %6.1f s for %d MB (%.0f MB/s)\n" "$backup_s" "$TOTAL_MB" "$(awk "BEGIN {print $TOTAL_MB / $backup_s}")"
printf "restore: %6.1f s for %d MB (%.0f MB/s), checksums of every file first\n" "$restore_s" "$TOTAL_MB" "$(awk "BEGIN {print $TOTAL_MB / $restore_s}")"
