// Runs Lighthouse in one Chromium whose profile the citizen has signed in to, so the
// citizen page is measured as a signed-in citizen sees it. Prints the four scores and the
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
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel("Username or email").fill("citizen");
  await page.getByLabel("Password").fill(server.passwords.citizen);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/user-dashboard");
  console.log("page | performance | accessibility | best practices | SEO | FCP | LCP | TBT");
  for (const path of ["/", "/login", "/user-dashboard"]) {
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
  }
} finally {
  await context.close();
  await server.stop();
}
