// SPDX-License-Identifier: AGPL-3.0-or-later
// End-to-end: the public side on the demo city. An anonymous visitor sees the city's
// reports on the map and a report's page, and no answer the browser receives names a
// reporter; a hidden photo is not served; an area's follower gets the email (a real SMTP
// server, aiosmtpd) for a report inside the area and not outside; the feeds validate as
// Atom (xmllint against tests/atom/atom.rng).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { api, artifacts, freePort, launchBrowser, makeJpeg, startServer } from "./harness.mjs";

const atomSchema = resolve(import.meta.dirname, "../../tests/atom/atom.rng");
let server;
let browser;
let smtp;
let maildir;
let admin;
let identities; // every string that would name a demo reporter

before(async () => {
  mkdirSync(join(artifacts, "screens"), { recursive: true });
  const port = await freePort();
  maildir = join(mkdtempSync(join(tmpdir(), "cleanai-mail-")), "maildir");
  smtp = spawn("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${port}`, "-c", "aiosmtpd.handlers.Mailbox", maildir], {
    stdio: "ignore",
  });
  server = await startServer({
    demoCity: true,
    env: {
      CLEANAI_NOTIFY_SMTP_URL: `smtp://127.0.0.1:${port}`,
      CLEANAI_NOTIFY_SMTP_FROM: "CleanAI <noreply@clean.example.org>",
      CLEANAI_NOTIFY_SMTP_STARTTLS: "false",
      CLEANAI_NOTIFY_WORKER_INTERVAL_MS: "200",
    },
  });
  browser = await launchBrowser();
  admin = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "admin", password: server.passwords.admin } })).body
    .accessToken;
  const users = (await api(server.url, "/api/users?limit=200", { token: admin })).body.items;
  identities = users.filter((u) => u.role === "citizen").flatMap((u) => [u.id, u.username, u.email]);
  assert.ok(identities.length >= 6 * 3, "the demo city has its citizens");
});

after(async () => {
  await browser?.close();
  await server?.stop();
  smtp?.kill();
});

function assertNameless(text, where) {
  for (const secret of identities) assert.ok(!text.includes(secret), `${where} names a reporter (${secret})`);
}

