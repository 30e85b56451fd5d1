#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The Debian package as a city's IT team meets it:
#   1. lintian: no error and no warning (overrides in packaging/lintian-overrides);
#   2. into a throw-away root (an overlay over this Debian machine, so nothing here
#      changes): dpkg -i, and check the user, the modes, the conffile and the migration
#      the postinst ran; systemd-analyze verify on the installed unit; the packaged
#      training loop (ai/train.py) runs from /usr/share/cleanai/ai;
#   3. the server started as the unit starts it (its User, WorkingDirectory, ExecStart,
#      UMask; sd_notify READY=1 awaited on a socket like systemd's), serving the web app,
#      the gazetteer and the API, with the first admin's password in its private file;
#   4. an invalid configuration fails the start with the key named;
#   5. dpkg -r keeps data, configuration and user (and leaves no Python byte code behind);
#      dpkg -i again keeps the same data;
#      dpkg -P removes all three.
# Usage: tests/package/test-package.sh BUILD_DIR   (after `make deb`; as root)
set -euo pipefail
build_dir=$(cd "${1:?usage: test-package.sh BUILD_DIR}" && pwd)
deb=$(ls -1 "$build_dir"/cleanai_*_amd64.deb | tail -1)
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

echo "# lintian $(basename "$deb")"
if lintian_out=$(lintian --allow-root --fail-on error,warning "$deb" 2>&1); then
  ok "lintian: no errors or warnings"
else
  echo "$lintian_out"; not_ok "lintian: no errors or warnings"
fi

work=$(mktemp -d /tmp/cleanai-package.XXXXXX)
root=$work/root
server_pid=""
cleanup() {
  set +e
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  for m in proc dev sys run; do umount -l "$root/$m" 2>/dev/null; done
  umount -l "$root" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$root" "$work/upper" "$work/overlay-work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/overlay-work" "$root"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"  # no /run/systemd/system: maintainer scripts start nothing
in_root() { chroot "$root" "$@"; }
# Owner and mode as the root itself names them (the cleanai user exists only there).
stat_in_root() { chroot "$root" stat -c "$1" "$2" 2>/dev/null; }
if in_root getent passwd cleanai >/dev/null; then
  echo "the root already has a cleanai user: not a clean root"; exit 1
fi
cp "$deb" "$root/tmp/cleanai.deb"

echo "# install"
check "dpkg -i installs" in_root dpkg -i /tmp/cleanai.deb
check "the binary is /usr/bin/cleanai" test -x "$root/usr/bin/cleanai"
check "the web app is under /usr/share/cleanai/web" test -f "$root/usr/share/cleanai/web/index.html"
check "the gazetteer is under /usr/share/cleanai/geo" test -f "$root/usr/share/cleanai/geo/cities.json"
check "the notices are under /usr/share/doc/cleanai" test -f "$root/usr/share/doc/cleanai/THIRD_PARTY_NOTICES.md.gz"
check "the training code is under /usr/share/cleanai/ai" test -f "$root/usr/share/cleanai/ai/training/loss.py"
check "no Python byte code is shipped" test -z "$(find "$root/usr/share/cleanai/ai" -name '*.pyc' -o -name __pycache__)"
# The packaged training loop runs from there (with the Suggests installed, as here): its
# imports resolve and a data set it cannot use is refused with the reason (exit 2). Run
# as root, Python leaves byte code beside it, which the prerm removes (checked below).
train_rc=0
train_out=$(in_root /usr/bin/python3 /usr/share/cleanai/ai/train.py --data /nonexistent --out /tmp/run 2>&1) ||
  train_rc=$?
if [[ $train_rc -eq 2 && "$train_out" == *nonexistent* ]]; then
  ok "the packaged ai/train.py runs and refuses a missing data set (exit 2)"
else
  echo "$train_out" | tail -5; not_ok "the packaged ai/train.py runs and refuses a missing data set (exit 2, got $train_rc)"
fi
check "the system user cleanai exists" in_root getent passwd cleanai
check "it has no login shell" test "$(in_root getent passwd cleanai | cut -d: -f7)" = /usr/sbin/nologin
check "cleanai.toml is 0640 root:cleanai" test "$(stat_in_root '%a %U:%G' /etc/cleanai/cleanai.toml)" = "640 root:cleanai"
check "cleanai.toml is a conffile" grep -qx /etc/cleanai/cleanai.toml "$root/var/lib/dpkg/info/cleanai.conffiles"
check "/var/lib/cleanai is 0700 cleanai" test "$(stat_in_root '%a %U' /var/lib/cleanai)" = "700 cleanai"
check "the postinst migrated the database" in_root runuser -u cleanai -- /usr/bin/cleanai migrate --check --config /etc/cleanai/cleanai.toml
check "the database belongs to cleanai" test "$(stat_in_root '%U' /var/lib/cleanai/cleanai.db)" = cleanai
if verify_out=$(in_root systemd-analyze verify cleanai.service 2>&1) && [[ -z "$verify_out" ]]; then
  ok "systemd-analyze verify accepts the unit"
else
  echo "$verify_out"; not_ok "systemd-analyze verify accepts the unit"
fi

# The unit's own settings, read from the installed file.
unit="$root/lib/systemd/system/cleanai.service"
unit_get() { sed -n "s/^$1=//p" "$unit" | head -1; }
check "the unit is Type=notify" test "$(unit_get Type)" = notify
exec_start=$(unit_get ExecStart)
unit_user=$(unit_get User)
unit_dir=$(unit_get WorkingDirectory)
unit_umask=$(unit_get UMask)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
notify_dir=$root/run/cleanai-notify
mkdir -p "$notify_dir" && chmod 0777 "$notify_dir"
ready_file=$work/ready
# A stand-in for systemd's notify socket: records what the service sends.
python3 - "$notify_dir/notify.sock" "$ready_file" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.settimeout(120)
got = b""
while b"READY=1" not in got:
    got += s.recv(4096)
open(sys.argv[2], "wb").write(got)
PY
listener=$!
for _ in $(seq 100); do [[ -S "$notify_dir/notify.sock" ]] && break; sleep 0.1; done

echo "# start as the unit does: User=$unit_user WorkingDirectory=$unit_dir ExecStart=$exec_start"
# shellcheck disable=SC2086
# setpriv, like systemd, execs the server itself (no PAM session, no parent in between).
chroot "$root" /bin/sh -c "umask $unit_umask; cd $unit_dir && exec setpriv --reuid=$unit_user \
  --regid=$unit_user --init-groups --no-new-privs -- env \
  NOTIFY_SOCKET=/run/cleanai-notify/notify.sock CLEANAI_SERVER_PORT=$port $exec_start" \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do [[ -s "$ready_file" ]] && break; sleep 0.1; done
check "the service reported READY=1" grep -q "READY=1" "$ready_file"
wait "$listener" 2>/dev/null || true
base="http://127.0.0.1:$port"
check "/readyz answers 200" test "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz")" = 200
check "the web app is served" sh -c "curl -sf '$base/' | grep -q '<div id=\"root\"'"
check "the gazetteer answers" sh -c "curl -sf '$base/api/geo/search?q=Lahore' | grep -q Lahore"
pw_file="$root/etc/cleanai/initial-admin-password"
check "the first admin's password is in a root-only file" test "$(stat_in_root '%a %U:%G' /etc/cleanai/initial-admin-password)" = "600 root:root"
check "the server made no second admin" test ! -e "$root/var/lib/cleanai/initial-admin-password"
password=$(sed -n 's/^password: //p' "$pw_file" 2>/dev/null || true)
login_status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$base/api/auth/login")
check "the admin signs in with it" test "$login_status" = 200
check "the password is not in the service's output" test -n "$password" -a -z "$(grep -F -- "$password" "$work/server.log" || true)"
check "the output is JSON lines" sh -c "head -1 '$work/server.log' | python3 -c 'import json,sys; json.loads(sys.stdin.readline())'"
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null && stopped=0 || stopped=$?
server_pid=""
check "SIGTERM stops it cleanly" test "$stopped" = 0

