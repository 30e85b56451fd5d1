// SPDX-License-Identifier: AGPL-3.0-or-later
// End-to-end: the seed's two flows in a real browser against the real server.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { api, artifacts, launchBrowser, makeJpeg, makeJpegWithGps, startServer } from "./harness.mjs";

let server;
let browser;

before(async () => {
  mkdirSync(join(artifacts, "screens"), { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The report form keeps latitude and longitude behind a link (GPS and the map come first).
async function enterCoordinates(page, lat, lng) {
  await page.getByRole("button", { name: "Enter coordinates instead" }).click();
  await page.getByLabel("Latitude").fill(lat);
  await page.getByLabel("Longitude").fill(lng);
}

async function signIn(page, username, password) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("citizen reports, admin sees it live and dispatches, citizen sees the new status", async () => {
  // The admin has the dashboard open before the report exists.
  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const admin = await adminContext.newPage();
  await signIn(admin, "admin", server.passwords.admin);
  await admin.waitForURL("**/dashboard");
  await admin.getByRole("heading", { name: "City dashboard" }).waitFor();
  const adminToken = (await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "admin", password: server.passwords.admin },
  })).body.accessToken;
  const vehicle = await api(server.url, "/api/fleet", {
    method: "POST",
    token: adminToken,
    json: { vehicleNumber: "LHR-2" },
  });
  assert.equal(vehicle.status, 201);

  // A new citizen registers on a phone.
  const citizenContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const citizen = await citizenContext.newPage();
  await citizen.goto(`${server.url}/login`);
  await citizen.getByRole("button", { name: "New here? Create an account" }).click();
  await citizen.getByLabel("Username").fill("ayesha");
  await citizen.getByLabel("Email").fill("ayesha@example.org");
  await citizen.getByLabel("Password").fill("a long passphrase");
  await citizen.getByRole("button", { name: "Create account" }).click();
  await citizen.waitForURL("**/user-dashboard");

  const photo = makeJpeg(server.dataDir, "heap");
  await citizen.getByLabel("Photo", { exact: true }).setInputFiles(photo);
  await citizen.getByLabel("Type of waste").selectOption("plastic");
  await enterCoordinates(citizen, "31.520400", "74.358700");
  await citizen.getByLabel("Description (optional)").fill("Bags by the canal bridge");
  await citizen.screenshot({ path: join(artifacts, "user-dashboard-phone-filled.png"), fullPage: true });
  await citizen.getByRole("button", { name: "Send report" }).click();
  await citizen.getByText("your report was sent").waitFor();
  assert.equal(await citizen.getByLabel("Latitude").inputValue(), "");
  const mine = citizen.getByRole("list", { name: "Your reports" }).getByRole("listitem");
  await mine.first().getByText("Submitted").waitFor();
  await citizen.screenshot({ path: join(artifacts, "user-dashboard-phone-sent.png"), fullPage: true });

  // It appears on the admin's dashboard without a reload.
  const row = admin.getByRole("list", { name: "Reports" }).getByRole("listitem").filter({ hasText: "Bags by the canal bridge" });
  await row.waitFor({ timeout: 30000 });
  await admin.screenshot({ path: join(artifacts, "dashboard-desktop.png"), fullPage: true });
  await row.getByRole("button", { name: "Dispatch" }).click();
  const dialog = admin.getByRole("dialog", { name: "Dispatch a vehicle" });
  // The only truck has no driver yet: choosing it takes a deliberate override.
  await dialog.getByRole("radio", { name: /LHR-2/ }).check();
  await dialog.locator("strong", { hasText: "no driver" }).waitFor();
  const send = dialog.getByRole("button", { name: "Send this vehicle" });
  assert.equal(await send.isDisabled(), true);
  await dialog.getByLabel(/Send it anyway/).check();
  await admin.screenshot({ path: join(artifacts, "dashboard-dispatch-dialog.png") });
  await send.click();
  await dialog.waitFor({ state: "hidden" });

  // The citizen's page shows the new status by itself, and the timeline tells the story.
  await mine.first().getByText("Truck dispatched").waitFor({ timeout: 30000 });
  await mine.first().getByRole("button", { name: "Timeline" }).click();
  const timeline = mine.first().getByRole("list", { name: "Timeline" });
  await timeline.getByText("Report received").waitFor();
  await timeline.getByText("Truck dispatched (LHR-2)").waitFor();
  await citizen.screenshot({ path: join(artifacts, "user-dashboard-phone-dispatched.png"), fullPage: true });
  // The homepage shows the figures from the API (cached there for five seconds, so the
  // count may predate this report; server_reports_test checks the counting itself).
  await citizen.goto(server.url + "/");
  const filed = citizen.getByText("Reports filed").locator("..").locator("dd");
  await filed.filter({ hasNotText: "…" }).waitFor();
  assert.match(await filed.textContent(), /^\d+$/);
  await adminContext.close();
  await citizenContext.close();
});

test("an admin merges a second report of the same heap into the first", async () => {
  const token = (await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "citizen", password: server.passwords.citizen },
  })).body.accessToken;
  // Two reports of one heap by two citizens, filed through the API with real photos.
  const other = await api(server.url, "/api/auth/register", {
    method: "POST",
    json: { username: "amir", email: "amir@example.org", password: "a long passphrase" },
  });
  assert.equal(other.status, 201);
  const file = async (description, bearer = token) => {
    const form = new FormData();
    form.set("wasteType", "metal");
    form.set("lat", "33.684400");
    form.set("lng", "73.047900");
    form.set("description", description);
    const { readFileSync } = await import("node:fs");
    form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, description.replace(/\W/g, "")))]), "p.jpg");
    const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${bearer}` }, body: form });
    assert.equal(res.status, 201);
    return (await res.json()).id;
  };
  const first = await file("Scrap heap first");
  const second = await file("Scrap heap again", other.body.accessToken);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, "admin", server.passwords.admin);
  await page.waitForURL("**/dashboard");
  const row = page.getByRole("list", { name: "Reports" }).getByRole("listitem").filter({ hasText: "Scrap heap again" });
  await row.getByRole("button", { name: "Mark duplicate" }).click();
  const dialog = page.getByRole("dialog", { name: "Merge into an earlier report" });
  await dialog.getByRole("radio").first().check();
  await page.screenshot({ path: join(artifacts, "dashboard-merge-dialog.png") });
  await dialog.getByRole("button", { name: "Merge" }).click();
  await dialog.waitFor({ state: "hidden" });
  const merged = await api(server.url, `/api/reports/${second}`, { token: other.body.accessToken });
  assert.equal(merged.body.status, "duplicate");
  assert.equal(merged.body.duplicateOf, first);
  await context.close();

  // The second citizen's page says where their report went, and that one opens for them
  // (they follow it now), without naming who filed it.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const amir = await phone.newPage();
  await signIn(amir, "amir", "a long passphrase");
  await amir.waitForURL("**/user-dashboard");
  await amir.goto(`${server.url}/reports/${second}`);
  await amir.getByText("This report was merged into another report").waitFor();
  await amir.getByRole("link", { name: "Open that report" }).click();
  await amir.waitForURL(`**/reports/${first}`);
  await amir.getByText("Scrap heap first").waitFor();
  await amir.getByRole("img", { name: "As reported" }).waitFor();
  assert.equal(await amir.getByText("citizen", { exact: true }).count(), 0);
  await amir.screenshot({ path: join(artifacts, "report-page-phone.png"), fullPage: true });
  await phone.close();
});

test("the admin's intelligence: live alerts, flood risk with rainfall, charts, heat layer, exports", async () => {
  const token = (await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "citizen", password: server.passwords.citizen },
  })).body.accessToken;
  const { readFileSync } = await import("node:fs");
  const file = async (fields) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, `intel${Math.random()}`.replace(/\W/g, "")))]), "p.jpg");
    const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
    assert.equal(res.status, 201);
    return (await res.json()).id;
  };
  // Three blocked drains in one street of Karachi.
  for (const lat of ["24.870100", "24.870600", "24.871100"]) {
    await file({ wasteType: "plastic", lat, lng: "67.030100", blocksDrain: "true", description: "Drain choked with bags" });
  }
  // A truck whose driver's phone has put it in the same street.
  const adminToken = (await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "admin", password: server.passwords.admin },
  })).body.accessToken;
  const truck = await api(server.url, "/api/fleet", {
    method: "POST",
    token: adminToken,
    json: { vehicleNumber: "KHI-9", currentLat: 24.8705, currentLng: 67.0305 },
  });
  assert.equal(truck.status, 201);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await signIn(page, "admin", server.passwords.admin);
  await page.waitForURL("**/dashboard");

  // A medical-waste report raises an alert that appears without a reload.
  await file({ wasteType: "medical", lat: "24.900000", lng: "67.100000", description: "Syringes behind the clinic" });
  const alerts = page.getByRole("list", { name: "Open alerts, most urgent first" });
  const alert = alerts.getByRole("listitem").filter({ hasText: "Medical waste reported" });
  await alert.waitFor({ timeout: 30000 });
  await alert.getByText("Hazardous waste").waitFor();
  // Triage: counted by severity, worded with the place's name, one tap to the map.
  // (the gazetteer's nearest town: a name, never raw coordinates)
  const worded = await alert.getByText(/^Medical waste reported at /).textContent();
  assert.match(worded, /^Medical waste reported at [^\d]+$/, worded);
  await page.locator("[data-severity-count=critical]").getByText(/^\d+ Critical$/).waitFor();
  await alert.getByRole("button", { name: "Show on map" }).click();

  // Stat cards carry the server's figures; the chart has today's bars.
  const today = page.getByText("Reports today").locator("..").locator("dd");
  await today.filter({ hasText: /^\d+$/ }).waitFor();
  assert.ok(Number(await today.textContent()) >= 4);
  await page.getByRole("img", { name: "Reports per day" }).waitFor();
  assert.ok((await page.getByRole("img", { name: "Reports per day" }).locator("rect").count()) > 0);

  // Flood risk: unknown rain first; 40 mm entered by the admin makes the street high.
  const flood = page.locator("section").filter({ has: page.getByRole("heading", { name: "Flood risk", exact: true }) });
  await flood.getByText("Rain next 24 h: unknown").first().waitFor();
  await flood.getByLabel("Rain expected in the next 24 h (mm)").fill("40");
  await flood.getByRole("button", { name: "Save rainfall" }).click();
  await flood.locator('[data-flood-level="high"]').first().waitFor({ timeout: 30000 });
  await flood.getByText("Rain next 24 h: 40 mm (entered by an admin)").first().waitFor();
  await flood.getByText("How the index is worked out").click();
  await flood.getByText("Each blocked drain counts 1").waitFor();

  // The truck is on the map where it was last seen.
  await page.locator(".map-truck", { hasText: "KHI-9" }).waitFor();
  // The heat layer draws the server's grid cells on the map.
  await page.getByLabel("Heat layer (open reports)").check();
  // (Leaflet keeps paths outside the view as empty "M0 0" ones: look for a drawn one.)
  await page.locator(".leaflet-overlay-pane path >> visible=true").first().waitFor({ timeout: 30000 });
  await page.screenshot({ path: join(artifacts, "dashboard-intelligence-desktop.png"), fullPage: true });

  // Acknowledging takes the alert off the list.
  await alert.getByRole("button", { name: "Acknowledge" }).click();
  await alert.waitFor({ state: "detached", timeout: 30000 });

  // The CSV export downloads and parses.
  await page.getByRole("tab", { name: "All" }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  assert.match(download.suggestedFilename(), /^cleanai-reports-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), "utf8");
  assert.match(csv.split("\r\n")[0], /^id,created_at,status,priority,waste_type,/);
  assert.ok(csv.includes("Drain choked with bags"));
  await context.close();
});

test("a driver works through the day's route on a phone: GPS, start, done with the after photo", async () => {
  const login = async (username, password) =>
    (await api(server.url, "/api/auth/login", { method: "POST", json: { username, password } })).body;
  const admin = (await login("admin", server.passwords.admin)).accessToken;
  const driver = await login("driver", server.passwords.driver);
  const citizen = (await login("citizen", server.passwords.citizen)).accessToken;
  const vehicle = await api(server.url, "/api/fleet", {
    method: "POST",
    token: admin,
    json: { vehicleNumber: "LHR-DRV-1", driverId: driver.user.id, capacity: 50 },
  });
  assert.equal(vehicle.status, 201);
  const { readFileSync } = await import("node:fs");
  const file = async (lng, description) => {
    const form = new FormData();
    form.set("wasteType", "mixed");
    form.set("lat", "31.500000");
    form.set("lng", lng);
    form.set("description", description);
    form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, description.replace(/\W/g, "")))]), "p.jpg");
    const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${citizen}` }, body: form });
    assert.equal(res.status, 201);
    const id = (await res.json()).id;
    const assigned = await api(server.url, `/api/fleet/${vehicle.body.id}/assign`, { method: "PATCH", token: admin, json: { reportId: id } });
    assert.equal(assigned.status, 200);
    return id;
  };
  // The phone is east of both heaps: the nearer one comes first.
  const far = await file("74.300000", "Far heap by the school");
  const near = await file("74.340000", "Near heap by the market");
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    geolocation: { latitude: 31.5, longitude: 74.36 },
    permissions: ["geolocation"],
  });
  const page = await context.newPage();
  await signIn(page, "driver", server.passwords.driver);
  await page.waitForURL("**/driver");
  await page.getByLabel("Share my location while on shift").check();
  await page.getByText("Sharing your location with the dispatchers.").waitFor();
  // The position reaches the server, and the route starts from it.
  for (let i = 0; i < 50; i++) {
    const v = await api(server.url, `/api/fleet/${vehicle.body.id}`, { token: admin });
    if (v.body.currentLng !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.reload();
  const stops = page.getByRole("list", { name: "Stops in route order" }).getByRole("listitem");
  await stops.first().waitFor();
  assert.equal(await stops.count(), 2);
  assert.ok((await stops.nth(0).textContent()).includes("Near heap") || (await stops.nth(0).getAttribute("data-report-id")) === near);
  assert.equal(await stops.nth(1).getAttribute("data-report-id"), far);
  assert.match(await stops.first().getByRole("link", { name: "Navigate" }).getAttribute("href"), /^geo:31\.5,74\.34/);
  await page.screenshot({ path: join(artifacts, "driver-phone.png"), fullPage: true });

  // The stop shows what the citizen filed.
  await stops.first().getByRole("img", { name: "The citizen's photo" }).waitFor();
  await stops.first().getByText("Near heap by the market").waitFor();

  // Start the cleanup; "Done" needs the after photo, asks once, and can be undone.
  await stops.first().getByRole("button", { name: "Start cleanup" }).click();
  await stops.first().getByRole("button", { name: "Start cleanup" }).waitFor({ state: "detached" });
  assert.equal((await api(server.url, `/api/reports/${near}`, { token: admin })).body.status, "in_progress");
  assert.equal(await stops.first().getByRole("button", { name: "Done" }).isDisabled(), true);
  await stops.first().getByLabel("Photo after cleanup").setInputFiles(makeJpeg(server.dataDir, "after"));
  await stops.first().getByRole("button", { name: "Done" }).click();
  await stops.first().getByRole("button", { name: "Yes, it is clean" }).click();
  await stops.first().getByRole("button", { name: "Undo" }).click();
  await page.waitForTimeout(1500);
  assert.equal((await api(server.url, `/api/reports/${near}`, { token: admin })).body.status, "in_progress");
  await stops.first().getByRole("button", { name: "Done" }).click();
  await stops.first().getByRole("button", { name: "Yes, it is clean" }).click();
  await page.locator(`[data-report-id="${near}"]`).waitFor({ state: "detached", timeout: 20000 });
  const resolved = (await api(server.url, `/api/reports/${near}`, { token: admin })).body;
  assert.equal(resolved.status, "resolved");
  assert.ok(resolved.verificationImageUrl);
  // The truck carries it now; emptying it at the depot is one clear action.
  await page.getByText("Load: 2 of 50 bags").waitFor();
  await page.getByRole("button", { name: "I emptied the truck at the depot" }).click();
  await page.getByText("Load: 0 of 50 bags").waitFor();

  // The other heap cannot be reached: it goes back to the office with the reason.
  const last = page.locator(`[data-report-id="${far}"]`);
  await last.getByRole("button", { name: "Could not clean" }).click();
  await last.getByLabel("Why not? (the office will see this)").fill("Road closed by police");
  await last.getByRole("button", { name: "Hand back to the office" }).click();
  await last.waitFor({ state: "detached", timeout: 20000 });
  const handed = (await api(server.url, `/api/reports/${far}`, { token: admin })).body;
  assert.equal(handed.status, "acknowledged");
  const events = (await api(server.url, `/api/reports/${far}/events`, { token: admin })).body;
  assert.ok(JSON.stringify(events).includes("Road closed by police"));
  await context.close();
});