test("an anonymous visitor sees the demo city on the map and a report's page, and nothing names a reporter", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  // What the page did, printed if the report page does not come (a rare failure here,
  // not yet explained: the URL changed and "What happened" never showed).
  const trail = [];
  page.on("console", (m) => trail.push(`console ${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => trail.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => trail.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => r.status() >= 400 && trail.push(`${r.status()} ${r.url()}`));
  const seen = [];
  page.on("response", async (res) => {
    const type = res.headers()["content-type"] ?? "";
    if (type.includes("json") || type.includes("atom")) seen.push({ url: res.url(), body: await res.text().catch(() => "") });
  });
  await page.goto(`${server.url}/map?lat=24.87&lng=67.01&z=12`);
  await page.getByRole("status").filter({ hasText: /reports in view/ }).waitFor();
  const list = page.getByRole("region", { name: "Newest in view" }).getByRole("link");
  await list.first().waitFor();
  assert.ok((await list.count()) > 5, "the demo city's reports are listed under the map");
  await page.screenshot({ path: join(artifacts, "screens", "anonymous-map-390.png"), fullPage: true });
  // The view is in the address: the same link shows the same place.
  assert.match(page.url(), /lat=24\.8\d*&lng=67\.0\d*&z=12/);
  // Centred first: on a phone the tab bar covers the bottom of the screen.
  await list.first().evaluate((e) => e.scrollIntoView({ block: "center" }));
  await list.first().click();
  await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
  const happened = page.getByRole("heading", { name: "What happened" });
  try {
    await happened.waitFor({ timeout: 20000 });
  } catch {
    const text = (await page.locator("body").innerText()).slice(0, 800).replace(/\s+/g, " ");
    console.log(`# the report page did not come at ${page.url()}: ${text}\n# ${trail.join("\n# ")}`);
    await page.screenshot({ path: join(artifacts, "screens", "anonymous-report-missing-390.png"), fullPage: true });
    await page.reload(); // what a visitor would do; the page must come then
    await happened.waitFor();
  }
  assert.ok(await page.getByText("Submitted").first().isVisible());
  await page.screenshot({ path: join(artifacts, "screens", "anonymous-report-390.png"), fullPage: true });
  // The homepage's map, and the zoomed-out country in cells.
  await page.goto(`${server.url}/map?lat=30&lng=70&z=5`);
  await page.locator(".map-cluster").first().waitFor();
  await context.close();
  assert.ok(seen.length > 3);
  for (const r of seen) assertNameless(r.body, r.url);
  // And the API anyone may call, directly: the whole country and every report in it.
  const country = (await api(server.url, "/api/public/map?bbox=60,23,78,37&zoom=5&days=365")).body;
  assert.ok(country.total >= 200, `the demo city has a few hundred public reports (${country.total})`);
  const karachi = (await api(server.url, "/api/public/map?bbox=66.9,24.75,67.15,25.0&zoom=11&days=365")).body;
  assert.equal(karachi.clustered, false);
  for (const r of karachi.reports) {
    const one = await fetch(`${server.url}/api/public/reports/${r.id}`);
    assert.equal(one.status, 200);
    assertNameless(await one.text(), `report ${r.id}`);
  }
  // A shared link previews: the page's HTML carries Open Graph tags (the photo only once
  // the city has seen it), and nothing that names the reporter.
  const fixed = karachi.reports.find((r) => r.status === "resolved" && r.thumbnailUrl);
  const html = await (await fetch(`${server.url}/reports/${fixed.id}`)).text();
  assert.match(html, /<meta property="og:title" content="[^"]+ waste: resolved">/);
  assert.match(html, /<meta property="og:image" content="http[^"]+\/media\/[0-9a-f]{64}\.jpg">/);
  assertNameless(html, "the shared page");
  const fresh = karachi.reports.find((r) => r.status === "submitted");
  if (fresh) assert.doesNotMatch(await (await fetch(`${server.url}/reports/${fresh.id}`)).text(), /og:image/);
});

