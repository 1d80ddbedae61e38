// pa11y with its HTML_CodeSniffer runner, for the browser journeys (tests/e2e/browser.py).
// One Chromium (Debian's, never one npm downloads) serves every page of a test run: the journey
// sends one JSON line per page, {"url": "file:///...html"} (the page as the user saw it, saved
// with a <base> pointing at the test server so its styles load), and reads back one JSON line,
// {"issues": [{code, type, message, selector, context}]} or {"error": "..."}.
import readline from "node:readline";

import pa11y from "pa11y";
import puppeteer from "puppeteer";

// Chromium and its flags come from browser.py (CHROMIUM, CHROMIUM_ARGS), the journeys' own.
const browser = await puppeteer.launch({
  executablePath: process.env.PA11Y_CHROMIUM,
  headless: true,
  args: [...JSON.parse(process.env.PA11Y_CHROMIUM_ARGS), "--allow-file-access-from-files"],
});

const reply = (value) => process.stdout.write(JSON.stringify(value) + "\n");
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let page;
  try {
    const { url } = JSON.parse(line);
    page = await browser.newPage();
    const results = await pa11y(url, {
      browser,
      page,
      runners: ["htmlcs"],
      standard: "WCAG2AA",
      includeNotices: false,
      includeWarnings: false,
      timeout: 60000,
      viewport: { width: 1280, height: 900 },
      log: { debug: () => {}, error: () => {}, info: () => {} },
    });
    reply({
      issues: results.issues.map(({ code, type, message, selector, context }) => ({
        code, type, message, selector, context,
      })),
    });
  } catch (error) {
    reply({ error: String(error && error.stack ? error.stack : error) });
  } finally {
    if (page) await page.close().catch(() => {});
  }
}
await browser.close();