test("an admin plans the fleet's routes, reviews the plan and dispatches it", async () => {
  const admin = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "admin", password: server.passwords.admin } })).body.accessToken;
  const citizen = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "citizen", password: server.passwords.citizen } })).body.accessToken;
  // The planner gives stops only to trucks with a driver.
  const driver = await api(server.url, "/api/auth/register", {
    method: "POST",
    json: { username: "plandriver", email: "plandriver@example.org", password: "a long passphrase" },
  });
  assert.equal(driver.status, 201);
  const promoted = await api(server.url, `/api/users/${driver.body.user.id}`, { method: "PATCH", token: admin, json: { role: "driver" } });
  assert.equal(promoted.status, 200);
  const truck = await api(server.url, "/api/fleet", {
    method: "POST",
    token: admin,
    json: { vehicleNumber: "ISB-PLAN", currentLat: 33.69, currentLng: 73.05, driverId: driver.body.user.id },
  });
  assert.equal(truck.status, 201);
  const { readFileSync } = await import("node:fs");
  const form = new FormData();
  form.set("wasteType", "glass");
  form.set("lat", "33.700000");
  form.set("lng", "73.060000");
  form.set("description", "Broken bottles by the bus stop");
  form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, "bottles"))]), "p.jpg");
  const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${citizen}` }, body: form });
  assert.equal(res.status, 201);
  const id = (await res.json()).id;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, "admin", server.passwords.admin);
  await page.waitForURL("**/dashboard");
  await page.getByRole("button", { name: "Plan routes" }).click();
  await page.getByText(/\d+ reports on \d+ vehicles; \d+ wait for capacity/).waitFor();
  await page.getByText(/^ISB-PLAN: \d+ stops, [\d.]+ km$/).waitFor();  // other tests' reports may join
  assert.equal((await api(server.url, `/api/reports/${id}`, { token: admin })).body.status, "submitted");
  await page.getByRole("button", { name: "Dispatch as planned" }).click();
  await page.getByRole("button", { name: "Dispatch as planned" }).waitFor({ state: "detached" });
  const after = (await api(server.url, `/api/reports/${id}`, { token: admin })).body;
  assert.equal(after.status, "dispatched");
  assert.equal(after.dispatchedTo, truck.body.id);
  await context.close();
});

test("a citizen turns off email for one kind of message and chooses Urdu in the settings", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Notification settings" }).waitFor();
  const box = page.getByLabel("Your report was received: Email");
  assert.equal(await box.isChecked(), true);
  await box.uncheck();
  // A citizen sees the citizen's messages only, and SMS stays off until chosen.
  assert.equal(await page.getByLabel("Your truck's route changed: Push").count(), 0);
  assert.equal(await page.getByLabel("Your report was received: SMS").isChecked(), false);
  await page.getByLabel("Language of your messages").selectOption("ur");
  // Push on this device: the service worker is there, nothing subscribed yet.
  await page.getByRole("heading", { name: "Push notifications on this device" }).waitFor();
  await page.getByText("Push notifications are off for this device.").waitFor();
  await page.getByRole("button", { name: "Turn on for this device" }).waitFor();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved.").waitFor();
  await page.screenshot({ path: join(artifacts, "settings-phone.png"), fullPage: true });
  const token = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "citizen", password: server.passwords.citizen } })).body.accessToken;
  const prefs = (await api(server.url, "/api/notify/preferences", { token })).body.items;
  const pick = (kind, channel) => prefs.find((p) => p.kind === kind && p.channel === channel).enabled;
  assert.equal(pick("report.received", "email"), false);
  assert.equal(pick("report.resolved", "email"), true);
  assert.equal(pick("report.received", "push"), true);
  const language = (await api(server.url, "/api/notify/preferences", { token })).body.language;
  assert.equal(language, "ur");
  await api(server.url, "/api/notify/preferences", { method: "PUT", token, json: { language: "en" } });
  await context.close();
});

test("the AI suggests the waste type from the photo, and the admin confirms or corrects it", async () => {
  // A plain grey photo: the test network sees only its fixed bottle (plastic, 95 %) and can.
  const grey = join(server.dataDir, "grey");
  execFileSync("vips", ["black", `${grey}.v`, "800", "600", "--bands", "3"]);
  execFileSync("vips", ["linear", `${grey}.v`, `${grey}.l.v`, "1", "114"]);
  execFileSync("vips", ["cast", `${grey}.l.v`, `${grey}.u.v`, "uchar"]);
  execFileSync("vips", ["jpegsave", `${grey}.u.v`, `${grey}.jpg`]);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await page.getByLabel("Type of waste").selectOption("glass");
  await page.getByLabel("Photo", { exact: true }).setInputFiles(`${grey}.jpg`);
  await page.getByText("The AI thinks this is Plastic (95% sure).").waitFor({ timeout: 30000 });
  await page.screenshot({ path: join(artifacts, "report-ai-suggestion-phone.png"), fullPage: true });
  await page.getByRole("button", { name: "Use Plastic" }).click();
  assert.equal(await page.getByLabel("Type of waste").inputValue(), "plastic");
  await enterCoordinates(page, "31.530000", "74.340000");
  await page.getByLabel("Description (optional)").fill("Grey heap for the AI");
  await page.getByRole("button", { name: "Send report" }).click();
  await page.getByText("your report was sent").waitFor();
  await context.close();

  const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const admin = await adminContext.newPage();
  await signIn(admin, "admin", server.passwords.admin);
  await admin.waitForURL("**/dashboard");
  const row = admin.getByRole("list", { name: "Reports" }).getByRole("listitem").filter({ hasText: "Grey heap for the AI" });
  await row.getByText("AI: Plastic 95%").waitFor({ timeout: 30000 });
  await row.getByRole("button", { name: "AI check" }).click();
  const dialog = admin.getByRole("dialog", { name: "AI check" });
  await dialog.getByText("Plastic (95%)").waitFor();
  await dialog.getByRole("list", { name: "Detections" }).getByText("Metal — 50%").waitFor();
  await admin.screenshot({ path: join(artifacts, "dashboard-ai-check.png") });
  // The admin draws their own box around the heap.
  await dialog.getByRole("button", { name: "Draw the boxes myself" }).click();
  const photoBox = await dialog.getByRole("img", { name: "The reported photo with the AI's boxes" }).boundingBox();
  await admin.mouse.move(photoBox.x + photoBox.width * 0.2, photoBox.y + photoBox.height * 0.3);
  await admin.mouse.down();
  await admin.mouse.move(photoBox.x + photoBox.width * 0.5, photoBox.y + photoBox.height * 0.6, { steps: 5 });
  await admin.mouse.up();
  await dialog.getByRole("list", { name: "Your boxes" }).getByText(/^Box 1: from 2\d%, 3\d%/).waitFor();
  await admin.screenshot({ path: join(artifacts, "dashboard-ai-boxes.png") });
  await dialog.getByLabel("Waste type (confirm or correct)").selectOption("metal");
  await dialog.getByRole("button", { name: "Correct type" }).click();
  await dialog.getByText("Saved. The label joins the training data.").waitFor();
  const adminToken = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "admin", password: server.passwords.admin } })).body.accessToken;
  const listed = await api(server.url, "/api/reports?limit=50", { token: adminToken });
  const filed = listed.body.items.find((r) => r.description === "Grey heap for the AI");
  const saved = await api(server.url, `/api/ai/reports/${filed.id}`, { token: adminToken });
  assert.equal(saved.body.label.wasteType, "metal");
  assert.equal(saved.body.label.boxes.length, 1);
  assert.ok(Math.abs(saved.body.label.boxes[0].w - 0.3) < 0.03, JSON.stringify(saved.body.label.boxes));
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await row.getByText("AI: Plastic 95% · differs").waitFor({ timeout: 30000 });
  const card = admin.getByRole("region", { name: "AI detection" });
  await card.getByText("Model: taco-test.onnx").waitFor();
  await card.getByText("Photos analysed").waitFor();
  // The correction shows in the confusion table: the admin said metal where the AI said plastic.
  const confusion = card.getByRole("table", { name: "Admins' confirmations against the AI" });
  await confusion.getByRole("row", { name: "Metal Plastic 1" }).waitFor({ timeout: 30000 });
  await adminContext.close();
});

test("the notifications inbox counts unread messages live and reads them when opened", async () => {
  const user = `inbox${Date.now() % 100000}`;
  const reg = await api(server.url, "/api/auth/register", { method: "POST", json: { username: user, email: `${user}@example.org`, password: "a long passphrase" } });
  assert.equal(reg.status, 201);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, user, "a long passphrase");
  await page.waitForURL("**/user-dashboard");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Notifications" }).waitFor();
  // A report filed from elsewhere (another tab, the offline outbox): the badge follows live.
  const form = new FormData();
  form.set("wasteType", "paper");
  form.set("lat", "31.500000");
  form.set("lng", "74.300000");
  const { readFileSync } = await import("node:fs");
  form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, "inboxphoto"))]), "p.jpg");
  const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${reg.body.accessToken}` }, body: form });
  assert.equal(res.status, 201);
  await nav.getByLabel("1 unread").waitFor({ timeout: 30000 });
  await nav.getByRole("link", { name: /Notifications/ }).click();
  await page.getByRole("heading", { name: "Notifications" }).waitFor();
  const item = page.getByRole("list", { name: "Notifications" }).getByRole("listitem").first();
  await item.getByText("Report received").waitFor();
  await page.screenshot({ path: join(artifacts, "notifications-phone.png"), fullPage: true });
  await nav.getByLabel("1 unread").waitFor({ state: "detached", timeout: 30000 });
  const unread = await api(server.url, "/api/notify/history?unread=true", { token: reg.body.accessToken });
  assert.equal(unread.body.items.length, 0);
  await context.close();
});

