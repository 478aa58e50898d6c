// Opens an s75lint HTML report in headless Chromium (via puppeteer-core, which downloads no
// browser) and prints, as JSON: every console message and page error, every Content Security
// Policy violation, and axe-core's accessibility violations (WCAG 2.0/2.1/2.2 A and AA).
//
//   node tests/browser/check_page.mjs CHROMIUM REPORT.html
//
// Run by tests/signoff.rs with NODE_PATH pointing at target/browser-tools/node_modules
// (`npm install --prefix target/browser-tools puppeteer-core@23 axe-core@4`).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(path.join(process.env.NODE_PATH || ".", "x.js"));
const puppeteer = require("puppeteer-core");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [chromium, report] = process.argv.slice(2);
const url = pathToFileURL(path.resolve(report)).href;
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const out = { console: [], csp: [], violations: [], title: "" };
try {
  // First with the page's own policy in force: anything it tries to fetch or run shows up.
  const page = await browser.newPage();
  page.on("console", (m) => out.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => out.console.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => out.console.push(`requestfailed: ${r.url()}`));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url, { waitUntil: "load" });
  out.title = await page.title();
  out.csp = out.console.filter((m) => /Content Security Policy|CSP violation|Refused to/.test(m));
  await page.close();

  // Then axe, which is a script, on a page whose policy is bypassed for it alone.
  const axePage = await browser.newPage();
  await axePage.setBypassCSP(true);
  await axePage.setViewport({ width: 1280, height: 900 });
  await axePage.goto(url, { waitUntil: "load" });
  await axePage.addScriptTag({ content: axeSource });
  const result = await axePage.evaluate(async () =>
    await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      resultTypes: ["violations"],
    }));
  out.violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.length,
    example: v.nodes[0] ? v.nodes[0].html.slice(0, 200) : "",
  }));
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