test("a photo the city hid is not served to the public; every other public photo is", async () => {
  const list = [];
  for (let cursor = ""; ; ) {
    const page = (await api(server.url, `/api/reports?limit=200${cursor ? `&cursor=${cursor}` : ""}`, { token: admin })).body;
    list.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const hidden = list.find((r) => r.photoHidden);
  assert.ok(hidden, "the demo city hides one photo");
  for (const url of [hidden.imageUrl, hidden.thumbnailUrl]) {
    assert.equal((await fetch(server.url + url)).status, 404, url);
    const asAdmin = await fetch(server.url + url, { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(asAdmin.status, 200);
  }
  const page = (await api(server.url, `/api/public/reports/${hidden.id}`)).body;
  assert.equal(page.imageUrl, null);
  const shown = list.find((r) => !r.photoHidden && r.status === "resolved");
  assert.equal((await fetch(server.url + shown.imageUrl)).status, 200);
  // The admin's own page still shows the hidden photo, fetched with the token.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const browserPage = await context.newPage();
  await browserPage.goto(`${server.url}/login`);
  await browserPage.getByLabel("Username or email").fill("admin");
  await browserPage.getByLabel("Password").fill(server.passwords.admin);
  await browserPage.getByRole("button", { name: "Sign in" }).click();
  await browserPage.waitForURL((u) => !u.pathname.startsWith("/login"));
  await browserPage.goto(`${server.url}/reports/${hidden.id}`);
  await browserPage.getByText("hidden from the public").waitFor();
  const img = browserPage.getByRole("img", { name: "As reported" });
  await img.waitFor();
  assert.match(await img.getAttribute("src"), /^blob:/);
  await browserPage.getByRole("button", { name: "Show photo publicly" }).waitFor();
  await context.close();
});

function mails(needle) {
  let files = [];
  try {
    files = readdirSync(join(maildir, "new"));
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(join(maildir, "new", f), "utf8")).filter((m) => m.includes(needle));
}

async function waitForMail(needle, count, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const found = mails(needle);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  return mails(needle);
}

test("an area's follower is emailed of a report filed inside it, not outside, and can stop with one click", async () => {
  // A new citizen follows 1 km around a Lahore street, in the browser's map page.
  const username = `follower${Date.now() % 100000}`;
  const password = "a long enough password 1";
  const reg = await api(server.url, "/api/auth/register", {
    method: "POST",
    json: { username, email: `${username}@example.org`, password },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  const token = reg.body.accessToken;
  const made = await api(server.url, "/api/area-subscriptions", {
    method: "POST",
    token,
    json: { label: "Near the canal", lat: 31.55, lng: 74.3, radiusM: 1000 },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  // The demo citizen files one inside and one 5 km away.
  const citizen = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "citizen", password: server.passwords.citizen } })).body
    .accessToken;
  const file = async (lat, lng, words) => {
    const form = new FormData();
    form.set("wasteType", "plastic");
    form.set("lat", String(lat));
    form.set("lng", String(lng));
    form.set("description", words);
    form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, `area-${lat}`))]), "p.jpg");
    const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${citizen}` }, body: form });
    assert.equal(res.status, 201);
    return (await res.json()).id;
  };
  const inside = await file(31.5505, 74.3004, "inside the area");
  const outside = await file(31.5950, 74.3000, "outside the area");
  const [mail] = await waitForMail("Near the canal", 1);
  assert.ok(mail, "the follower was emailed");
  assert.ok(mail.includes(`${username}@example.org`));
  assert.ok(mail.includes(`/reports/${inside}`));
  const toFollower = (m) => m.includes(`${username}@example.org`);
  assert.ok(!mails(`/reports/${outside}`).some(toFollower), "no mail for the report outside the area");
  assertNameless(mail, "the alert email");
  // The one-click stop, through its page.
  const link = mail.match(/\/unsubscribe\/area\?token=[A-Za-z0-9_-]+/);
  assert.ok(link, "the email carries its own stop link");
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(server.url + link[0]);
  await page.getByRole("button", { name: "Stop these alerts" }).click();
  await page.getByText("you will not be told of new reports in that area").waitFor();
  await page.screenshot({ path: join(artifacts, "screens", "anonymous-unsubscribe-360.png"), fullPage: true });
  await context.close();
  assert.equal((await api(server.url, "/api/area-subscriptions", { token })).body.items.length, 0);
  await file(31.5506, 74.3005, "inside again");
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(mails("Near the canal").filter(toFollower).length, 1, "no mail once stopped");
});

test("the area and report feeds validate as Atom", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cleanai-atom-"));
  const karachi = (await api(server.url, "/api/public/map?bbox=66.9,24.75,67.15,25.0&zoom=11&days=365")).body;
  const feeds = ["/feeds/area.atom?bbox=66.9,24.75,67.15,25.0", "/feeds/area.atom?lat=31.52&lng=74.36&radius=5000&types=plastic,organic", "/feeds/area.atom?city=Karachi"];
  feeds.push(`/feeds/reports/${karachi.reports.find((r) => r.status === "resolved").id}.atom`);
  for (const [i, path] of feeds.entries()) {
    const res = await fetch(server.url + path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get("content-type"), "application/atom+xml; charset=utf-8");
    const text = await res.text();
    assert.ok(text.includes("<entry>"), `${path} has entries`);
    assertNameless(text, path);
    const file = join(dir, `${i}.atom`);
    writeFileSync(file, text);
    execFileSync("xmllint", ["--noout", "--relaxng", atomSchema, file], { stdio: "pipe" });
  }
  // The schema is not a rubber stamp: a feed without its id fails.
  const broken = join(dir, "broken.atom");
  writeFileSync(broken, '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><updated>2026-01-01T00:00:00Z</updated></feed>');
  assert.throws(() => execFileSync("xmllint", ["--noout", "--relaxng", atomSchema, broken], { stdio: "pipe" }));
});