test("an admin messages every driver, follows the deliveries, and the driver reads it in the inbox", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const admin = await context.newPage();
  await signIn(admin, "admin", server.passwords.admin);
  await admin.waitForURL("**/dashboard");
  const card = admin.getByRole("region", { name: "Messages" });
  await card.getByLabel("Channel").first().selectOption("push");
  await card.getByLabel("To").selectOption("driver");
  await card.getByLabel("Subject").fill("North depot closed today");
  await card.getByLabel("Message").fill("Unload at the south depot until tomorrow.");
  await card.getByRole("button", { name: "Send" }).click();
  await card.getByText(/^Sent to \d+: in the app/).waitFor();
  const sent = card.getByRole("list", { name: "Deliveries" }).getByRole("listitem").filter({ hasText: "North depot closed today" });
  await sent.getByText("In-app only").first().waitFor();  // no driver's phone has subscribed here
  await card.screenshot({ path: join(artifacts, "dashboard-messages.png") });
  // A filter that matches nothing says so.
  await card.getByLabel("State").selectOption("dead");
  await card.getByText("Nothing matches.").waitFor();
  await context.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const driver = await phone.newPage();
  await signIn(driver, "driver", server.passwords.driver);
  await driver.waitForURL("**/driver");
  await driver.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Notifications/ }).click();
  await driver.getByRole("list", { name: "Notifications" }).getByText("Unload at the south depot until tomorrow.").waitFor();
  await phone.close();
});

