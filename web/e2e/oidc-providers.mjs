// SPDX-License-Identifier: AGPL-3.0-or-later
// Identity providers for the OpenID Connect tests, on loopback:
//  - startRealProvider: oidc-provider (an OpenID Certified implementation, npm) with its
//    own development sign-in pages: the flow a city's Keycloak or Google would run.
//  - startFakeProvider: a small provider whose next ID token the test shapes (another
//    audience, an expired token, alg none, an unknown key…) to see each one refused.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import Provider from "oidc-provider";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export async function makeSigningKey(kid) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid, alg: "RS256", use: "sig" };
}

/** oidc-provider on `port`; accounts are whatever login is typed, email <login>@city.example. */
export async function startRealProvider({ port, redirectUri, clientSecret, keys }) {
  const oidc = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: "cleanai",
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys },
    pkce: { required: () => true },
    cookies: { keys: ["cleanai-test-cookie-key-0123456789"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@city.example`, email_verified: true, name: `Test ${sub}` }),
    }),
    features: { devInteractions: { enabled: true } },
  });
  const server = oidc.listen(port);
  await new Promise((ok) => server.once("listening", ok));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((ok) => server.close(ok)),
  };
}

const b64url = (buf) => Buffer.from(buf).toString("base64url");

/**
 * A provider that signs in `next.sub` at once (no page) and issues the ID token the test
 * shapes through `next`: { claims, header, signWith: "key" | "other" | "none", sub }.
 */
export async function startFakeProvider({ port, clientId, clientSecret }) {
  const issuer = `http://127.0.0.1:${port}`;
  const kid = "fake-1";
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const { privateKey: otherPrivate } = await generateKeyPair("RS256");  // never published
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const codes = new Map();
  const state = { next: {}, tokenRequests: 0 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, issuer);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return send(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
      });
    }
    if (url.pathname === "/jwks") return send(200, { keys: [publicJwk] });
    if (url.pathname === "/authorize") {
      const code = b64url(randomBytes(16));
      codes.set(code, {
        nonce: url.searchParams.get("nonce"),
        challenge: url.searchParams.get("code_challenge"),
        redirect: url.searchParams.get("redirect_uri"),
        used: false,
      });
      const back = new URL(url.searchParams.get("redirect_uri"));
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state"));
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (url.pathname === "/token" && req.method === "POST") {
      state.tokenRequests++;
      let body = "";
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const basic = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString();
      const [id, secret] = basic.split(":").map(decodeURIComponent);
      if (id !== clientId || secret !== clientSecret) return send(401, { error: "invalid_client" });
      const grant = codes.get(form.get("code"));
      if (!grant || grant.used) return send(400, { error: "invalid_grant" });  // once
      grant.used = true;
      const verifier = form.get("code_verifier") ?? "";
      if (b64url(createHash("sha256").update(verifier).digest()) !== grant.challenge) {
        return send(400, { error: "invalid_grant", error_description: "PKCE" });
      }
      if (form.get("redirect_uri") !== grant.redirect) return send(400, { error: "invalid_grant" });
      const now = Math.floor(Date.now() / 1000);
      const next = state.next;
      const claims = {
        iss: issuer, sub: next.sub ?? "fake-user-1", aud: clientId, exp: now + 300, iat: now,
        nonce: grant.nonce, email: next.email ?? "fake-user-1@city.example", email_verified: true,
        ...next.claims,
      };
      const header = { alg: "RS256", kid, ...next.header };
      let idToken;
      if (next.signWith === "none") {
        idToken = `${b64url(JSON.stringify({ alg: "none" }))}.${b64url(JSON.stringify(claims))}.`;
      } else {
        idToken = await new SignJWT(claims)
          .setProtectedHeader(header)
          .sign(next.signWith === "other" ? otherPrivate : privateKey);
      }
      return send(200, { access_token: b64url(randomBytes(16)), token_type: "Bearer", id_token: idToken });
    }
    if (url.pathname === "/userinfo") return send(200, { sub: state.next.sub ?? "fake-user-1" });
    send(404, { error: "not_found" });
  });
  server.listen(port, "127.0.0.1");
  await new Promise((ok) => server.once("listening", ok));
  return { url: issuer, state, stop: () => new Promise((ok) => server.close(ok)) };
}

/** The cookie values in a response's Set-Cookie headers, by name. */
export function setCookies(res) {
  const out = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * One sign-in through `provider` without a browser (the fake provider needs no page):
 * start, the provider's redirect, the callback. `tamper(callbackUrl)` may change the
 * callback; `token` links instead of signing in. Returns the callback's response facts.
 */
export async function signInThrough(base, provider, { tamper, token, flowCookie, returnTo = "/after" } = {}) {
  let location, flow;
  if (token) {
    const res = await fetch(`${base}/api/auth/oidc/${provider}/link`, {
      method: "POST", headers: { Authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) return { status: res.status, body: await res.text() };
    location = (await res.json()).url;
    flow = setCookies(res).cleanai_oidc;
  } else {
    const res = await fetch(`${base}/api/auth/oidc/${provider}/start?returnTo=${encodeURIComponent(returnTo)}`, { redirect: "manual" });
    location = res.headers.get("location");
    flow = setCookies(res).cleanai_oidc;
    if (!location?.startsWith("http")) return { status: res.status, location };
  }
  const atProvider = await fetch(location, { redirect: "manual" });
  let callback = atProvider.headers.get("location");
  if (tamper) callback = tamper(callback);
  const res = await fetch(callback, {
    redirect: "manual", headers: { Cookie: `cleanai_oidc=${flowCookie ?? flow}` },
  });
  return { status: res.status, location: res.headers.get("location"), cookies: setCookies(res), callback, flow };
}
