// First load of the citizen pages in Chromium on localhost: navigation timing, largest
// contentful paint, and the gzipped JavaScript each route downloads. Prints figures.
//   node bench/web_load.mjs            (after `make build`; uses web/node_modules)
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const { startServer, launchBrowser } = await import(join(repo, "web/e2e/harness.mjs"));

const server = await startServer();
const browser = await launchBrowser();
const routes = [
  ["/", null],
  ["/login", null],
  ["/user-dashboard", "citizen"],
  ["/dashboard", "admin"],
];
try {
  console.log("route | load event | LCP | JS files | JS gzipped");
  for (const [path, role] of routes) {
    const context = await browser.newContext();
    if (role) {
      // Sign in once so the refresh cookie exists, then measure a cold page load.
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel("Username or email").fill(role);
      await page.getByLabel("Password").fill(server.passwords[role]);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`**${path}`);
      await page.close();
    }
    const page = await context.newPage();
    const scripts = new Set();
    page.on("response", (r) => {
      if (r.url().endsWith(".js")) scripts.add(new URL(r.url()).pathname);
    });
    await page.addInitScript(() => {
      window.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__lcp = e.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    await page.goto(server.url + path, { waitUntil: "networkidle" });
    await page.waitForTimeout(300);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      return { load: nav.loadEventEnd, lcp: window.__lcp };
    });
    let gz = 0;
    for (const s of scripts) gz += gzipSync(readFileSync(join(repo, "web/dist", s))).length;
    console.log(
      `${path} | ${timing.load.toFixed(0)} ms | ${timing.lcp.toFixed(0)} ms | ${scripts.size} | ${(gz / 1024).toFixed(1)} KiB`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