test("the reports workspace: work order, search, filters, show more, the map's legend and a report's page with its actions", async () => {
  const admin = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "admin", password: server.passwords.admin } })).body.accessToken;
  const citizen = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "citizen", password: server.passwords.citizen } })).body.accessToken;
  const { readFileSync } = await import("node:fs");
  const file = async (type, lat, description) => {
    const form = new FormData();
    form.set("wasteType", type);
    form.set("lat", String(lat));
    form.set("lng", "74.400000");
    form.set("description", description);
    form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, description.replace(/\W/g, "")))]), "p.jpg");
    const res = await fetch(`${server.url}/api/reports`, { method: "POST", headers: { Authorization: `Bearer ${citizen}` }, body: form });
    assert.equal(res.status, 201);
    return (await res.json()).id;
  };
  // 26 trivial reports and one urgent-ish one filed last: the work order puts it first.
  for (let i = 0; i < 26; i++) await file("paper", 31.40 + i * 0.001, `Workspace paper ${i}`);
  const hazard = await file("hazardous", 31.45, "Workspace drums of oil");
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await signIn(page, "admin", server.passwords.admin);
  await page.waitForURL("**/dashboard");
  const list = page.getByRole("list", { name: "Reports" }).getByRole("listitem");
  await page.getByLabel("Search (place or words)").fill("Workspace");
  await list.first().filter({ hasText: "Workspace drums of oil" }).waitFor();
  await page.getByText("Showing 25 reports").waitFor();
  await page.getByRole("button", { name: "Show more" }).click();
  await page.getByText("Showing 27 reports").waitFor();
  await page.getByLabel("Type of waste").first().selectOption("hazardous");
  await page.getByText("Showing 1 report").waitFor();
  await page.getByRole("list", { name: "What the colours mean" }).getByText("Submitted").waitFor();
  await page.screenshot({ path: join(artifacts, "dashboard-1920.png"), fullPage: true });
  // The report's own page has the admin's actions.
  await list.first().getByRole("link", { name: "Hazardous" }).click();
  await page.waitForURL(`**/reports/${hazard}`);
  // React Router keeps the old page on screen while the new one's code loads: wait for it.
  await page.getByRole("img", { name: "As reported" }).waitFor();
  await page.getByRole("button", { name: "Dispatch" }).waitFor();
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await page.getByText("Acknowledged", { exact: true }).first().waitFor();
  assert.equal((await api(server.url, `/api/reports/${hazard}`, { token: admin })).body.status, "acknowledged");
  await context.close();
});

