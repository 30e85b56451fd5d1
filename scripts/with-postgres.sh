#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Runs a command with a throw-away PostgreSQL 15 on loopback: a temp directory, trust
# auth, fsync off, a free port from 55432 up. The command sees CLEANAI_TEST_PG_URL (an
# admin URL to the `postgres` database); the cluster is stopped and removed afterwards,
# whatever the command's outcome.
#   scripts/with-postgres.sh ctest --test-dir build/release
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
[[ -x "$PG_BIN/initdb" ]] || { echo "with-postgres: PostgreSQL 15 is not installed (make setup-test)"; exit 1; }

PG_DIR="$(mktemp -d /tmp/cleanai-pg-XXXXXX)"
chmod 755 "$PG_DIR"
AS_PG=()
if [[ $(id -u) -eq 0 ]]; then
  # PostgreSQL refuses to run as root; the Debian package created the postgres user.
  chown postgres:postgres "$PG_DIR"
  AS_PG=(runuser -u postgres --)
fi

stop_pg() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT

PORT=""
for p in $(seq 55432 55632); do
  # Free means no socket at all on it: a client's ephemeral port in TIME-WAIT (a test's
  # thousands of connections) also stops PostgreSQL from binding it.
  if [[ -z "$(ss -Htan "sport = :$p" 2>/dev/null)" ]] && ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
    PORT=$p; break
  fi
done
[[ -n "$PORT" ]] || { echo "with-postgres: no free port"; exit 1; }

"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; exit 1; }
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
  -o "-p $PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$PG_DIR/server.log"; exit 1; }
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$PORT"

export CLEANAI_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
"$@"
