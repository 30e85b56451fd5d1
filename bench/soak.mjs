// SPDX-License-Identifier: AGPL-3.0-or-later
// Soak: the real server under steady mixed traffic for a long time — reads, citizens'
// submissions with photos, admins' status changes, open SSE streams (reconnected when
// closed), Open311 reads and posts. Fails when any answer is a 5xx, the server dies,
// resident memory grows more than 10% after the warm-up, or open descriptors grow.
//   node bench/soak.mjs                 (bench/soak.sh; SOAK_SECONDS=600, SOAK_RATE=40/s)
import { readFileSync, readdirSync } from "node:fs";
import { api, makeJpeg, startServer } from "../web/e2e/harness.mjs";

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const rate = Number(process.env.SOAK_RATE ?? 40); // operations a second
const warmup = Math.min(60, Math.floor(seconds / 5));
const sseClients = 20;

const server = await startServer();
const { url, pid } = server;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const procStatus = () => readFileSync(`/proc/${pid}/status`, "utf8");
const rssKb = () => Number(procStatus().match(/VmRSS:\s+(\d+)/)[1]);
const openFds = () => readdirSync(`/proc/${pid}/fd`).length;

const counts = { ok: 0, client: 0, server: 0, failed: 0 };
const byOp = {};
function record(op, status) {
  byOp[op] ??= { n: 0, s5xx: 0 };
  byOp[op].n++;
  if (status >= 500) {
    counts.server++;
    byOp[op].s5xx++;
    console.error(`soak: ${op} answered ${status}`);
  } else if (status >= 400) counts.client++;
  else if (status === 0) counts.failed++;
  else counts.ok++;
}

const login = async (u, p) => (await api(url, "/api/auth/login", { method: "POST", json: { username: u, password: p } })).body.accessToken;
let admin = await login("admin", server.passwords.admin);
let citizen = await login("citizen", server.passwords.citizen);
// Access tokens last 15 minutes: renewed every 10.
setInterval(async () => {
  admin = await login("admin", server.passwords.admin);
  citizen = await login("citizen", server.passwords.citizen);
}, 600_000).unref();

const photos = [0, 1, 2, 3].map((i) => readFileSync(makeJpeg(server.dataDir, `soak${i}`, 1600 + i * 8, 1200)));
const keyRes = await api(url, "/api/open311/keys", { method: "POST", token: admin, json: { name: "soak" } });
const apiKey = keyRes.body.apiKey;
const reports = [];
let seq = 0;

async function call(op, path, init = {}) {
  try {
    const res = await fetch(url + path, init);
    const body = await res.arrayBuffer();
    record(op, res.status);
    return { status: res.status, body };
  } catch (e) {
    record(op, 0);
    console.error(`soak: ${op} failed: ${e.message}`);
    return { status: 0 };
  }
}
const auth = (t) => ({ Authorization: `Bearer ${t}` });

async function submit() {
  const form = new FormData();
  form.set("wasteType", ["plastic", "organic", "metal", "glass"][seq % 4]);
  form.set("lat", String(31.45 + (seq % 100) * 0.001));
  form.set("lng", String(74.3 + (seq % 37) * 0.001));
  form.set("photo", new Blob([photos[seq % photos.length]]), "p.jpg");
  const key = `soak-${seq++}`;
  const r = await call("submit", "/api/reports", { method: "POST", headers: { ...auth(citizen), "Idempotency-Key": key }, body: form });
  if (r.status === 201) reports.push(JSON.parse(Buffer.from(r.body).toString()).id);
}
async function changeStatus() {
  const id = reports.shift();
  if (!id) return;
  const status = ["acknowledged", "rejected"][seq++ % 2];
  const json = status === "rejected" ? { status, reason: "soak" } : { status };
  await call("status", `/api/reports/${id}/status`, { method: "PATCH", headers: { ...auth(admin), "Content-Type": "application/json" }, body: JSON.stringify(json) });
}
async function open311Post() {
  const f = new FormData();
  for (const [k, v] of Object.entries({ api_key: apiKey, service_code: "plastic", lat: "31.5", long: "74.35", description: "soak" })) f.set(k, v);
  f.set("media", new Blob([photos[0]]), "m.jpg");
  await call("open311-post", "/open311/v2/requests.json", { method: "POST", body: f });
}
const reads = [
  () => call("list", "/api/reports?limit=50", { headers: auth(admin) }),
  () => call("nearby", "/api/reports/nearby?lat=31.5&lng=74.33&radius=2000", { headers: auth(citizen) }),
  () => call("by-id", `/api/reports/${reports[reports.length - 1] ?? "00000000-0000-7000-8000-000000000000"}`, { headers: auth(admin) }),
  () => call("dashboard", "/api/analytics/summary", { headers: auth(admin) }),
  () => call("open311-list", "/open311/v2/requests.json"),
  () => call("health", "/healthz"),
  () => call("page", "/"),
];
// Operation mix: mostly reads, as in a city's day.
function pick() {
  const r = Math.random();
  if (r < 0.08) return submit;
  if (r < 0.14) return changeStatus;
  if (r < 0.16) return open311Post;
  return reads[Math.floor(Math.random() * reads.length)];
}

