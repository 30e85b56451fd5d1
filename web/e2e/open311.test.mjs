// SPDX-License-Identifier: AGPL-3.0-or-later
// Open311 GeoReport v2 through HTTP: every JSON answer validates against the project's own
// schemas (e2e/open311-schemas, written from the specification) and, where a checkout has
// them beside it (CI: ../shared/open311/schemas), the published ones too; XML answers
// parse and mirror the JSON, and the spec's negative cases get the right status and error
// body.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { XMLParser } from "fast-xml-parser";
import { api, makeJpeg, startServer } from "./harness.mjs";

const ownSchemas = resolve(import.meta.dirname, "open311-schemas");
const publishedSchemas = resolve(import.meta.dirname, "../../../shared/open311/schemas");
let server;
let validators; // one Ajv per schema set: the project's own, then the published ones if present
let reportId;

function loadSchemas(dir, names) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const name of names) {
    ajv.addSchema(JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")), `${name}.json`);
  }
  return { dir, ajv };
}

before(async () => {
  server = await startServer();
  const names = ["service", "services", "service-definition", "request", "requests"];
  validators = [loadSchemas(ownSchemas, [...names, "errors"])];
  if (existsSync(publishedSchemas)) validators.push(loadSchemas(publishedSchemas, names));
  // One report to read back, filed the CleanAI way.
  const login = await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "citizen", password: server.passwords.citizen },
  });
  const form = new FormData();
  form.set("wasteType", "plastic");
  form.set("lat", "31.520400");
  form.set("lng", "74.358700");
  form.set("description", "Bottles & bags <by the canal>");
  form.set("photo", new Blob([readFileSync(makeJpeg(server.dataDir, "o311"))]), "p.jpg");
  const res = await fetch(`${server.url}/api/reports`, {
    method: "POST",
    headers: { Authorization: `Bearer ${login.body.accessToken}` },
    body: form,
  });
  assert.equal(res.status, 201);
  reportId = (await res.json()).id;
});

after(async () => {
  await server?.stop();
});

function validate(schema, data) {
  for (const { dir, ajv } of validators) {
    if (!ajv.getSchema(schema)) continue;
    const ok = ajv.validate(schema, data);
    assert.ok(ok, `${dir}/${schema}: ${ajv.errorsText()}`);
  }
}

async function get(path) {
  const res = await fetch(server.url + path);
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const xml = new XMLParser({ parseTagValue: false });

test("the project's own schemas are present and reject what the specification forbids", () => {
  assert.ok(existsSync(join(ownSchemas, "request.json")));
  const [{ ajv }] = validators;
  const good = { service_request_id: "1", status: "open", service_code: "plastic", requested_datetime: "2026-11-24T18:19:15Z", lat: 31.5, long: 74.3 };
  assert.ok(ajv.validate("requests.json", [good]), ajv.errorsText());
  assert.ok(!ajv.validate("requests.json", [{ ...good, status: "pending" }]), "an unknown status passed");
  assert.ok(!ajv.validate("requests.json", [{ ...good, requested_datetime: "yesterday" }]), "a bad time passed");
  assert.ok(!ajv.validate("requests.json", [{ ...good, reporter: "ayesha" }]), "an unknown field passed");
  assert.ok(!ajv.validate("errors.json", []), "an empty error list passed");
});

test("services validate and the XML mirrors them", async () => {
  const json = await get("/open311/v2/services.json");
  assert.equal(json.status, 200);
  const services = JSON.parse(json.text);
  validate("services.json", services);
  assert.ok(services.some((s) => s.service_code === "hazardous"));
  const x = await get("/open311/v2/services.xml");
  assert.match(x.type, /text\/xml/);
  const parsed = xml.parse(x.text).services.service;
  assert.equal(parsed.length, services.length);
  assert.equal(parsed[0].service_code, services[0].service_code);
});

test("a service definition validates", async () => {
  const def = JSON.parse((await get("/open311/v2/services/plastic.json")).text);
  validate("service-definition.json", def);
  assert.deepEqual(def.attributes.map((a) => a.code), ["size", "blocks_drain"]);
  const x = xml.parse((await get("/open311/v2/services/plastic.xml")).text);
  assert.equal(x.service_definition.service_code, "plastic");
});

test("requests validate, never show the reporter, and the XML escapes text", async () => {
  const list = await get("/open311/v2/requests.json");
  assert.equal(list.status, 200);
  const requests = JSON.parse(list.text);
  validate("requests.json", requests);
  const mine = requests.find((r) => r.service_request_id === reportId);
  assert.ok(mine, "the report is listed");
  assert.equal(mine.status, "open");
  assert.equal(mine.service_code, "plastic");
  assert.ok(!list.text.includes("citizen"), "a reporter's name leaked");
  // Not yet seen by the city: neither the citizen's words nor the photo are public.
  assert.equal(mine.description, null);
  assert.equal(mine.media_url, null);
  const admin = await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "admin", password: server.passwords.admin },
  });
  const ack = await api(server.url, `/api/reports/${reportId}/status`, {
    method: "PATCH",
    token: admin.body.accessToken,
    json: { status: "acknowledged" },
  });
  assert.equal(ack.status, 200);
  const one = JSON.parse((await get(`/open311/v2/requests/${reportId}.json`)).text);
  validate("requests.json", one);
  assert.equal(one[0].description, "Bottles & bags <by the canal>");
  assert.match(one[0].media_url, /\/media\/[0-9a-f]{64}\.jpg$/);
  const x = await get(`/open311/v2/requests/${reportId}.xml`);
  const parsed = xml.parse(x.text).service_requests.request;
  assert.equal(parsed.service_request_id, reportId);
  assert.equal(parsed.description, "Bottles & bags <by the canal>");
  const open = JSON.parse((await get("/open311/v2/requests.json?status=open&service_code=plastic")).text);
  assert.ok(open.some((r) => r.service_request_id === reportId));
  const closed = JSON.parse((await get("/open311/v2/requests.json?status=closed")).text);
  assert.ok(!closed.some((r) => r.service_request_id === reportId));
});

