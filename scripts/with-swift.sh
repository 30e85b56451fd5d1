#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Runs a command with a throw-away OpenStack Swift on loopback speaking the S3 API
# (Debian's swift packages; s3api checks every SigV4 signature, tempauth holds one key):
# a temp directory, one device, one replica, memcached, free ports from 56100 up, no
# systemd. The command sees
#   CLEANAI_TEST_S3_ENDPOINT   http://127.0.0.1:PORT (path-style, region us-east-1)
#   CLEANAI_TEST_S3_ACCESS_KEY cleanai:media     CLEANAI_TEST_S3_SECRET_KEY (random)
#   CLEANAI_TEST_S3_BUCKET     cleanai-test (created)
# Everything is stopped and removed afterwards, whatever the command's outcome.
#   scripts/with-swift.sh ctest --test-dir build/release
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PY=/usr/bin/python3  # Swift is Debian's Python package: never a pyenv python
for b in swift-proxy-server swift-account-server swift-container-server swift-object-server memcached curl; do
  command -v "$b" >/dev/null || { echo "with-swift: $b is not installed (make setup-test)" >&2; exit 1; }
done

DIR="$(mktemp -d /tmp/cleanai-swift-XXXXXX)"
chmod 755 "$DIR"
mkdir -p "$DIR/etc" "$DIR/srv/d1" "$DIR/log"
# Swift refuses to run its daemons as root unless told a user; use the owner of DIR.
USER_NAME=$(id -un)
PIDS=()
stop_swift() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$DIR"
}
trap stop_swift EXIT

# No socket at all on the port (a client's ephemeral port in TIME-WAIT blocks a bind too).
port_free() { [[ -z "$(ss -Htan "sport = :$1" 2>/dev/null)" ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
BASE=""
for p in $(seq 56100 10 56900); do
  if port_free $p && port_free $((p + 1)) && port_free $((p + 2)) && port_free $((p + 3)) && port_free $((p + 4)); then
    BASE=$p; break
  fi
done
[[ -n "$BASE" ]] || { echo "with-swift: no free ports" >&2; exit 1; }
SECRET=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
for kind in proxy account container object; do
  sed -e "s#{{DIR}}#$DIR#g" -e "s#{{USER}}#$USER_NAME#g" -e "s#{{SECRET}}#$SECRET#g" \
      -e "s#{{PROXY_PORT}}#$BASE#g" -e "s#{{CONTAINER_PORT}}#$((BASE + 1))#g" \
      -e "s#{{ACCOUNT_PORT}}#$((BASE + 2))#g" -e "s#{{OBJECT_PORT}}#$((BASE + 3))#g" \
      -e "s#{{CACHE_PORT}}#$((BASE + 4))#g" "$here/swift/$kind-server.conf.in" > "$DIR/etc/$kind-server.conf"
done
# Swift reads its hash prefix from /etc/swift/swift.conf (package swift) and nowhere else.
[[ -f /etc/swift/swift.conf ]] || { echo "with-swift: /etc/swift/swift.conf is missing (package swift)" >&2; exit 1; }
"$PY" "$here/swift/rings.py" "$DIR/etc" $((BASE + 2)) $((BASE + 1)) $((BASE + 3)) > "$DIR/log/rings.log" 2>&1 ||
  { cat "$DIR/log/rings.log" >&2; exit 1; }

spawn() {  # NAME COMMAND...
  local name=$1; shift
  setsid "$@" > "$DIR/log/$name.log" 2>&1 < /dev/null &
  PIDS+=($!)
}
MC=(memcached -l 127.0.0.1 -p $((BASE + 4)) -U 0 -m 16)
[[ $(id -u) -eq 0 ]] && MC+=(-u "$USER_NAME")
spawn memcached "${MC[@]}"
for kind in account container object proxy; do spawn "$kind" "swift-$kind-server" "$DIR/etc/$kind-server.conf"; done

ENDPOINT="http://127.0.0.1:$BASE"
EMPTY=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
# curl's -u splits at the first colon and the access key has one: credentials in the URL.
signed() { curl -sS --max-time 5 --aws-sigv4 "aws:amz:us-east-1:s3" -H "x-amz-content-sha256: $EMPTY" "$@"; }
ready=""
for _ in $(seq 300); do
  code=$(signed -o /dev/null -w '%{http_code}' -X PUT "http://cleanai%3Amedia:$SECRET@127.0.0.1:$BASE/cleanai-test" 2>/dev/null || true)
  if [[ "$code" == 200 ]]; then ready=1; break; fi
  sleep 0.1
done
if [[ -z "$ready" ]]; then
  echo "with-swift: Swift did not answer a signed request (last HTTP code: ${code:-none})" >&2
  for f in "$DIR"/log/*.log; do echo "--- $f" >&2; tail -n 15 "$f" >&2; done
  exit 1
fi
echo "with-swift: S3 API on $ENDPOINT (bucket cleanai-test)"
export CLEANAI_TEST_S3_ENDPOINT="$ENDPOINT" CLEANAI_TEST_S3_ACCESS_KEY="cleanai:media"
export CLEANAI_TEST_S3_SECRET_KEY="$SECRET" CLEANAI_TEST_S3_BUCKET="cleanai-test"
"$@"
