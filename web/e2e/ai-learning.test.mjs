// SPDX-License-Identifier: AGPL-3.0-or-later
// The AI's learning loop end to end, through the real API: a synthetic city (drawn shapes of
// three waste types on noisy backgrounds, known boxes) is reported by a citizen and labelled
// by an admin; the admin's export trains a small model on this machine's CPUs (ai/train.py);
// its held-out mAP50 must clear 0.8, and a server running it must find the waste on a new
// photo that the old model could not; registered as a candidate it runs in shadow, and
// promoted (then rolled back) it replaces the live model without a restart. A broken
// trainer, evaluator, export or registry fails it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { api, artifacts, launchBrowser, startServer } from "./harness.mjs";

const repo = resolve(import.meta.dirname, "../..");
const TYPES = ["plastic", "glass", "metal"]; // ai/make_synthetic_dataset.py's classes, in order
let server;
let work;

before(async () => {
  server = await startServer();
  work = mkdtempSync(join(tmpdir(), "cleanai-learning-"));
});
after(async () => {
  await server?.stop();
  if (work && !process.env.KEEP_WORK) rmSync(work, { recursive: true, force: true });
});

async function login(username) {
  const r = await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username, password: server.passwords[username] },
  });
  assert.equal(r.status, 200);
  return r.body.accessToken;
}

/** A synthetic picture set: [{file, type, boxes: [{x, y, w, h}]}] (top-left, normalised). */
function pictures(dir, images, seed) {
  execFileSync("/usr/bin/python3", [join(repo, "ai/make_synthetic_dataset.py"), dir,
    "--images", String(images), "--seed", String(seed), "--one-class"]);
  return readdirSync(join(dir, "images")).sort().map((name) => {
    const stem = name.replace(/\.jpg$/, "");
    const rows = readFileSync(join(dir, "labels", `${stem}.txt`), "utf8").trim().split("\n")
      .map((l) => l.split(" ").map(Number));
    return {
      file: join(dir, "images", name),
      type: TYPES[rows[0][0]],
      boxes: rows.map(([, cx, cy, w, h]) => ({ x: cx - w / 2, y: cy - h / 2, w, h })),
    };
  });
}

