"""One user's browser session in a journey, and the checks run on every page it visits.

After each navigation a journey calls `check()`: the page must have raised no JavaScript
error and no Content-Security-Policy violation (Chromium logs one to the console for any inline
script or style the policy blocks), axe-core must find no WCAG 2.0/2.1/2.2 A or AA violation,
nor pa11y's HTML_CodeSniffer runner a WCAG2AA error (the two engines find different things;
the few accepted HTML_CodeSniffer results are PA11Y_ACCEPTED, each with its reason), and at 320
CSS pixels wide (400% zoom of a 1280 pixel window) the page must not scroll
sideways (tables scroll inside their own wrapper). `finish()` fails the journey if a page it
navigated to was never checked.

axe-core is evaluated through the DevTools protocol, which the page's CSP does not govern;
adding it as a <script> element would be refused by `script-src 'self'`.
"""

import atexit
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Download, Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PA11Y_RUNNER = ROOT / "tests" / "e2e" / "pa11y_runner.mjs"
# Debian's Chromium (never one a package downloads), for Playwright and for pa11y's puppeteer alike.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "test-results" / "e2e"
# E2E_KEEP_GOING=1: note axe and reflow findings and fail at finish(), to see them all in one run.
KEEP_GOING = os.environ.get("E2E_KEEP_GOING") == "1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}  # 1280 pixels at 400% zoom

AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""

OVERFLOW = """() => {
  function measure() {
    const root = document.documentElement;
    if (root.scrollWidth <= window.innerWidth) return null;
    // The elements that stick out on the right, to say what to fix.
    const culprits = [];
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      const positioned = ["absolute", "fixed"].includes(getComputedStyle(el).position);
      if (box.right > window.innerWidth + 1 && (positioned || el.closest(".app-table-wrapper") === null)) {
        const classes = [...el.classList].map((name) => "." + name).join("");
        culprits.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes} right=${Math.round(box.right)}`);
      }
    }
    return {scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, culprits: culprits.slice(0, 8)};
  }
  // Closed <details> are opened for the measurement: their content must reflow too.
  const closed = [...document.querySelectorAll("details:not([open])")];
  closed.forEach((details) => { details.open = true; });
  try {
    return measure();
  } finally {
    closed.forEach((details) => { details.open = false; });
  }
}"""