test("a citizen cannot open the admin dashboard; unknown pages say so", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole("heading", { name: "No access" }).waitFor();
  await page.goto(`${server.url}/no/such/page`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await context.close();
});

test("a page whose code cannot be loaded says so and offers a reload; the rest of the app works", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // As after a deploy that removed the old chunk: the papers page's code is gone.
  await page.route(/\/assets\/papers-page-[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: "" }));
  await page.goto(`${server.url}/research-papers`);
  await page.getByRole("heading", { name: "This page could not be shown" }).waitFor();
  await page.getByRole("button", { name: "Reload" }).waitFor();
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Username or email").waitFor();
  await context.close();
});

// A 1×1 transparent PNG: the stand-in map tile.
const TILE_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

test("a visitor who never signed in makes no refresh request and sees no console error", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const authCalls = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  // The start page has a map: a stand-in tile server answers its tiles (tests never reach
  // the real one), so a failing tile is not mistaken for the app's error.
  await page.route("**/tiles/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: Buffer.from(TILE_PNG, "base64") }));
  // Session calls only: the login page's public list of sign-in providers is not one.
  page.on("request", (r) => r.url().includes("/api/auth/") && !r.url().endsWith("/api/auth/oidc/providers") && authCalls.push(r.url()));
  for (const path of ["/", "/login", "/research-papers"]) {
    await page.goto(`${server.url}${path}`);
    await page.waitForLoadState("networkidle");
  }
  assert.deepEqual(authCalls, []);
  assert.deepEqual(errors, []);
  // After signing in and out, the same holds again.
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  const cookies = (await context.cookies()).map((c) => c.name);
  assert.ok(cookies.includes("cleanai_signed_in") && cookies.includes("cleanai_device"), cookies.join());
  await context.close();
});