async function analyze(url, token, file) {
  const form = new FormData();
  form.set("photo", new Blob([readFileSync(file)]), "p.jpg");
  let res;
  try {
    res = await fetch(`${url}/api/ai/analyze`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
  } catch (e) {
    throw new Error(`analyze: ${e.message} (${e.cause?.code ?? e.cause})`);
  }
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

function iou(a, b) {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (ix * iy) / (a.w * a.h + b.w * b.h - ix * iy);
}

test("admins' labels train a model that clears mAP50 0.8 on held-out reports and finds waste the old model missed", { timeout: 20 * 60_000 }, async () => {
  const citizen = await login("citizen");
  const admin = await login("admin");

  // A citizen reports each photo with its type; an admin confirms it and draws the boxes.
  const city = pictures(join(work, "city"), 240, 3);
  for (const [i, p] of city.entries()) {
    const form = new FormData();
    form.set("wasteType", p.type);
    form.set("lat", (24.80 + (i % 20) * 0.004).toFixed(6));
    form.set("lng", (67.00 + Math.floor(i / 20) * 0.004).toFixed(6));
    form.set("photo", new Blob([readFileSync(p.file)]), "p.jpg");
    const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${citizen}` }, body: form });
    assert.equal(res.status, 201, await res.clone().text());
    const id = (await res.json()).id;
    const label = await api(server.url, `/api/ai/reports/${id}/label`, { method: "PUT", token: admin, json: { wasteType: p.type, boxes: p.boxes } });
    assert.equal(label.status, 200, JSON.stringify(label.body));
  }

  // The admin's export, page by page.
  const pages = [];
  let cursor = "";
  let images = 0;
  do {
    const res = await fetch(`${server.url}/api/ai/dataset?limit=100${cursor ? `&after=${cursor}` : ""}`, { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(res.status, 200);
    images += Number(res.headers.get("x-images"));
    const page = join(work, `page${pages.length}.tar`);
    writeFileSync(page, Buffer.from(await res.arrayBuffer()));
    pages.push(page);
    cursor = res.headers.get("x-next-cursor") ?? "";
  } while (cursor);
  assert.equal(images, city.length);

  // Training on this machine: a small network at 320 pixels, 2 threads.
  const run = join(work, "run");
  // Not execFileSync: a blocked event loop would miss the server closing idle connections
  // and send the next request down a dead one.
  const code = await new Promise((ok) => {
    spawn("/usr/bin/python3", [join(repo, "ai/train.py"), "--data", ...pages, "--out", run,
      "--size", "320", "--scale", "t", "--epochs", "20", "--batch", "8", "--threads", "2", "--seed", "1"],
    { stdio: ["ignore", "inherit", "inherit"] }).on("exit", ok);
  });
  assert.equal(code, 0, "ai/train.py failed");
  const card = JSON.parse(readFileSync(join(run, "model.card.json"), "utf8"));
  assert.ok(card.metrics.map50 >= 0.8, `held-out mAP50 ${card.metrics.map50}`);
  assert.equal(card.data.train.photos + card.data.val.photos, city.length);
  assert.ok(card.data.val.reports >= 40, "a fifth of the reports are held out");
  assert.equal(card.input_size, 320);
  for (const t of TYPES) assert.ok(card.data.train.classes[t].boxes > 0);
  const held = new Set(JSON.parse(readFileSync(join(run, "split.json"), "utf8")).val);
  assert.equal(held.size, card.data.val.reports);

  // The registry: the server's first model (the test network of ai/make_test_model.py,
  // which knows bottles, cans and glass at fixed places) as version 1, made live; the
  // trained one as version 2, a candidate that runs in shadow.
  const first = await register(admin, join(server.dataDir, "taco-test"));
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal((await promote(admin, 1)).status, 200);
  await until(async () => (await api(server.url, "/api/ai/status", { token: admin })).body.version === 1);
  // A network whose head does not match its names is refused, and nothing changes.
  const wrong = await register(admin, join(run, "model"), "plastic\nglass\n");
  assert.equal(wrong.status, 422, JSON.stringify(wrong.body));
  assert.equal((await api(server.url, "/api/ai/models", { token: admin })).body.models.length, 1);
  const candidate = await register(admin, join(run, "model"));
  assert.equal(candidate.status, 201, JSON.stringify(candidate.body));
  assert.deepEqual([candidate.body.version, candidate.body.status, candidate.body.inputSize], [2, "candidate", 320]);
  assert.equal(candidate.body.card.metrics.map50, card.metrics.map50);
  assert.equal((await register(admin, join(run, "model"))).status, 409);

  // A new report: the live model answers it, the candidate looks at it in shadow, and
  // only the registry's figures show what the candidate said.
  const [fresh] = pictures(join(work, "fresh"), 1, 99);
  const form = new FormData();
  form.set("wasteType", fresh.type);
  form.set("lat", "24.900000");
  form.set("lng", "67.100000");
  form.set("photo", new Blob([readFileSync(fresh.file)]), "p.jpg");
  const filed = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${citizen}` }, body: form });
  assert.equal(filed.status, 201);
  const reportId = (await filed.json()).id;
  assert.equal((await api(server.url, `/api/ai/reports/${reportId}/label`, { method: "PUT", token: admin, json: { wasteType: fresh.type, boxes: fresh.boxes } })).status, 200);
  let shadow;
  await until(async () => {
    const list = (await api(server.url, "/api/ai/models", { token: admin })).body;
    shadow = list.models.find((m) => m.version === 2).shadow;
    return shadow?.labelled >= 1;
  });
  assert.equal(shadow.agreement, 1, JSON.stringify(shadow));
  const seen = (await api(server.url, `/api/ai/reports/${reportId}`, { token: admin })).body;
  assert.ok(seen.photos.length > 0 && seen.photos.every((p) => p.model === first.body.name), JSON.stringify(seen));
  const before = await analyze(server.url, admin, fresh.file);
  const missedBefore = fresh.boxes.some((box) => !before.detections.some((d) => d.wasteType === fresh.type && iou(d, box) >= 0.5));
  assert.ok(missedBefore, "the first model already found every box: the photo proves nothing");

  // Promoted: the same server, without a restart, finds every box.
  assert.equal((await promote(admin, 2)).status, 200);
  const status = (await api(server.url, "/api/ai/status", { token: admin })).body;
  assert.deepEqual([status.enabled, status.version], [true, 2], JSON.stringify(status));
  const afterwards = await analyze(server.url, admin, fresh.file);
  assert.equal(afterwards.detectedType, fresh.type, JSON.stringify(afterwards));
  for (const box of fresh.boxes) {
    const found = afterwards.detections.some((d) => d.wasteType === fresh.type && iou(d, box) >= 0.5);
    assert.ok(found, `a ${fresh.type} at ${JSON.stringify(box)}: ${JSON.stringify(afterwards.detections)}`);
  }

  // An admin rolls back on the dashboard: the AI card names the live version, shows the
  // candidate's card and shadow figures, and version 1 answers again.
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel("Username or email").fill("admin");
    await page.getByLabel("Password").fill(server.passwords.admin);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/dashboard");
    const models = page.getByRole("region", { name: "Trained models" });
    await models.getByText(/^Live: .+ \(version 2\)$/).waitFor();
    await models.getByText(/In shadow: agrees with admins on 100% of 1 labelled photos/).waitFor();
    await models.getByText("Model card").first().click();
    await models.getByRole("cell", { name: new RegExp(`^${fresh.type}$`, "i") }).first().waitFor();
    await page.getByRole("heading", { name: "Trained models" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, "ai-models-desktop.png") });
    await models.getByRole("button", { name: "Roll back to version 1" }).click();
    await models.getByText("Live: version 1", { exact: true }).waitFor();
  } finally {
    await browser.close();
  }
  assert.equal((await api(server.url, "/api/ai/status", { token: admin })).body.version, 1);
  const rolledBack = await analyze(server.url, admin, fresh.file);
  assert.deepEqual(rolledBack.detections, before.detections);
  const models = (await api(server.url, "/api/ai/models", { token: admin })).body.models;
  assert.deepEqual(models.map((m) => [m.version, m.status]), [[2, "retired"], [1, "live"]]);
  // Only admins see the registry.
  assert.equal((await api(server.url, "/api/ai/models", { token: citizen })).status, 403);
});

async function register(token, base, names) {
  const form = new FormData();
  form.set("model", new Blob([readFileSync(`${base}.onnx`)]), "model.onnx");
  form.set("names", names ?? readFileSync(`${base}.names`, "utf8"));
  form.set("mapping", readFileSync(`${base}.mapping`, "utf8"));
  try {
    form.set("card", readFileSync(`${base}.card.json`, "utf8"));
  } catch {
    // the test network has no card
  }
  const res = await fetch(`${server.url}/api/ai/models`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json() };
}

function promote(token, version) {
  return api(server.url, `/api/ai/models/${version}/promote`, { method: "POST", token });
}

async function until(check, seconds = 60) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail("timed out waiting");
}
