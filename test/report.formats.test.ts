/**
 * `arbiter report RUN --html --md --junit` over a store written by a real run (test/support/dashboard-run.ts): the
 * HTML is one self-contained file that loads nothing, runs nothing and shows model output as text (checked in a real
 * headless Chromium, screenshot in /tmp/arbiter-screens/report-html.png); the Markdown carries the leaderboard and
 * the head-to-head for a pull request; the JUnit XML is well-formed and counts what the run did.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml, formatScore, formatScoreCi } from "../src/report/formatting.js";
import { headToHead } from "../src/report/head-to-head.js";
import { escapeXml } from "../src/report/junit.js";
import { escapeMarkdown } from "../src/report/markdown.js";
import { RunData } from "../src/report/run-data.js";
import { wilsonInterval } from "../src/stats/proportion.js";
import { Store } from "../src/store/store.js";
import { runCli } from "./support/cli.js";
import {
  A_WRONG,
  B_FAILS,
  B_WRONG,
  type DashboardRun,
  dashboardRun,
  HOSTILE,
  MODEL_A,
  MODEL_B,
  SAMPLES,
} from "./support/dashboard-run.js";

const SCREENS = "/tmp/arbiter-screens";
const TASKS = ["qa", "qa-includes"];
const A_RIGHT = SAMPLES - A_WRONG.size - Object.keys(HOSTILE).length;
const B_SCORED = SAMPLES - 1;
const B_RIGHT = B_SCORED - B_WRONG.size;

/** The part of the DOM the XML checks use: they run in Chromium, and this project's TypeScript has no DOM library. */
interface XmlElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): XmlElement | null;
  querySelectorAll(selector: string): XmlElement[];
}
type XmlParser = new () => {
  parseFromString(text: string, type: string): XmlElement & { documentElement: XmlElement };
};

let run: DashboardRun;
let html: string;
let md: string;
let xml: string;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  run = await dashboardRun();
  const out = (name: string) => join(run.dir, name);
  const result = await runCli(
    ["report", run.runId, "--db", run.dbPath, "--html", out("r.html"), "--md", out("r.md"), "--junit", out("r.xml")],
    { cwd: run.dir },
  );
  expect(result.stderr).toBe(`wrote ${out("r.html")}\nwrote ${out("r.md")}\nwrote ${out("r.xml")}\n`);
  expect(result.code).toBe(0);
  html = readFileSync(out("r.html"), "utf8");
  md = readFileSync(out("r.md"), "utf8");
  xml = readFileSync(out("r.xml"), "utf8");
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await run?.close();
});

/** The head-to-head as `arbiter compare` computes it. */
async function engineComparison() {
  const store = await Store.open(run.dbPath);
  const data = RunData.open(run.dbPath);
  try {
    return headToHead(data, run.runId, MODEL_A, MODEL_B, await store.headlineMetrics(run.runId));
  } finally {
    data.close();
    await store.close();
  }
}