// The citizen's list of their reports has loaded (items, or the words for none).
const reportsShown = (page) =>
  page.getByRole("region", { name: "Your reports" }).locator("li[data-report-id], :text('No reports yet.')").first().waitFor();

test("sign-in errors are shown; the session survives a reload", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "citizen", "not the password");
  await page.getByRole("alert").filter({ hasText: "invalid credentials" }).waitFor();
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await reportsShown(page);
  // The access token was in memory only: the refresh cookie restores it. The form is drawn
  // while that happens; its page's requests wait for it, so one refresh, no second one
  // (a refresh token is single-use) and no /api/auth/me (the refresh answer has the user).
  const authCalls = [];
  const refused = [];
  page.on("request", (r) => r.url().includes("/api/auth/") && authCalls.push(new URL(r.url()).pathname));
  page.on("response", (r) => r.status() === 401 && refused.push(r.url()));
  await page.reload();
  await page.getByRole("heading", { name: "Report waste" }).waitFor();
  await reportsShown(page);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(authCalls, ["/api/auth/refresh"]);
  assert.deepEqual(refused, []);  // nothing was sent without the restored token
  await page.reload();  // the rotated token still works: the session was not ended by reuse
  await reportsShown(page);

  // A session ended elsewhere: the page drawn early gives way to "please sign in".
  const refresh = (await context.cookies()).find((c) => c.name === "cleanai_refresh");
  assert.ok(refresh, "refresh cookie");
  const out = await api(server.url, "/api/auth/logout", { method: "POST", json: { refreshToken: refresh.value } });
  assert.equal(out.status, 204);
  await page.reload();
  await page.getByRole("heading", { name: "Please sign in" }).waitFor();
  await context.close();
});

