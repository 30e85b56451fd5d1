// SPDX-License-Identifier: AGPL-3.0-or-later
// Runs Lighthouse in one Chromium: the public pages as a first-time visitor, then the
// citizen page after the citizen signed in in that profile (as they see it). Prints the four scores and the
// paint figures per page. Run through bench/lighthouse.sh.
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const require = createRequire(join(repo, "build/lighthouse/"));
const lighthouse = (await import(require.resolve("lighthouse"))).default;
const { chromium } = await import(join(repo, "web/node_modules/playwright-core/index.mjs"));
const { startServer } = await import(join(repo, "web/e2e/harness.mjs"));

const port = 9300 + Math.floor(Math.random() * 500);
const server = await startServer();
const profile = mkdtempSync(join(tmpdir(), "cleanai-lh-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [`--remote-debugging-port=${port}`, "--no-sandbox"],
});
try {
  const run = async (path) => {
    const result = await lighthouse(`${server.url}${path}`, {
      port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const c = result.lhr.categories;
    const a = result.lhr.audits;
    const score = (k) => Math.round(c[k].score * 100);
    console.log(
      `${path} | ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} | ` +
        `${a["first-contentful-paint"].displayValue} | ${a["largest-contentful-paint"].displayValue} | ${a["total-blocking-time"].displayValue}`,
    );
    if (process.env.LH_DETAILS) {
      const lcp = a["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node;
      console.log("  LCP element:", lcp?.nodeLabel, lcp?.selector);
      const chains = a["critical-request-chains"]?.details?.chains ?? {};
      const walk = (c, depth) => {
        for (const v of Object.values(c)) {
          console.log(`  ${"  ".repeat(depth)}${v.request.url.replace(server.url, "")} ${Math.round((v.request.endTime - v.request.startTime) * 1000)} ms`);
          walk(v.children ?? {}, depth + 1);
        }
      };
      walk(chains, 0);
    }
  };
  console.log("page | performance | accessibility | best practices | SEO | FCP | LCP | TBT");
  // The public pages as a first-time visitor sees them; then the citizen's, signed in.
  await run("/");
  await run("/login");
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Username or email").fill("citizen");
  await page.getByLabel("Password").fill(server.passwords.citizen);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/user-dashboard");
  await page.close();
  await run("/user-dashboard");
} finally {
  await context.close();
  await server.stop();
}