describe("arbiter report --html", () => {
  it("is one file that refers to nothing outside itself and carries no script", () => {
    // url(#…) is an SVG clip path of the page itself; any other url( would load something.
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|@import|url\((?!#)/i);
    // SVG ids (clip paths) are unique across the inlined charts, or one chart would clip by another's.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // No event handler on any element (model output with "onerror=" is text between tags, escaped).
    const tags = [...html.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    // Every link is to a section of the page itself.
    for (const [, target] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(target).toMatch(/^#/);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    );
  });

  it("has the leaderboard, a cost and a latency chart per task and pooled, and the head-to-head", async () => {
    expect(html).toContain(escapeHtml(formatScoreCi(A_RIGHT / SAMPLES, wilsonInterval(A_RIGHT, SAMPLES), true)));
    expect(html).toContain(escapeHtml(formatScoreCi(B_RIGHT / B_SCORED, wilsonInterval(B_RIGHT, B_SCORED), true)));
    // Two tasks on a 0–1 scale: each alone and both pooled, each with a cost and a latency chart.
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(2 * (TASKS.length + 1));
    for (const svg of svgs) {
      expect(svg).toContain(escapeHtml(MODEL_A));
      expect(svg).toContain(escapeHtml(MODEL_B));
      expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(5);
    }
    expect(svgs.filter((s) => s.includes("(log scale)"))).toHaveLength(TASKS.length + 1);
    const comparison = await engineComparison();
    for (const t of comparison.comparison.tasks) {
      expect(html).toContain(`<td>${t.task}</td><td class="num">${t.n}</td>`);
      expect(html).toContain(`<td>${escapeHtml(t.verdict)}</td>`);
    }
  });

  it("shows model output as escaped text, in a browser that loads nothing and runs nothing", async () => {
    // Model A's hostile answers where B is right are among the samples shown for the pair.
    expect(html).toContain(escapeHtml(HOSTILE[3]));
    expect(html).toContain(escapeHtml(HOSTILE[4]));
    for (const h of Object.values(HOSTILE)) expect(html).not.toContain(h);

    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    const file = join(run.dir, "r.html");
    await page.goto(`file://${file}`);
    await page.locator("details summary").first().click();
    const outputs = await page.locator(".example pre").allTextContents();
    expect(outputs).toContain(HOSTILE[3]);
    expect(outputs).toContain(HOSTILE[4]);
    expect(await page.evaluate("window.__xss")).toBeUndefined();
    expect(await page.locator("body script, body img, body iframe, a[href^='javascript:' i]").count()).toBe(0);
    expect(await page.locator("figure svg").count()).toBe(2 * (TASKS.length + 1));
    expect(requests).toEqual([`file://${file}`]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SCREENS}/report-html.png`, fullPage: true });
    await page.close();
  });
});

describe("arbiter report --md", () => {
  it("is a leaderboard, the cost/quality frontier and the head-to-head as GitHub tables", async () => {
    const lines = md.split("\n");
    expect(lines[0]).toBe(`## Arbiter run \`${run.runId}\``);
    const row = (model: string, task: string) =>
      lines.find((l) => l.startsWith(`| ${escapeMarkdown(model)} | ${escapeMarkdown(task)} | `)) ?? "";
    for (const task of TASKS) {
      expect(row(MODEL_A, task)).toContain(
        escapeMarkdown(formatScoreCi(A_RIGHT / SAMPLES, wilsonInterval(A_RIGHT, SAMPLES), true)),
      );
      expect(row(MODEL_B, task)).toContain(
        escapeMarkdown(formatScoreCi(B_RIGHT / B_SCORED, wilsonInterval(B_RIGHT, B_SCORED), true)),
      );
      // Model B's failed call is its one error on each task.
      expect(row(MODEL_B, task).split(" | ")[4]).toBe("1");
    }
    // Every table row has as many cells as its header.
    for (const table of md.split(/\n\n/).filter((b) => b.startsWith("|"))) {
      const rows = table.split("\n").filter((l) => l.startsWith("|"));
      const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
      for (const r of rows) expect(cells(r)).toBe(cells(rows[0] as string));
    }
    const comparison = await engineComparison();
    for (const t of comparison.comparison.tasks) {
      const line = lines.find((l) => l.startsWith(`| ${escapeMarkdown(t.task)} | ${t.n} | `)) ?? "";
      expect(line).toContain(
        `| ${escapeMarkdown(formatScore(t.meanA, true))} | ${escapeMarkdown(formatScore(t.meanB, true))} |`,
      );
      expect(line).toContain(`| ${escapeMarkdown(t.verdict)} |`);
    }
    expect(md).not.toMatch(/<[a-z]/i);
  });

  it("escapes what would break a table or become markup, links, math or mentions", () => {
    const cell = escapeMarkdown('a|b <img src=x onerror="x"> [l](javascript:x) $x$ @team `c`\nnext');
    expect(cell).not.toMatch(/(?<!\\)[|[\]()`$]|<|@|\n/);
    expect(cell).toContain("&lt;img");
  });
});

describe("arbiter report --junit", () => {
  it("is well-formed XML with a suite per model × task and a case per sample", async () => {
    const page = await browser.newPage();
    const parsed = await page.evaluate((text) => {
      const Parser = (globalThis as unknown as { DOMParser: XmlParser }).DOMParser;
      const doc = new Parser().parseFromString(text, "application/xml");
      if (doc.querySelector("parsererror")) return null;
      const num = (e: XmlElement, a: string) => Number(e.getAttribute(a));
      const root = doc.documentElement;
      return {
        root: root.tagName,
        totals: [num(root, "tests"), num(root, "failures"), num(root, "errors")],
        suites: [...doc.querySelectorAll("testsuite")].map((s) => ({
          name: s.getAttribute("name"),
          counts: [num(s, "tests"), num(s, "failures"), num(s, "errors")],
          cases: s.querySelectorAll("testcase").length,
          failures: s.querySelectorAll("testcase > failure").length,
          errors: [...s.querySelectorAll("testcase > error")].map((e) => e.getAttribute("type")),
          texts: [...s.querySelectorAll("failure")].map((f) => f.textContent ?? ""),
        })),
      };
    }, xml);
    await page.close();
    expect(parsed).not.toBeNull();
    if (!parsed) return;
    expect(parsed.root).toBe("testsuites");
    const aWrong = SAMPLES - A_RIGHT;
    const bWrong = B_WRONG.size;
    expect(parsed.totals).toEqual([4 * SAMPLES, TASKS.length * (aWrong + bWrong), TASKS.length]);
    expect(parsed.suites.map((s) => s.name)).toEqual([
      ...TASKS.map((t) => `${MODEL_A} × ${t}`),
      ...TASKS.map((t) => `${MODEL_B} × ${t}`),
    ]);
    for (const s of parsed.suites) {
      const isA = s.name?.startsWith(MODEL_A);
      expect(s.counts).toEqual([SAMPLES, isA ? aWrong : bWrong, isA ? 0 : 1]);
      expect(s.cases).toBe(SAMPLES);
      expect(s.failures).toBe(isA ? aWrong : bWrong);
      expect(s.errors).toEqual(isA ? [] : ["bad_request"]);
    }
    // A failure shows the target, the extracted answer and the output, whatever the output holds.
    const aQa = parsed.suites[0]?.texts ?? [];
    for (const h of Object.values(HOSTILE)) expect(aQa.some((t) => t.endsWith(`output: ${h}`))).toBe(true);
    expect(xml).toContain(`name="s${B_FAILS}"`);
  });

  it("replaces characters XML cannot carry, so any output gives a well-formed file", async () => {
    const nasty = "bell\u0007 nul\u0000 lone\uD800 ok\u{1F600} <&>\"'";
    const text = `<r a="${escapeXml(nasty)}">${escapeXml(nasty)}</r>`;
    const page = await browser.newPage();
    const parsed = await page.evaluate((t) => {
      const Parser = (globalThis as unknown as { DOMParser: XmlParser }).DOMParser;
      const doc = new Parser().parseFromString(t, "application/xml");
      return doc.querySelector("parsererror")
        ? null
        : [doc.documentElement.textContent, doc.documentElement.getAttribute("a")];
    }, text);
    await page.close();
    const expected = "bell\uFFFD nul\uFFFD lone\uFFFD ok\u{1F600} <&>\"'";
    expect(parsed).toEqual([expected, expected]);
  });
});

describe("arbiter report: mistakes", () => {
  it("names an unknown run, and asks what to write when no format is given", async () => {
    const missing = await runCli(["report", "no-such-run", "--db", run.dbPath, "--md", "-"], { cwd: run.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run "no-such-run" in the store (see: arbiter runs)');
    const none = await runCli(["report", run.runId, "--db", run.dbPath], { cwd: run.dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("say what to write: --html FILE, --md FILE and/or --junit FILE (- for stdout)");
  });
});