test("discovery lists both formats", async () => {
  const d = JSON.parse((await get("/open311/v2/discovery.json")).text);
  assert.deepEqual(d.endpoints[0].formats, ["text/xml", "application/json"]);
  assert.ok(xml.parse((await get("/open311/v2/discovery.xml")).text).discovery.endpoints.endpoint);
});

async function adminToken() {
  return (await api(server.url, "/api/auth/login", {
    method: "POST",
    json: { username: "admin", password: server.passwords.admin },
  })).body.accessToken;
}

async function post(fields, withMedia = true) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (withMedia) form.set("media", new Blob([readFileSync(makeJpeg(server.dataDir, `m${Date.now()}`))]), "m.jpg");
  const res = await fetch(`${server.url}/open311/v2/requests.json`, { method: "POST", body: form });
  return { status: res.status, body: JSON.parse(await res.text()) };
}

test("a request filed through Open311 goes through the CleanAI pipeline and reads back", async () => {
  const admin = await adminToken();
  const key = await api(server.url, "/api/open311/keys", { method: "POST", token: admin, json: { name: "FixMyStreet" } });
  assert.equal(key.status, 201);
  const apiKey = key.body.apiKey;
  const filed = await post({
    api_key: apiKey,
    service_code: "hazardous",
    lat: "31.530000",
    long: "74.350000",
    description: "Leaking drums",
    "attribute[size]": "truck",
    "attribute[blocks_drain]": "true",
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const id = filed.body[0].service_request_id;
  // In CleanAI it is an ordinary report (priority raised for hazardous + drain).
  const report = await api(server.url, `/api/reports/${id}`, { token: admin });
  assert.equal(report.body.priority, "urgent");
  assert.equal(report.body.size, "truck");
  // The city dispatches it; Open311 reads the state back.
  const vehicle = await api(server.url, "/api/fleet", { method: "POST", token: admin, json: { vehicleNumber: "O311-1" } });
  const sent = await api(server.url, `/api/fleet/${vehicle.body.id}/assign`, { method: "PATCH", token: admin, json: { reportId: id } });
  assert.equal(sent.status, 200);
  const back = JSON.parse((await get(`/open311/v2/requests/${id}.json`)).text);
  validate("requests.json", back);
  assert.equal(back[0].status, "open");
  assert.equal(back[0].status_notes, "dispatched");
  const token = JSON.parse((await get(`/open311/v2/tokens/${id}.json`)).text);
  assert.equal(token[0].service_request_id, id);

  // mySociety updates: the dispatch reads back as ACTION_SCHEDULED ...
  const since = new Date(Date.now() - 3600_000).toISOString();
  const updates = JSON.parse((await get(`/open311/v2/servicerequestupdates.json?start_date=${since}`)).text);
  assert.ok(updates.some((u) => u.service_request_id === id && u.status === "ACTION_SCHEDULED"), JSON.stringify(updates));
  // ... and the city system posts FIXED with the after photo.
  const update = new FormData();
  update.set("api_key", apiKey);
  update.set("service_request_id", id);
  update.set("status", "FIXED");
  update.set("description", "Drums removed");
  update.set("media", new Blob([readFileSync(makeJpeg(server.dataDir, "after311"))]), "after.jpg");
  const posted = await fetch(`${server.url}/open311/v2/servicerequestupdates.json`, { method: "POST", body: update });
  assert.equal(posted.status, 200, await posted.clone().text());
  assert.ok((await posted.json())[0].update_id);
  const fixed = await api(server.url, `/api/reports/${id}`, { token: admin });
  assert.equal(fixed.body.status, "resolved");
  assert.ok(fixed.body.verificationImageUrl);
  const later = JSON.parse((await get(`/open311/v2/servicerequestupdates.json?start_date=${since}`)).text);
  const fixedUpdate = later.find((u) => u.service_request_id === id && u.status === "FIXED");
  assert.ok(fixedUpdate?.media_url.includes("/media/"));
  const xmlUpdates = xml.parse((await get(`/open311/v2/servicerequestupdates.xml?start_date=${since}`)).text);
  assert.ok(xmlUpdates.service_request_updates.request_update);
  const postUpdate = async (fields) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.set(k, v);
    return (await fetch(`${server.url}/open311/v2/servicerequestupdates.json`, { method: "POST", body: f })).status;
  };
  assert.equal(await postUpdate({ api_key: apiKey, service_request_id: id, status: "BOGUS" }), 400);
  assert.equal(await postUpdate({ api_key: apiKey, service_request_id: id, status: "IN_PROGRESS" }), 400);  // resolved -> in_progress is refused
  assert.equal(await postUpdate({ api_key: "nope", service_request_id: id, status: "FIXED" }), 403);
  assert.equal(await postUpdate({ api_key: apiKey, service_request_id: "00000000-0000-7000-8000-000000000000", status: "FIXED" }), 404);
  assert.equal((await get("/open311/v2/servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z")).status, 400);

  // Negative cases of filing.
  assert.equal((await post({ service_code: "plastic", lat: "1", long: "1" })).status, 403);
  assert.equal((await post({ api_key: "nope", service_code: "plastic", lat: "1", long: "1" })).status, 403);
  assert.equal((await post({ api_key: apiKey, lat: "1", long: "1" })).status, 400);
  assert.equal((await post({ api_key: apiKey, service_code: "kryptonite", lat: "1", long: "1" })).status, 404);
  assert.equal((await post({ api_key: apiKey, service_code: "plastic", lat: "1", long: "1", "attribute[size]": "huge" })).status, 400);
  assert.equal((await post({ api_key: apiKey, service_code: "plastic" })).status, 400);
  assert.equal((await post({ api_key: apiKey, service_code: "plastic", lat: "1", long: "1" }, false)).status, 400);
  const revoked = await api(server.url, `/api/open311/keys/${key.body.id}`, { method: "DELETE", token: admin });
  assert.equal(revoked.status, 204);
  const after = await post({ api_key: apiKey, service_code: "plastic", lat: "1", long: "1" });
  assert.equal(after.status, 403);
  validate("errors.json", after.body);
  assert.equal(after.body[0].code, 403);
});

test("negative cases answer with the spec's error list", async () => {
  const cases = [
    ["/open311/v2/services/kryptonite.json", 404],
    ["/open311/v2/requests.json?service_code=kryptonite", 404],
    ["/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", 400],
    ["/open311/v2/requests.json?start_date=yesterday", 400],
    ["/open311/v2/requests.json?status=pending", 400],
    ["/open311/v2/requests.json?page_size=0", 400],
    ["/open311/v2/requests/00000000-0000-7000-8000-000000000000.json", 404],
    ["/open311/v2/requests/not-an-id.json", 404],
    ["/open311/v2/services.yaml", 404],
  ];
  for (const [path, status] of cases) {
    const r = await get(path);
    assert.equal(r.status, status, path);
    const body = JSON.parse(r.text);
    validate("errors.json", body);
    assert.equal(body[0].code, status, path);
    assert.ok(body[0].description.length > 0, path);
  }
  const x = await get("/open311/v2/services/kryptonite.xml");
  assert.equal(x.status, 404);
  const err = xml.parse(x.text).errors.error;
  assert.equal(err.code, "404");
});