echo "# an invalid configuration"
cp "$root/etc/cleanai/cleanai.toml" "$root/tmp/bad.toml"
sed -i 's/^\[server\]$/[server]\nprot = 80/' "$root/tmp/bad.toml"  # a misspelt key
chmod 0644 "$root/tmp/bad.toml"
set +e
bad_out=$(chroot "$root" runuser -u cleanai -- /usr/bin/cleanai serve --config /tmp/bad.toml 2>&1)
bad_code=$?
set -e
check "it exits 2 (RestartPreventExitStatus)" test "$bad_code" = 2
echo "$bad_out" | sed 's/^/#   /'
check "naming the key" grep -q "server.prot" <<<"$bad_out"

echo "# remove, reinstall, purge"
check "dpkg -r removes" in_root dpkg -r cleanai
check "the binary is gone" test ! -e "$root/usr/bin/cleanai"
check "/usr/share/cleanai is gone, byte code included" test ! -e "$root/usr/share/cleanai"
check "remove keeps the data" test -f "$root/var/lib/cleanai/cleanai.db"
check "remove keeps the configuration" test -f "$root/etc/cleanai/cleanai.toml"
check "remove keeps the user" in_root getent passwd cleanai
check "dpkg -i again" in_root dpkg -i /tmp/cleanai.deb
check "the same password file is kept" grep -qF "password: $password" "$pw_file"
check "dpkg -P purges" in_root dpkg -P cleanai
check "purge deletes the data" test ! -e "$root/var/lib/cleanai"
check "purge deletes the configuration and the password file" test ! -e "$root/etc/cleanai"
check "purge deletes the user" sh -c "! chroot '$root' getent passwd cleanai"
check "purge deletes the group" sh -c "! chroot '$root' getent group cleanai"
check "no statoverride is left" sh -c "! chroot '$root' dpkg-statoverride --list /etc/cleanai/cleanai.toml"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
