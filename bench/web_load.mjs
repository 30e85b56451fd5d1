// SPDX-License-Identifier: AGPL-3.0-or-later
// First load of the pages in Chromium as a cheap phone on a slow network sees them:
// 4x CPU slowdown, 1.6 Mbps down / 750 kbps up, 150 ms round trip (Lighthouse's "slow
// 4G"), a cold cache. For each page: when it is usable (its main control on screen and
// the load event done), the largest contentful paint and what element it was, and the
// bytes of JavaScript that crossed the network (compressed, as served). Prints figures.
//   node bench/web_load.mjs            (after `make build`; uses web/node_modules)
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const { startServer, launchBrowser } = await import(join(repo, "web/e2e/harness.mjs"));

const server = await startServer();
const browser = await launchBrowser();
// [path, who signs in first, the control that makes the page usable]
const pages = [
  ["/", null, (p) => p.getByRole("heading", { level: 1 })],
  ["/login", null, (p) => p.getByRole("button", { name: "Sign in" })],
  ["/user-dashboard", "citizen", (p) => p.getByRole("button", { name: "Send report" })],
  ["/dashboard", "admin", (p) => p.getByRole("heading", { name: "City dashboard" })],
];

async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
}

try {
  console.log("page | usable | LCP | LCP element | JS over the wire | all bytes");
  for (const [path, role, control] of pages) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    if (role) {
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel("Username or email").fill(role);
      await page.getByLabel("Password").fill(server.passwords[role]);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`**${path}`);
      await page.close();
    }
    const page = await context.newPage();
    await throttle(page);
    let js = 0;
    let all = 0;
    page.on("response", async (r) => {
      const size = Number((await r.allHeaders())["content-length"] ?? 0) || (await r.body().catch(() => Buffer.alloc(0))).length;
      all += size;
      if (r.url().endsWith(".js")) js += size;
    });
    await page.addInitScript(() => {
      window.__lcp = { t: 0, el: "" };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          window.__lcp = { t: e.startTime, el: e.element ? e.element.tagName + (e.element.id ? "#" + e.element.id : "") + " " + (e.element.textContent ?? "").slice(0, 40) : e.url };
        }
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    const start = Date.now();
    await page.goto(server.url + path, { waitUntil: "load" });
    await control(page).first().waitFor();
    const usable = Date.now() - start;
    await page.waitForTimeout(500);
    const lcp = await page.evaluate(() => window.__lcp);
    console.log(
      `${path} | ${usable} ms | ${lcp.t.toFixed(0)} ms | ${lcp.el.replace(/\s+/g, " ").trim()} | ${(js / 1024).toFixed(0)} KiB | ${(all / 1024).toFixed(0)} KiB`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