// SSE clients that stay connected (and reconnect when the server closes a stream).
let stopping = false;
let sseEvents = 0;
async function sseClient() {
  while (!stopping) {
    try {
      const ctrl = new AbortController();
      const res = await fetch(`${url}/api/events?accessToken=${admin}`, { signal: ctrl.signal });
      record("sse-open", res.status);
      const reader = res.body.getReader();
      const stop = setInterval(() => stopping && ctrl.abort(), 500);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          sseEvents += (Buffer.from(value).toString().match(/\nevent:/g) ?? []).length;
        }
      } finally {
        clearInterval(stop);
      }
    } catch (e) {
      if (!stopping && e.name !== "AbortError") console.error(`soak: sse: ${e.message}`);
    }
    if (!stopping) await sleep(500);
  }
}
const streams = Array.from({ length: sseClients }, () => sseClient());

const samples = [];
const start = Date.now();
let inFlight = 0;
const interval = 1000 / rate;
let next = Date.now();
let baseline = null;
let lastSample = 0;
while (Date.now() - start < seconds * 1000) {
  const now = Date.now();
  if (now >= next) {
    next += interval;
    if (inFlight < 200) {
      inFlight++;
      pick()().finally(() => inFlight--);
    }
  } else {
    await sleep(Math.max(1, next - now));
  }
  if (now - lastSample >= 10_000) {
    lastSample = now;
    let rss = 0;
    let fds = 0;
    try {
      rss = rssKb();
      fds = openFds();
    } catch {
      console.error("soak: the server is gone");
      counts.server++;
      break;
    }
    const t = Math.round((now - start) / 1000);
    samples.push({ t, rss, fds });
    if (!baseline && t >= warmup) baseline = { rss, fds };
    console.log(`soak: t=${t}s rss=${(rss / 1024).toFixed(1)} MB fds=${fds} ok=${counts.ok} 4xx=${counts.client} 5xx=${counts.server} sse-events=${sseEvents}`);
  }
}
stopping = true;
while (inFlight > 0) await sleep(50);
await Promise.race([Promise.all(streams), sleep(3000)]);

const last = samples[samples.length - 1];
const growth = baseline ? (last.rss - baseline.rss) / baseline.rss : 0;
const fdGrowth = baseline ? last.fds - baseline.fds : 0;
console.log(`soak: ${seconds} s at ${rate} ops/s, ${sseClients} SSE clients: ${counts.ok} ok, ${counts.client} 4xx, ${counts.server} 5xx, ${counts.failed} failed connections`);
console.log(`soak: by operation ${JSON.stringify(byOp)}`);
if (baseline) {
  console.log(`soak: RSS after warm-up ${(baseline.rss / 1024).toFixed(1)} MB -> end ${(last.rss / 1024).toFixed(1)} MB (${(growth * 100).toFixed(1)}%); fds ${baseline.fds} -> ${last.fds}`);
}
await server.stop();
const failures = [];
if (counts.server > 0) failures.push(`${counts.server} 5xx answers`);
if (counts.failed > 0) failures.push(`${counts.failed} failed connections`);
if (growth > 0.1) failures.push(`RSS grew ${(growth * 100).toFixed(1)}% after warm-up`);
if (fdGrowth > 2) failures.push(`open descriptors grew by ${fdGrowth}`);
if (failures.length) {
  console.log(`soak: FAILED: ${failures.join("; ")}`);
  process.exit(1);
}
console.log("soak: passed");
process.exit(0);