test("a returning admin's dashboard is drawn while the session is restored, and sends nothing before it", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, "admin", server.passwords.admin);
  await page.getByRole("heading", { name: "City dashboard" }).waitFor();
  await page.waitForLoadState("networkidle");
  const authCalls = [];
  const refused = [];
  page.on("request", (r) => r.url().includes("/api/auth/") && authCalls.push(new URL(r.url()).pathname));
  page.on("response", (r) => r.status() === 401 && refused.push(r.url()));
  // A slow network: the page's code is there before the session is.
  await page.route("**/api/auth/refresh", async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.reload();
  await page.getByRole("heading", { name: "City dashboard" }).waitFor();
  await page.waitForLoadState("networkidle");
  assert.deepEqual(authCalls, ["/api/auth/refresh"]);
  assert.deepEqual(refused, []);
  await context.close();
});

test("a report made offline waits on the phone and is filed exactly once when back online", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await page.getByLabel("Photo", { exact: true }).setInputFiles(makeJpeg(server.dataDir, "offline"));
  await page.getByLabel("Type of waste").selectOption("glass");
  await enterCoordinates(page, "24.8607", "67.0011");
  await page.getByLabel("Description (optional)").fill("Broken bottles, filed offline");

  await context.setOffline(true);
  await page.getByRole("button", { name: "Send report" }).click();
  await page.getByText("You are offline").waitFor();
  const waiting = page.getByRole("list", { name: "Waiting to send" });
  await waiting.getByText("Waiting to send").waitFor();
  await page.screenshot({ path: join(artifacts, "user-dashboard-phone-offline.png"), fullPage: true });

  await context.setOffline(false);
  await waiting.waitFor({ state: "detached", timeout: 30000 });
  // The offline message gives way to one that says the report went.
  await page.getByText("the report saved on this phone has been sent").waitFor();
  assert.equal(await page.getByText("You are offline").count(), 0);
  const mine = page.getByRole("list", { name: "Your reports" }).getByRole("listitem");
  await mine.filter({ hasText: "Glass" }).first().waitFor();

  const token = (await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "citizen", password: server.passwords.citizen },
  })).body;
  const list = await api(server.url, `/api/reports/user/${token.user.id}`, { token: token.accessToken });
  const filed = list.body.items.filter((r) => r.description === "Broken bottles, filed offline");
  assert.equal(filed.length, 1);
  await context.close();
});

test("the map opens where the phone is, a tap sets the report's position, and it works without map tiles", async () => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    geolocation: { latitude: 24.8607, longitude: 67.0011 },
    permissions: ["geolocation"],
  });
  const page = await context.newPage();
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await page.getByRole("button", { name: "Choose on the map" }).click();
  const map = page.getByRole("application", { name: /click or drag the pin/ });
  await map.waitFor();
  // Karachi, where the phone is (not a fixed city); a tap north-west of the centre sets it.
  await page.waitForTimeout(500); // the position arrives and the map re-centres
  const box = await map.boundingBox();
  await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.25);
  await page.getByText(/^Position chosen: /).waitFor();
  await page.getByRole("button", { name: "Enter coordinates instead" }).click();
  const lat = Number(await page.getByLabel("Latitude").inputValue());
  const lng = Number(await page.getByLabel("Longitude").inputValue());
  assert.ok(lat > 24.8607 && lat < 24.87 && lng < 67.0011 && lng > 66.99, `pin north-west of the phone: ${lat}, ${lng}`);
  await page.screenshot({ path: join(artifacts, "user-dashboard-phone-map.png"), fullPage: true });
  await context.close();
});

test("the photo's own GPS position is read in the browser before upload", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await context.newPage();
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await page.getByLabel("Photo", { exact: true }).setInputFiles(makeJpegWithGps(server.dataDir, "gps", 24.8607, 67.0011));
  await page.getByText("Position read from the photo").waitFor();
  await page.getByRole("button", { name: "Enter coordinates instead" }).click();
  assert.equal(await page.getByLabel("Latitude").inputValue(), "24.860700");
  assert.equal(await page.getByLabel("Longitude").inputValue(), "67.001100");
  await context.close();
});