# Where keyboard focus is, and whether it is visible by GOV.UK's focus state: a yellow
# outline (inputs), a yellow background with a black underline (links, buttons), or a yellow
# ring drawn by a box shadow (radios and checkboxes).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // GOV.UK radios and checkboxes hide the input itself and draw its focus ring on the label.
  const drawn = el.matches(".govuk-radios__input, .govuk-checkboxes__input") ? el.labels[0] : null;
  const style = drawn ? getComputedStyle(drawn, "::before") : getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || "").trim().slice(0, 80),
    classes: el.className && el.className.baseVal === undefined ? el.className : "",
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor, boxShadow: style.boxShadow, background: style.backgroundColor,
  };
}"""
FOCUS_YELLOW = "rgb(255, 221, 0)"


def focus_is_visible(state: dict) -> bool:
    # GOV.UK links and buttons also carry a transparent outline (for forced colours): not visible.
    outline = (
        state["outlineStyle"] != "none" and state["outlineWidth"] >= 2 and state["outlineColor"] != "rgba(0, 0, 0, 0)"
    )
    yellow_background = state["background"] == FOCUS_YELLOW
    shadow = state["boxShadow"] not in ("", "none")
    yellow_ring = FOCUS_YELLOW in state["boxShadow"]
    return outline or (yellow_background and shadow) or yellow_ring


# GOV.UK Frontend's conditional reveal sets aria-expanded on the radio or checkbox that reveals
# more questions. ARIA 1.2 does not list the attribute for those roles, so axe objects; GOV.UK
# keeps it on purpose because screen readers announce it (alphagov/govuk-frontend#979, listed
# by GOV.UK as a known axe result). That one attribute on those inputs is the only exception.
CONDITIONAL_REVEAL = re.compile(r'^<input class="govuk-(radios|checkboxes)__input"[^>]* aria-controls="[^"]+"')


def known_exception(rule: str, node: dict) -> bool:
    problems = [line.strip() for line in (node["summary"] or "").splitlines()[1:] if line.strip()]
    return (
        rule == "aria-allowed-attr"
        and CONDITIONAL_REVEAL.match(node["html"]) is not None
        and all(re.fullmatch(r'ARIA attribute is not allowed: aria-expanded="(true|false)"', p) for p in problems)
    )


def without_known_exceptions(violations: list[dict]) -> list[dict]:
    kept = []
    for violation in violations:
        nodes = [node for node in violation["nodes"] if not known_exception(violation["id"], node)]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def axe_report(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            lines.extend(f"       {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


# The page as the user sees it now, for pa11y to load from a file: scripts removed (they ran
# already), a <base> so its styles and images load from the test server.
SNAPSHOT = """(base) => {
  const root = document.documentElement.cloneNode(true);
  root.querySelectorAll("script").forEach((script) => script.remove());
  const tag = document.createElement("base");
  tag.href = base;
  root.querySelector("head").prepend(tag);
  return "<!DOCTYPE html>\\n" + root.outerHTML;
}"""

# HTML_CodeSniffer errors we accept: (code, pattern of the element's HTML, reason). Keep it short;
# every entry needs a reason a reviewer can check. README ("Accessibility checks") lists them too.
PA11Y_ACCEPTED: list[tuple[str, re.Pattern, str]] = [
    (
        "WCAG2AA.Principle1.Guideline1_3.1_3_5.H98",
        re.compile(r'^<input type="email"[^>]* autocomplete="username"'),
        'Sign-in\'s email field says autocomplete="username" so password managers pair it with the password; '
        "HTML allows that token on an email input (axe-core accepts it: dequelabs/axe-core#2896), "
        "HTML_CodeSniffer allows it on text inputs only.",
    ),
]


def pa11y_accepted(issue: dict) -> bool:
    return any(
        issue["code"] == code and pattern.search(issue["context"] or "") for code, pattern, _reason in PA11Y_ACCEPTED
    )


class Pa11y:
    """One node process running pa11y (tests/e2e/pa11y_runner.mjs) for the whole test run."""

    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="pa11y-"))

    def start(self) -> None:
        env = {
            **os.environ,
            "PUPPETEER_SKIP_DOWNLOAD": "1",
            "PA11Y_CHROMIUM": CHROMIUM,
            "PA11Y_CHROMIUM_ARGS": json.dumps(CHROMIUM_ARGS),
        }
        self.process = subprocess.Popen(
            ["node", str(PA11Y_RUNNER)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        atexit.register(self.stop)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def errors(self, html: str) -> list[dict]:
        """HTML_CodeSniffer's WCAG2AA errors on this page, less the accepted ones."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        page = self.folder / "page.html"
        page.write_text(html, encoding="utf-8")
        self.process.stdin.write(json.dumps({"url": page.as_uri()}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline() or '{"error": "pa11y stopped"}')
        if "error" in answer:
            raise AssertionError(f"pa11y could not check the page: {answer['error']}")
        return [issue for issue in answer["issues"] if issue["type"] == "error" and not pa11y_accepted(issue)]


PA11Y = Pa11y()


def pa11y_report(url: str, issues: list[dict]) -> str:
    lines = [f"pa11y (HTML_CodeSniffer) found {len(issues)} WCAG2AA error(s) on {url}:"]
    for issue in issues:
        lines.append(f"- {issue['code']}: {issue['message']}")
        lines.append(f"    at {issue['selector']}: {issue['context']}")
    return "\n".join(lines)


@dataclass
class Journey:
    """One user's tab. `goto` and `check` after every navigation; `finish` at the end."""

    name: str
    context: BrowserContext
    base_url: str
    page: Page = field(init=False)
    problems: list[str] = field(default_factory=list)
    navigated: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    findings: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)

    def __post_init__(self):
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        self.page.on("framenavigated", self._navigated)

    def _console(self, message) -> None:
        # "Refused to apply inline style ..." in older Chromium, "Applying inline style violates
        # the following Content Security Policy directive ..." in newer.
        if message.text.startswith("Refused to") or "Content Security Policy" in message.text:
            self.problems.append(f"Content-Security-Policy violation on {self.page.url}: {message.text}")

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.navigated.append(frame.url)

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def goto(self, path: str, *, expect_status: int = 200, screenshot: str | None = None):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == expect_status, (
            f"GET {path}: status {response and response.status}, expected {expect_status}"
        )
        self.check(screenshot=screenshot)
        return response

    def check(self, *, screenshot: str | None = None) -> None:
        """The checks every page must pass; run after each navigation."""
        page = self.page
        page.wait_for_load_state("load")
        url = page.url
        assert not self.problems, "\n".join(self.problems)
        if page.evaluate("typeof window.axe") == "undefined":
            page.evaluate(AXE_SOURCE.read_text())
        violations = without_known_exceptions(page.evaluate(AXE_RUN, AXE_TAGS))
        self.finding(not violations, lambda: axe_report(url, violations))
        issues = PA11Y.errors(page.evaluate(SNAPSHOT, self.base_url + "/"))
        self.finding(not issues, lambda: pa11y_report(url, issues))
        self.check_reflow()
        if screenshot:
            self.screenshot(screenshot)
        assert not self.problems, "\n".join(self.problems)
        self.checked.add(url)

    def check_reflow(self) -> None:
        """At 320 CSS pixels the page must not scroll sideways (WCAG 1.4.10)."""
        page = self.page
        viewport = page.viewport_size
        page.set_viewport_size(NARROW)
        try:
            overflow = page.evaluate(OVERFLOW)
        finally:
            page.set_viewport_size(viewport)
        self.finding(
            overflow is None, lambda: f"{page.url} scrolls sideways at 320 pixels wide: {json.dumps(overflow)}"
        )

    def finding(self, ok: bool, message) -> None:
        if ok:
            return
        if KEEP_GOING:
            self.findings.append(message())
        else:
            raise AssertionError(message())

    def screenshot(self, name: str, *, narrow: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{name}.png"
        viewport = self.page.viewport_size
        if narrow:
            self.page.set_viewport_size(NARROW)
        try:
            self.page.screenshot(path=path, full_page=True)
        finally:
            self.page.set_viewport_size(viewport)
        self.screenshots.append(path)
        return path

    def download(self, click) -> tuple[Download, bytes]:
        """Run `click` (which starts a download) and return the download and its bytes."""
        with self.page.expect_download() as info:
            click()
        download = info.value
        assert download.failure() is None, download.failure()
        return download, Path(download.path()).read_bytes()

    def finish(self) -> None:
        """Every page the tab navigated to was checked, and nothing went wrong since."""
        assert not self.problems, "\n".join(self.problems)
        assert not self.findings, "\n\n".join(self.findings)
        unchecked = [url for url in dict.fromkeys(self.navigated) if url not in self.checked and url != "about:blank"]
        assert not unchecked, f"pages visited but never checked: {unchecked}"


def heading(page: Page) -> str:
    return re.sub(r"\s+", " ", page.locator("h1").first.inner_text()).strip()
