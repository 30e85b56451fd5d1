#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Server time per 4 MB phone-photo submission (decode, EXIF, resize, thumbnail, store,
# commit) with photos on the local disk and in an S3 bucket, side by side. The bucket is a
# local OpenStack Swift (scripts/with-swift.sh), so the S3 figure is the protocol's and
# Swift's cost on this machine, not a network's.
#   bench/photo_store.sh [build-dir] [submissions]       (starts Swift itself)
set -euo pipefail
BUILD_DIR="${1:-build/release}"
N="${2:-10}"
cd "$(dirname "$0")/.."
if [[ -z "${CLEANAI_TEST_S3_ENDPOINT:-}" ]]; then exec scripts/with-swift.sh "$0" "$@"; fi
export BENCH_DIR="$PWD/bench"
PHOTO_DIR="$(mktemp -d /tmp/cleanai-photo-XXXXXX)"
trap 'rm -rf "$PHOTO_DIR"' EXIT
vips gaussnoise "$PHOTO_DIR/noise.v" 4032 3024 --sigma 60 --mean 128
vips bandjoin "$PHOTO_DIR/noise.v $PHOTO_DIR/noise.v $PHOTO_DIR/noise.v" "$PHOTO_DIR/rgb.v"
vips jpegsave "$PHOTO_DIR/rgb.v" "$PHOTO_DIR/phone.jpg" --Q 88
echo "machine: $(nproc) cores; photo: $(( $(stat -c %s "$PHOTO_DIR/phone.jpg") / 1024 )) KiB, 4032x3024; $N sequential submissions"

run() {  # NAME, then CLEANAI_* settings in the environment
  (
    DATA="$(mktemp -d /tmp/cleanai-bench-XXXXXX)"
    export CLEANAI_STORAGE_DATA_DIR="$DATA" CLEANAI_DATABASE_URL="sqlite:///$DATA/bench.db"
    source bench/common.sh
    start_server "$BUILD_DIR"
    TOKEN=$(curl -s -X POST "$URL/api/auth/register" -H 'Content-Type: application/json' \
      -d '{"username":"photobench","email":"photo@bench.example","password":"photo bench passphrase"}' |
      sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
    for i in $(seq "$N"); do
      # A different photo each time (one byte of the comment), as citizens send.
      exiftool -q -overwrite_original -Comment="bench $i $RANDOM" "$PHOTO_DIR/phone.jpg"
      curl -s -o /dev/null -X POST "$URL/api/reports" -H "Authorization: Bearer $TOKEN" \
        -F wasteType=plastic -F lat=31.52 -F lng=74.35 -F "photo=@$PHOTO_DIR/phone.jpg"
    done
    sleep 0.2
    grep '"path":"/api/reports","route":"/api/reports","status":201' "$LOG" |
      grep -o '"durationMs":[0-9.eE+-]*' | cut -d: -f2 | sort -n > "$DATA/ms.txt"
    n=$(wc -l < "$DATA/ms.txt")
    echo "$1: $n stored; server ms per submission: median $(sed -n "$(( (n + 1) / 2 ))p" "$DATA/ms.txt"), max $(tail -1 "$DATA/ms.txt")"
  )
}
run "local disk"
CLEANAI_STORAGE_MEDIA_URL="s3://$CLEANAI_TEST_S3_BUCKET/bench-$RANDOM/" \
CLEANAI_STORAGE_S3_ENDPOINT="$CLEANAI_TEST_S3_ENDPOINT" \
CLEANAI_STORAGE_S3_ACCESS_KEY="$CLEANAI_TEST_S3_ACCESS_KEY" \
CLEANAI_STORAGE_S3_SECRET_KEY="$CLEANAI_TEST_S3_SECRET_KEY" run "S3 (Swift on loopback)"