test("research papers can be searched and filtered by topic", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/research-papers`);
  const list = page.getByRole("list", { name: "Research papers" });
  await list.getByRole("link", { name: /TACO: Trash Annotations in Context/ }).waitFor();
  await page.getByLabel("Search titles, authors, venues").fill("faster r-cnn");
  await list.getByRole("link", { name: /Faster R-CNN/ }).waitFor();
  await list.getByRole("link", { name: /TACO/ }).waitFor({ state: "detached" });
  await page.getByLabel("Search titles, authors, venues").fill("");
  await page.getByLabel("Topic").selectOption("management");
  await list.getByRole("link", { name: /What a Waste 2.0/ }).waitFor();
  assert.equal(await list.getByRole("listitem").count(), 1);
  await context.close();
});

test("Urdu switches the whole page to right-to-left and is remembered", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(server.url + "/");
  await page.getByRole("button", { name: "Switch to Urdu" }).click();
  // The Urdu words are their own chunk: the page switches once they are here.
  const rtl = page.locator('html[dir="rtl"][lang="ur"]');
  await rtl.waitFor({ state: "attached" });
  await page.getByRole("heading", { name: "آپ کی گلی میں کچرا ہے؟ ایک منٹ میں اطلاع دیں۔" }).waitFor();
  await page.screenshot({ path: join(artifacts, "home-phone-urdu.png"), fullPage: true });
  await page.reload();
  await rtl.waitFor({ state: "attached" });
  // The first words drawn after the reload are Urdu (the app waits for them), not English.
  assert.equal(await page.getByRole("link", { name: "Sign in", exact: true }).count(), 0);
  await page.getByRole("link", { name: "سائن ان", exact: true }).click();
  await page.getByLabel("صارف نام یا ای میل").fill("citizen");
  await page.getByLabel("پاس ورڈ").fill(server.passwords.citizen);
  await page.getByRole("button", { name: "سائن ان", exact: true }).click();
  await page.waitForURL("**/user-dashboard");
  await page.getByRole("heading", { name: "کچرے کی اطلاع دیں" }).waitFor();
  await page.screenshot({ path: join(artifacts, "user-dashboard-phone-urdu.png"), fullPage: true });
  await page.getByRole("button", { name: "انگریزی میں دیکھیں" }).click();
  await page.locator('html[dir="ltr"][lang="en"]').waitFor({ state: "attached" });
  // Signed in, the switch also sets the language of their emails, SMS and pushes.
  const token = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "citizen", password: server.passwords.citizen } })).body.accessToken;
  const language = async () => (await api(server.url, "/api/notify/preferences", { token })).body.language;
  await page.getByRole("button", { name: "Switch to Urdu" }).click();
  for (let i = 0; i < 150 && (await language()) !== "ur"; ++i) await page.waitForTimeout(100);
  assert.equal(await language(), "ur");
  await page.getByRole("button", { name: "انگریزی میں دیکھیں" }).click();
  for (let i = 0; i < 150 && (await language()) !== "en"; ++i) await page.waitForTimeout(100);
  assert.equal(await language(), "en");
  await context.close();
});

test("no serious accessibility violations on any page at phone and desktop size (axe-core, WCAG 2.1 AA rules)", async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
  const { createRequire } = await import("node:module");
  const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
  // axe is injected as a script; the app's CSP would refuse it, so this context bypasses it.
  const context = await browser.newContext({ bypassCSP: true, viewport, isMobile: viewport.width < 800 });
  const page = await context.newPage();
  const check = async (name) => {
    await page.waitForLoadState("networkidle");
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
    );
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(
      serious.map((v) => `${name} at ${viewport.width}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      [],
    );
  };
  for (const path of ["/", "/login", "/research-papers", "/nope"]) {
    await page.goto(server.url + path);
    await check(path);
  }
  await signIn(page, "citizen", server.passwords.citizen);
  await page.waitForURL("**/user-dashboard");
  await check("/user-dashboard");
  await page.goto(server.url + "/settings/notifications");
  await page.getByRole("heading", { name: "Notification settings" }).waitFor();
  await check("/settings/notifications");
  await page.goto(server.url + "/notifications");
  await page.getByRole("heading", { name: "Notifications" }).waitFor();
  await check("/notifications");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "admin", server.passwords.admin);
  await page.waitForURL("**/dashboard");
  await check("/dashboard");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "driver", server.passwords.driver);
  await page.waitForURL("**/driver");
  await check("/driver");
  await context.close();
  }
});

test("screenshots of every page for every role at 360x640, 390x844, 1366x900 and 1920x1080; no page wider than the screen", async () => {
  const sizes = [
    ["360", 360, 640],
    ["390", 390, 844],
    ["1366", 1366, 900],
    ["1920", 1920, 1080],
  ];
  const citizen = (await api(server.url, "/api/auth/login", { method: "POST", json: { username: "citizen", password: server.passwords.citizen } })).body;
  const mine = (await api(server.url, `/api/reports/user/${citizen.user.id}`, { token: citizen.accessToken })).body.items;
  const reportPath = mine.length ? `/reports/${mine[0].id}` : null;
  const pages = {
    anonymous: ["/", "/login", "/research-papers", "/nope", "/map", ...(reportPath ? [reportPath] : []), "/unsubscribe/area?token=x"],
    citizen: ["/user-dashboard", ...(reportPath ? [reportPath] : []), "/notifications", "/settings/notifications", "/map"],
    admin: ["/dashboard", ...(reportPath ? [reportPath] : [])],
    driver: ["/driver", "/notifications"],
  };
  for (const [name, width, height] of sizes) {
    for (const [role, paths] of Object.entries(pages)) {
      const context = await browser.newContext({ viewport: { width, height }, isMobile: width < 800 });
      const page = await context.newPage();
      if (role !== "anonymous") {
        await signIn(page, role, server.passwords[role]);
        await page.waitForURL((u) => !u.pathname.startsWith("/login"));
      }
      for (const path of paths) {
        await page.goto(server.url + path);
        await page.waitForLoadState("networkidle");
        const file = `${role}${path.replace(/\?.*$/, "").replace(/\/[0-9a-f-]{36}$/, "/one").replace(/\//g, "-") || "-home"}-${name}.png`;
        await page.screenshot({ path: join(artifacts, "screens", file), fullPage: true });
        // Nothing pushes the page sideways on a phone.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${role} ${path} at ${name}: ${overflow} px wider than the screen`);
        // On a phone, every way around the app is a thumb-sized target (44 px or more).
        if (width < 640) {
          const small = await page.evaluate(() =>
            [...document.querySelectorAll("header a, header button, nav a, nav button")]
              .filter((e) => e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().height < 44)
              .map((e) => `${e.textContent} (${Math.round(e.getBoundingClientRect().height)} px)`),
          );
          assert.deepEqual(small, [], `${role} ${path} at ${name}: small touch targets`);
        }
      }
      await context.close();
    }
  }
});

