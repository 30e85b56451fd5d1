// SPDX-License-Identifier: AGPL-3.0-or-later
// "Sign in with …" (OpenID Connect) against real providers on loopback: oidc-provider
// (OpenID Certified) through its own sign-in page in Chromium, including a rotation of
// its signing key; and a provider whose tokens the test shapes, to see each bad one
// refused: wrong state, a replayed code, another audience, expired, not yet valid, an
// unknown key, alg none, a wrong nonce, a provider that is down, an unverified email
// trying to take over an account.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { api, artifacts, freePort, launchBrowser, startServer } from "./harness.mjs";
import { makeSigningKey, setCookies, signInThrough, startFakeProvider, startRealProvider } from "./oidc-providers.mjs";

const secret = "test-client-secret-0123456789";
let server, real, fake, browser, realPort, firstKey;

// The session a successful callback left: its refresh cookie, turned into an access token.
async function sessionFrom(result) {
  const refresh = result.cookies.cleanai_refresh;
  assert.ok(refresh, `no session: ${JSON.stringify(result)}`);
  const res = await fetch(`${server.url}/api/auth/refresh`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ refreshToken: refresh }) });
  assert.equal(res.status, 200);
  return res.json();
}

describe("sign in with an OpenID Connect provider", () => {
  before(async () => {
    const [port, fakePort, downPort] = [await freePort(), await freePort(), await freePort()];
    realPort = await freePort();
    const provider = (id, name, issuerPort, extra = "") =>
      `[[auth.oidc]]\nid = "${id}"\ndisplay_name = "${name}"\nissuer = "http://127.0.0.1:${issuerPort}"\n` +
      `client_id = "cleanai"\nclient_secret = "${secret}"\n${extra}`;
    server = await startServer({
      port,
      config:
        provider("city", "City ID", realPort, "allow_admins = true\n") +
        provider("fake", "Test IdP", fakePort, "allow_admins = true\n") +
        provider("down", "Down IdP", downPort),
    });
    firstKey = await makeSigningKey("city-key-1");
    real = await startRealProvider({
      port: realPort, redirectUri: `${server.url}/api/auth/oidc/city/callback`, clientSecret: secret, keys: [firstKey],
    });
    fake = await startFakeProvider({ port: fakePort, clientId: "cleanai", clientSecret: secret });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await real?.stop();
    await fake?.stop();
    await server?.stop();
  });

  // Through the provider's own pages, as a person would.
  async function signInInBrowser(login, shot, then) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole("link", { name: "Sign in with City ID" }).click();
    await page.waitForURL(`${real.url}/**`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', "any password");
    await page.click('button[type="submit"]');
    // oidc-provider asks for consent the first time: its "Continue".
    for (let i = 0; i < 3 && page.url().startsWith(real.url); i++) {
      await page.waitForLoadState();
      if (!page.url().startsWith(real.url)) break;
      await page.click('button[type="submit"]');
    }
    await page.waitForURL(`${server.url}/user-dashboard`, { timeout: 20000 });
    if (shot) await page.screenshot({ path: join(artifacts, shot) });
    if (then) await then(page);
    await context.close();
  }

  it("a citizen signs in through the provider's page and has an account", async () => {
    await signInInBrowser("amina", "oidc-signed-in-390.png", async (page) => {
      // Settings list the identity the account signs in with, and offer the other providers.
      await page.goto(`${server.url}/settings/notifications`);
      const methods = page.getByRole("list", { name: "Ways to sign in" });
      await methods.getByText("City ID").waitFor();
      await methods.getByText("amina@city.example").waitFor();
      await page.getByRole("button", { name: "Link Test IdP" }).waitFor();
      await methods.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artifacts, "oidc-settings-390.png") });
    });
    const admin = await api(server.url, "/api/auth/login", { method: "POST", json: { username: "admin", password: server.passwords.admin } });
    const users = await api(server.url, "/api/users?q=amina", { token: admin.body.accessToken });
    const amina = users.body.items.find((u) => u.email === "amina@city.example");
    assert.ok(amina, JSON.stringify(users.body));
    assert.equal(amina.role, "citizen");
  });

  it("keeps working when the provider rotates its signing key", async () => {
    await real.stop();
    const next = await makeSigningKey("city-key-2");
    real = await startRealProvider({
      port: realPort, redirectUri: `${server.url}/api/auth/oidc/city/callback`, clientSecret: secret, keys: [next, firstKey],
    });
    await signInInBrowser("amina");  // the same account: signed with a key cleanai has not seen
    const admin = await api(server.url, "/api/auth/login", { method: "POST", json: { username: "admin", password: server.passwords.admin } });
    const users = await api(server.url, "/api/users?q=amina", { token: admin.body.accessToken });
    assert.equal(users.body.items.filter((u) => u.email === "amina@city.example").length, 1);
  });

  it("signs in with a good token and lands where the attempt began", async () => {
    fake.state.next = { sub: "good-1", email: "good-1@city.example" };
    const r = await signInThrough(server.url, "fake");
    assert.equal(r.status, 302);
    assert.equal(r.location, "/after");
    assert.equal(r.cookies.cleanai_oidc, "", "the attempt's cookie is cleared");
    const s = await sessionFrom(r);
    assert.equal(s.user.email, "good-1@city.example");
    // The same subject again: the same account.
    const again = await sessionFrom(await signInThrough(server.url, "fake"));
    assert.equal(again.user.id, s.user.id);
  });

  it("returns only to a path on this site (no open redirect)", async () => {
    fake.state.next = { sub: "good-1", email: "good-1@city.example" };
    for (const evil of ["//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example", "/ok\r\nSet-Cookie: x=1"]) {
      const r = await signInThrough(server.url, "fake", { returnTo: evil });
      assert.equal(r.location, "/", JSON.stringify(evil));
    }
    assert.equal((await signInThrough(server.url, "fake", { returnTo: "/reports/1?x=2" })).location, "/reports/1?x=2");
  });

  it("refuses a wrong state, a replayed code and a stale or missing attempt", async () => {
    fake.state.next = { sub: "state-1", email: "state-1@city.example" };
    const wrong = await signInThrough(server.url, "fake", { tamper: (u) => u.replace(/state=[^&]+/, "state=forged") });
    assert.equal(wrong.location, "/login?oidcError=state");
    assert.equal(wrong.cookies.cleanai_refresh, undefined);
    const ok = await signInThrough(server.url, "fake");
    assert.equal(ok.location, "/after");
    // The same callback (and the browser's cookie) again: the provider refuses the code.
    const replay = await fetch(ok.callback, { redirect: "manual", headers: { Cookie: `cleanai_oidc=${ok.flow}` } });
    assert.equal(replay.headers.get("location"), "/login?oidcError=token");
    assert.equal(setCookies(replay).cleanai_refresh, undefined);
    const noCookie = await fetch(ok.callback, { redirect: "manual" });
    assert.equal(noCookie.headers.get("location"), "/login?oidcError=expired");
    const forgedCookie = await signInThrough(server.url, "fake", { flowCookie: "AAAA" + "x".repeat(80) });
    assert.equal(forgedCookie.location, "/login?oidcError=expired");
  });

  for (const [what, next] of [
    ["another audience", { claims: { aud: "someone-else" } }],
    ["two audiences without azp", { claims: { aud: ["cleanai", "other"] } }],
    ["an azp that is not cleanai", { claims: { azp: "other" } }],
    ["an expired token", { claims: { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 4000 } }],
    ["a token not valid yet", { claims: { iat: Math.floor(Date.now() / 1000) + 3600 } }],
    ["a token not valid yet (nbf)", { claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }],
    ["another issuer", { claims: { iss: "https://evil.example" } }],
    ["a wrong nonce", { claims: { nonce: "not-the-one" } }],
    ["an unknown key id", { signWith: "other", header: { kid: "never-published" } }],
    ["a known key id with another key's signature", { signWith: "other" }],
    ["alg none", { signWith: "none" }],
  ]) {
    it(`refuses ${what}`, async () => {
      fake.state.next = { sub: `bad-${what}`, email: "bad@city.example", ...next };
      const r = await signInThrough(server.url, "fake");
      assert.equal(r.location, "/login?oidcError=token", JSON.stringify(r));
      assert.equal(r.cookies.cleanai_refresh, undefined);
    });
  }

  it("says so, promptly, when the provider is down", async () => {
    const res = await fetch(`${server.url}/api/auth/oidc/down/start?returnTo=%2F`, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/login?oidcError=unavailable");
    const unknown = await fetch(`${server.url}/api/auth/oidc/nope/start`, { redirect: "manual" });
    assert.equal(unknown.status, 404);
  });

  it("never takes over an existing account by email; links only for its signed-in owner", async () => {
    const victim = await api(server.url, "/api/auth/register", {
      method: "POST", json: { username: "victim", email: "victim@city.example", password: "a long passphrase 1" },
    });
    assert.equal(victim.status, 201);
    fake.state.next = { sub: "attacker-1", email: "victim@city.example", claims: { email_verified: false } };
    assert.equal((await signInThrough(server.url, "fake")).location, "/login?oidcError=email-unverified");
    fake.state.next = { sub: "attacker-1", email: "victim@city.example" };  // even verified
    assert.equal((await signInThrough(server.url, "fake")).location, "/login?oidcError=account-exists");
    let ids = await api(server.url, "/api/auth/identities", { token: victim.body.accessToken });
    assert.deepEqual(ids.body.identities, []);
    // The owner links it while signed in (the provider verified the email).
    fake.state.next = { sub: "victim-at-idp", email: "victim@city.example" };
    const linked = await signInThrough(server.url, "fake", { token: victim.body.accessToken });
    assert.equal(linked.location, "/settings/notifications?linked=fake");
    ids = await api(server.url, "/api/auth/identities", { token: victim.body.accessToken });
    assert.equal(ids.body.identities.length, 1);
    assert.equal(ids.body.identities[0].provider, "fake");
    const s = await sessionFrom(await signInThrough(server.url, "fake"));
    assert.equal(s.user.id, victim.body.user.id);
    // An unverified email cannot be linked either.
    const other = await api(server.url, "/api/auth/register", {
      method: "POST", json: { username: "other1", email: "other1@city.example", password: "a long passphrase 2" },
    });
    fake.state.next = { sub: "other-at-idp", email: "other1@city.example", claims: { email_verified: false } };
    const refused = await signInThrough(server.url, "fake", { token: other.body.accessToken });
    assert.equal(refused.location, "/settings/notifications?oidcError=email-unverified");
    // Someone else's identity is not linked to a second account.
    fake.state.next = { sub: "victim-at-idp", email: "victim@city.example" };
    const taken = await signInThrough(server.url, "fake", { token: other.body.accessToken });
    assert.equal(taken.location, "/settings/notifications?oidcError=identity-taken");
    // The only way in of an account without a password cannot be removed; others can.
    const del = await api(server.url, `/api/auth/identities/${ids.body.identities[0].id}`, { method: "DELETE", token: victim.body.accessToken });
    assert.equal(del.status, 204);
    const notMine = await api(server.url, `/api/auth/identities/${ids.body.identities[0].id}`, { method: "DELETE", token: other.body.accessToken });
    assert.equal(notMine.status, 404);
  });

  it("lets a city require its provider for admins", async () => {
    const login = () => api(server.url, "/api/auth/login", { method: "POST", json: { username: "admin", password: server.passwords.admin } });
    const admin = await login();
    // Not before the admin's own account is linked (no locking oneself out).
    const early = await api(server.url, "/api/auth/oidc/policy", { method: "PUT", token: admin.body.accessToken, json: { adminsSignInWith: "fake" } });
    assert.equal(early.status, 409);
    fake.state.next = { sub: "city-admin", email: "admin-idp@city.example" };
    const linked = await signInThrough(server.url, "fake", { token: admin.body.accessToken });
    assert.equal(linked.location, "/settings/notifications?linked=fake");
    const set = await api(server.url, "/api/auth/oidc/policy", { method: "PUT", token: admin.body.accessToken, json: { adminsSignInWith: "fake" } });
    assert.equal(set.status, 200);
    const refused = await login();
    assert.equal(refused.status, 403);
    assert.match(refused.body.detail, /admins sign in with Test IdP/);
    const viaIdp = await sessionFrom(await signInThrough(server.url, "fake"));
    assert.equal(viaIdp.user.role, "admin");
    // A citizen may not change the rule; the admin lifts it.
    const citizen = await api(server.url, "/api/auth/register", {
      method: "POST", json: { username: "plain1", email: "plain1@city.example", password: "a long passphrase 3" },
    });
    assert.equal((await api(server.url, "/api/auth/oidc/policy", { method: "PUT", token: citizen.body.accessToken, json: { adminsSignInWith: null } })).status, 403);
    const lifted = await api(server.url, "/api/auth/oidc/policy", { method: "PUT", token: viaIdp.accessToken, json: { adminsSignInWith: null } });
    assert.equal(lifted.status, 200);
    assert.equal((await login()).status, 200);
  });

  it("shows the provider's failure in words on the login page, in Urdu too", async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login?oidcError=account-exists`);
    await page.getByRole("alert").filter({ hasText: "An account with this email already exists" }).waitFor();
    await page.screenshot({ path: join(artifacts, "oidc-error-360.png") });
    await page.evaluate(() => localStorage.setItem("lang", "ur"));
    await page.reload();
    await page.getByRole("alert").filter({ hasText: "اس ای میل کا اکاؤنٹ پہلے سے موجود ہے" }).waitFor();
    await context.close();
  });
});
