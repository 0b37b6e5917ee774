/**
 * The dashboard end to end in a real headless Chromium, over a store written by a real run against the protocol
 * test server (test/support/dashboard-run.ts): every page loads, charts draw, sorting, filtering and paging work,
 * and hostile model output (script tags, event handlers, javascript: links) shows as text and never runs.
 * Screenshots of every page go to /tmp/arbiter-screens/.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClaimResult, evaluateClaims } from "../src/claims/evaluate.js";
import { gatherEvidence } from "../src/claims/evidence.js";
import { parseClaimsFile } from "../src/claims/file.js";
import { catalogFor } from "../src/cli/report.js";
import { loadCatalog } from "../src/pricing/catalog.js";
import { formatDifference, formatMoney, formatScore, formatScoreCi } from "../src/report/formatting.js";
import { headToHead } from "../src/report/head-to-head.js";
import { RunData } from "../src/report/run-data.js";
import type { RunSpec } from "../src/runner/spec.js";
import { wilsonInterval } from "../src/stats/proportion.js";
import { Store } from "../src/store/store.js";
import type { ClaimsCheckResponse } from "../src/web/api-types.js";
import { DEFAULT_ASSETS_DIR } from "../src/web/assets.js";
import { priceModels } from "../src/web/queries/prices.js";
import { startWebServer, type WebServer } from "../src/web/server.js";
import {
  A_WRONG,
  B_FAILS,
  B_WRONG,
  catalogWithTestClaims,
  type DashboardRun,
  dashboardRun,
  HOSTILE,
  MODEL_A,
  MODEL_B,
  SAMPLES,
  TEST_CLAIMS,
} from "./support/dashboard-run.js";

// What the run's answers add up to, per task (see dashboard-run.ts).
const N_HOSTILE = Object.keys(HOSTILE).length;
const A_RIGHT = SAMPLES - A_WRONG.size - N_HOSTILE;
/** Model B's failed call has no score. */
const B_SCORED = SAMPLES - 1;
const B_RIGHT = B_SCORED - B_WRONG.size;
/** Paired samples where A is right and B wrong or failed, and the other way round. */
const A_BETTER = B_WRONG.size + 1;
const B_BETTER = A_WRONG.size + N_HOSTILE;
const SAME = SAMPLES - A_BETTER - B_BETTER;

const SCREENS = "/tmp/arbiter-screens";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

let run: DashboardRun;
let web: WebServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The web app's sources: the app itself and the pure modules it shares with the server. */
function newestSource(): number {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const files = [
    ...readdirSync(join(root, "web"), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name)),
    join(root, "src/report/chart-options.ts"),
    join(root, "src/report/formatting.ts"),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/** Builds the web app when dist/web/app is missing or older than its sources (CI builds it with npm run build). */
async function ensureAssets(): Promise<void> {
  const index = join(DEFAULT_ASSETS_DIR, "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource()) return;
  const { build } = await import("vite");
  await build({ configFile: fileURLToPath(new URL("../web/vite.config.ts", import.meta.url)), logLevel: "warn" });
}

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  await ensureAssets();
  run = await dashboardRun();
  web = await startWebServer({ dbPath: run.dbPath, port: 0, catalogDir: catalogWithTestClaims(run.dir) });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(m.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await run?.close();
});

const runUrl = (tab = "", query = "") => `${web.url}/runs/${run.runId}${tab ? `/${tab}` : ""}${query}`;

async function shoot(name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage });
}

/** Nothing injected ran, and the page threw nothing. */
async function expectClean(): Promise<void> {
  expect(await page.evaluate("window.__xss")).toBeUndefined();
  expect(await page.locator("main script, main img, main iframe, main svg[onload]").count()).toBe(0);
  expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
  expect(pageErrors).toEqual([]);
}

/** A chart drew: an SVG with shapes, and text naming `words`. */
async function expectChart(label: string, words: string[] = []): Promise<void> {
  const svg = page.locator(`[data-chart="${label}"] svg`);
  await svg.first().waitFor();
  expect(await svg.locator("path").count()).toBeGreaterThan(3);
  const text = await svg.first().textContent();
  for (const w of words) expect(text).toContain(w);
}

function storeTotals(model: string, task: string): { input: number; output: number } {
  const db = new SQLite(run.dbPath, { readonly: true });
  try {
    const r = db
      .prepare(
        `SELECT SUM(a.input_tokens) AS input, SUM(a.output_tokens) AS output
         FROM attempts a JOIN samples s ON s.run_id = a.run_id AND s.item_key = a.item_key
         WHERE s.run_id = ? AND s.model = ? AND s.task = ? AND a.status = 'ok'`,
      )
      .get(run.runId, model, task) as { input: number; output: number };
    return r;
  } finally {
    db.close();
  }
}

describe("arbiter view in a browser", () => {
  it("lists runs and opens one", async () => {
    await page.goto(`${web.url}/`);
    const link = page.getByRole("link", { name: run.runId });
    await link.waitFor();
    await shoot("runs");
    await link.click();
    await page.waitForURL(runUrl());
    await page.locator("table[aria-label=leaderboard] tbody tr").first().waitFor();
    await expectClean();
  });

  it("leaderboard: Wilson intervals, costs from the run's prices, sortable columns", async () => {
    await page.goto(runUrl());
    const rows = page.locator("table[aria-label=leaderboard] tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(4);
    await shoot("leaderboard");
    // The counts below add up only if the models' wrong answers fall on different samples.
    const aLoses = new Set([...A_WRONG, ...Object.keys(HOSTILE).map(Number)]);
    expect([...B_WRONG, B_FAILS].filter((i) => aLoses.has(i))).toEqual([]);
    // Model A is wrong on the hostile samples and A_WRONG; B's failed call has no score, and it is wrong on B_WRONG.
    const text = await page.locator("table[aria-label=leaderboard]").textContent();
    expect(text).toContain(formatScoreCi(A_RIGHT / SAMPLES, wilsonInterval(A_RIGHT, SAMPLES), true));
    expect(text).toContain(formatScoreCi(B_RIGHT / B_SCORED, wilsonInterval(B_RIGHT, B_SCORED), true));
    // Cost: the run's own prices (config prices:) applied to the stored token counts.
    const t = storeTotals(MODEL_A, "qa");
    const cost = (t.input * 3 + t.output * 15) / 1e6;
    const rowA = rows
      .filter({ has: page.locator("td:nth-child(1)", { hasText: MODEL_A }) })
      .filter({ has: page.locator("td:nth-child(2)", { hasText: /^qa$/ }) });
    expect(await rowA.locator("td:nth-child(6)").textContent()).toBe(formatMoney(cost, "USD"));

    // Sorting: cost ascending puts model B (cheaper) first, descending model A.
    await page.locator('button[data-column="cost"]').click();
    await expect.poll(() => page.locator('th[aria-sort="descending"] button[data-column="cost"]').count()).toBe(1);
    expect(await rows.first().locator("td").first().textContent()).toBe(MODEL_A);
    await page.locator('button[data-column="cost"]').click();
    await expect.poll(() => page.locator('th[aria-sort="ascending"] button[data-column="cost"]').count()).toBe(1);
    expect(await rows.first().locator("td").first().textContent()).toBe(MODEL_B);
    await page.locator('button[data-column="model"]').click();
    const models = await rows.locator("td:first-child").allTextContents();
    expect(models).toEqual([...models].sort());
    await expectClean();
  });

  it("pareto: both charts draw, with the frontier, for a task and for all tasks pooled", async () => {
    await page.goto(runUrl("pareto"));
    await expectChart("score vs cost", [MODEL_A, MODEL_B]);
    await expectChart("score vs latency", [MODEL_A, MODEL_B]);
    // Model A is dearer and better, B cheaper and worse: both are on the frontier.
    const table = page.locator("table[aria-label='pareto points']");
    expect(await table.locator("tr", { hasText: "on the frontier" }).count()).toBe(2);
    await shoot("pareto");
    await page.locator("select[aria-label=task]").selectOption("*");
    await page.waitForURL(/task=\*/);
    // Pooled: both tasks' answers of model A, each task's samples counted apart.
    await expect
      .poll(async () => (await table.textContent()) ?? "")
      .toContain(formatScoreCi(A_RIGHT / SAMPLES, wilsonInterval(2 * A_RIGHT, 2 * SAMPLES), true));
    await expectChart("score vs cost", [MODEL_A]);
    await expectClean();
  });

  it("head-to-head: paired statistics, outcome filters with counts, side-by-side answers, paging", async () => {
    await page.goto(runUrl("compare"));
    const stats = page.locator("table[aria-label='paired statistics']");
    await stats.locator("tbody tr").first().waitFor();
    expect(await stats.locator("tbody tr").count()).toBe(2);
    // The engine's paired statistics, as `arbiter compare` computes them, on every task's row.
    const store = await Store.open(run.dbPath);
    const data = RunData.open(run.dbPath);
    let expected: ReturnType<typeof headToHead>;
    try {
      expected = headToHead(data, run.runId, MODEL_A, MODEL_B, await store.headlineMetrics(run.runId));
    } finally {
      data.close();
      await store.close();
    }
    for (const t of expected.comparison.tasks) {
      const row = (await stats.locator("tbody tr", { hasText: new RegExp(`^${t.task}\\d`) }).textContent()) ?? "";
      // B's failed call leaves B_SCORED pairs; A is right on all of them but its own wrong and hostile answers.
      expect(row).toContain(formatScore((A_RIGHT - 1) / B_SCORED, true));
      expect(row).toContain(formatScore(B_RIGHT / B_SCORED, true));
      expect(row).toContain(
        `${formatDifference(t.difference, true)} [${formatDifference(t.ci.lower, true)}, ${formatDifference(t.ci.upper, true)}]`,
      );
      expect(row).toContain(t.verdict);
      expect(row).toContain(`${A_BETTER} / ${B_BETTER} / ${SAME}`);
    }
    await page.locator("[data-testid=diff-row]").first().waitFor();
    await shoot("head-to-head", false);
    const range = page.locator("[data-testid=range]");
    // A right, B wrong: B's wrong answers plus its failed call, in each of the two tasks.
    const aBetter = page.locator('button[data-value="a_better"]');
    expect(await aBetter.textContent()).toContain(`(${2 * A_BETTER})`);
    await aBetter.click();
    await page.waitForURL(/filter=a_better/);
    await expect.poll(() => range.textContent()).toBe(`1–20 of ${2 * A_BETTER}`);
    for (const row of await page.locator("[data-testid=diff-row]").all()) {
      expect(await row.locator("[data-side=A] .facts b").textContent()).toBe("1");
      expect(["0", "none"]).toContain(await row.locator("[data-side=B] .facts b").textContent());
    }
    await page.getByRole("button", { name: "Next ›" }).click();
    await expect.poll(() => range.textContent()).toBe(`21–${2 * A_BETTER} of ${2 * A_BETTER}`);
    await page.getByRole("button", { name: "‹ Previous" }).click();
    await expect.poll(() => range.textContent()).toBe(`1–20 of ${2 * A_BETTER}`);
    // The failed call shows as an error beside A's answer.
    await page.locator("select[aria-label=task]").selectOption("qa");
    await expect.poll(() => range.textContent()).toBe(`1–${A_BETTER} of ${A_BETTER}`);
    expect(await page.locator("[data-testid=diff-row]", { hasText: `sample s${B_FAILS}` }).textContent()).toContain(
      "error bad_request",
    );
    // A wrong, B right, across both tasks: model A's hostile answers appear as text beside B's right ones.
    await page.locator("select[aria-label=task]").selectOption("");
    await page.locator('button[data-value="b_better"]').click();
    await page.waitForURL(/filter=b_better/);
    await expect.poll(() => range.textContent()).toBe(`1–${2 * B_BETTER} of ${2 * B_BETTER}`);
    const outputs = await page.locator("[data-testid=diff-row] [data-side=A] pre.output").allTextContents();
    for (const h of Object.values(HOSTILE)) expect(outputs.filter((o) => o === h)).toHaveLength(2);
    await shoot("head-to-head-hostile");
    // Same score: the rest.
    await page.locator('button[data-value="same"]').click();
    await expect.poll(() => range.textContent()).toBe(`1–20 of ${2 * SAME}`);
    await expectClean();
  });

  it("samples: server-side paging, filters by model, task, status and score, search, detail", async () => {
    await page.goto(runUrl("samples"));
    const range = page.locator("[data-testid=range]");
    await expect.poll(() => range.textContent()).toBe("1–50 of 240");
    await shoot("samples", false);
    const firstPage = await page.locator("[data-testid=sample-row]").allTextContents();
    await page.getByRole("button", { name: "Next ›" }).click();
    await expect.poll(() => range.textContent()).toBe("51–100 of 240");
    const secondPage = await page.locator("[data-testid=sample-row]").allTextContents();
    expect(secondPage).toHaveLength(50);
    expect(secondPage.some((r) => firstPage.includes(r))).toBe(false);
    await page.getByRole("button", { name: "‹ Previous" }).click();
    await expect.poll(() => range.textContent()).toBe("1–50 of 240");
    expect(await page.locator("[data-testid=sample-row]").allTextContents()).toEqual(firstPage);

    // Failed calls: model B's one sample, in both tasks.
    await page.locator("select[aria-label=status]").selectOption("error");
    await expect.poll(() => range.textContent()).toBe("1–2 of 2");
    for (const row of await page.locator("[data-testid=sample-row]").all()) {
      expect(await row.textContent()).toContain("error: bad_request");
      expect(await row.textContent()).toContain(MODEL_B);
    }
    // Model A on qa, below full marks: its 2 wrong answers and the 4 hostile ones.
    await page.locator("select[aria-label=status]").selectOption("");
    await page.locator("select[aria-label=model]").selectOption(MODEL_A);
    await page.locator("select[aria-label=task]").selectOption("qa");
    await page.locator("select[aria-label=score]").selectOption("fail");
    const wrong = SAMPLES - A_RIGHT;
    await expect.poll(() => range.textContent()).toBe(`1–${wrong} of ${wrong}`);
    expect(await page.locator("[data-testid=score]").allTextContents()).toEqual(Array(wrong).fill("0"));

    // Search finds the hostile answers, which show as text, also in a sample's detail.
    await page.goto(runUrl("samples", "?q=xss"));
    const found = 2 * Object.keys(HOSTILE).length;
    await expect.poll(() => range.textContent()).toBe(`1–${found} of ${found}`);
    const previews = await page.locator("td.output-preview").allTextContents();
    for (const h of Object.values(HOSTILE)) expect(previews).toContain(h);
    await page.locator("[data-testid=sample-row]", { hasText: HOSTILE[4] }).first().locator("button").click();
    const detail = page.locator(".detail");
    await detail.waitFor();
    expect(await detail.locator("pre.output").textContent()).toBe(HOSTILE[4]);
    await shoot("samples-hostile");
    await expectClean();
  });

  it("speed: box plots and histograms per model", async () => {
    await page.goto(runUrl("speed"));
    await expectChart("Time to first token box plot", [MODEL_A, MODEL_B]);
    await expectChart("Time to first token histogram", [MODEL_A, MODEL_B]);
    await expectChart("Latency box plot");
    const table = page.locator("table[aria-label='Time to first token quantiles']");
    expect(await table.locator("tbody tr").count()).toBe(2);
    await shoot("speed");
    await expectClean();
  });

  it("claims: verdicts on claims about the run, and published numbers beside what it measured", async () => {
    await page.goto(runUrl("claims"));
    // The starter claims are checked as the page opens, as `arbiter claims FILE` would check them.
    const verdicts = page.locator("table[aria-label='claim verdicts'] tbody tr");
    await verdicts.first().waitFor();
    const text = await page.locator("textarea[aria-label=claims]").inputValue();
    const store = await Store.open(run.dbPath);
    let expected: ClaimResult[];
    try {
      const file = parseClaimsFile(text, "claims");
      const catalog = await catalogFor((await store.getRun(run.runId))?.spec as RunSpec);
      expected = evaluateClaims(
        file,
        await gatherEvidence(store, run.runId, file, { catalog, currency: "USD" }),
      ).claims;
    } finally {
      await store.close();
    }
    // The page shows the engine's verdicts; B costs about a tenth of A, so "under half" is supported.
    expect(expected.at(-1)?.verdict).toBe("supported");
    expect(await verdicts.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-verdict")))).toEqual(
      expected.map((r) => r.verdict),
    );
    const count = (v: string) => expected.filter((r) => r.verdict === v).length;
    expect(await page.getByTestId("verdict-counts").textContent()).toContain(
      `${count("supported")} supported · ${count("contradicted")} contradicted · ${count("inconclusive")} inconclusive`,
    );
    // An inconclusive claim says how many samples would settle it.
    for (const [i, r] of expected.entries()) {
      if (r.samplesNeeded) {
        expect(await verdicts.nth(i).textContent()).toContain(
          `About ${r.samplesNeeded.total.toLocaleString("en-US")} paired samples`,
        );
      }
    }
    await shoot("claims", false);

    // A claim about a model the run lacks: the message names the line and the run's models.
    await page.locator("textarea[aria-label=claims]").fill(`claims:\n  - ${MODEL_A} > nobody/else on qa\n`);
    await page.getByRole("button", { name: "Check claims" }).click();
    await expect
      .poll(() => page.locator(".claims-check [role=alert]").textContent())
      .toContain(`claims:2: "${MODEL_A} > nobody/else on qa": model "nobody/else" is not in run ${run.runId}`);
    // The browser logs the refused request: expected here, and the only error.
    expect(pageErrors.splice(0)).toEqual([
      "Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]);

    // Published claims about model A on qa (a test catalog's): each placed against the measured 95% interval.
    const published = page.locator("table[aria-label=claims] tbody tr");
    await expect.poll(() => published.count()).toBe(TEST_CLAIMS.length);
    const where = async (id: string) => {
      const score = String(TEST_CLAIMS.find((c) => c.id === id)?.score);
      const row = published.filter({ has: page.locator("td:nth-child(4)", { hasText: new RegExp(`^${score}$`) }) });
      return (await row.textContent()) ?? "";
    };
    const measured = formatScoreCi(54 / 60, wilsonInterval(54, 60), true).replace("%", "");
    expect(await where("test:inside")).toContain(`${MODEL_A}: ${measured}`);
    expect(await where("test:inside")).toContain("consistent");
    expect(await where("test:above")).toContain("published higher");
    expect(await where("test:below")).toContain("published lower");
    // Only http(s) sources are links; the javascript: one is text.
    const hrefs = await page
      .locator("table[aria-label=claims] a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs).toEqual(["https://example.com/model-a", "https://example.com/model-a-above"]);
    await page.locator("input[aria-label='filter claims']").fill("nothing like this");
    await expect.poll(() => published.count()).toBe(0);
    await expectClean();
  });

  it("prices: the most re-priced models by default, each list's change, in USD and in CNY", async () => {
    const catalog = await loadCatalog();
    // With no model chosen (and none of the run's in the catalog) the page shows the most re-priced ones.
    await page.goto(`${web.url}/prices`);
    await expectChart("price history", ["USD per 1M tokens"]);
    const expected = priceModels(catalog)
      .filter((m) => m.records > 1)
      .slice(0, 5)
      .map((m) => m.ref);
    expect(expected.length).toBeGreaterThan(2);
    const checked = page.locator(".model-list input:checked");
    await expect.poll(() => checked.count()).toBe(expected.length);
    // The cards are the legend: one per list drawn, each naming its model.
    const cards = await page.locator(".price-card-name").allTextContents();
    for (const ref of expected) expect(cards.some((c) => c.startsWith(`${ref} · `))).toBe(true);
    expect(await page.locator("[data-chart='price history'] svg path").count()).toBeGreaterThan(cards.length);
    await shoot("prices");

    // One model: its lists' first and latest output prices, from the catalog's records.
    await page.goto(`${web.url}/prices?model=deepseek/deepseek-chat`);
    await expectChart("price history", ["USD per 1M tokens"]);
    expect(await page.locator("table[aria-label='price records'] tbody tr").count()).toBe(
      catalog.prices.filter((r) => r.provider === "deepseek" && r.model === "deepseek-chat").length,
    );
    const list = (region: string, currency: string) =>
      catalog.prices
        .filter((r) => r.model === "deepseek-chat" && r.region === region && r.currency === currency)
        .sort((x, y) => (x.effectiveFrom ?? "").localeCompare(y.effectiveFrom ?? ""));
    const card = (name: string) => page.locator(".price-card", { hasText: name });
    const intl = list("intl", "USD");
    expect(await card("deepseek/deepseek-chat · intl list (USD)").textContent()).toContain(
      `$${intl[0]?.output} → $${intl.at(-1)?.output}`,
    );
    await shoot("prices-deepseek");
    await page.getByRole("button", { name: "CNY" }).click();
    await page.waitForURL(/currency=CNY/);
    await expectChart("price history", ["CNY per 1M tokens"]);
    const cn = list("cn", "CNY");
    expect(await card("deepseek/deepseek-chat · cn list (CNY)").textContent()).toContain(
      `¥${cn[0]?.output} → ¥${cn.at(-1)?.output}`,
    );
    // The USD list converted at the month's rate is a separate line, marked as converted.
    expect(await card("intl list (USD→CNY)").count()).toBe(1);
    await shoot("prices-cny");
    await expectClean();
  });

  it("the API refuses bad input with a message, and other hosts", async () => {
    const bad = await fetch(`${web.url}/api/runs/${run.runId}/samples?status=maybe`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('status "maybe": expected one of ok, error');
    const cursor = await fetch(`${web.url}/api/runs/${run.runId}/samples?after=bm90LWEtY3Vyc29y`);
    expect(cursor.status).toBe(400);
    const missing = await fetch(`${web.url}/api/runs/no-such-run`);
    expect(missing.status).toBe(404);
    // Claims are checked only from JSON (a form on another site cannot send it), and only a claims file's worth.
    const check = (body: string, type = "application/json") =>
      fetch(`${web.url}/api/runs/${run.runId}/claims/check`, {
        method: "POST",
        headers: { "Content-Type": type },
        body,
      });
    const form = await check(`text=${MODEL_A} > ${MODEL_B} on qa`, "application/x-www-form-urlencoded");
    expect(form.status).toBe(400);
    expect(((await form.json()) as { error: string }).error).toBe('send {"text": "…claims…"} as application/json');
    expect((await check(JSON.stringify({ text: "x".repeat(200_000) }))).status).toBe(413);
    const ok = await check(JSON.stringify({ text: `- ${MODEL_A} > ${MODEL_B} on qa` }));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as ClaimsCheckResponse).report.claims[0]?.canonical).toBe(
      `${MODEL_A} > ${MODEL_B} on qa`,
    );
    const index = await fetch(`${web.url}/runs/${run.runId}`);
    expect(index.headers.get("content-security-policy")).toContain("script-src 'self'");
    // fetch() will not send another Host: a page of another site, resolved to 127.0.0.1, would.
    const rebinding = await new Promise<number>((resolve, reject) => {
      const req = request(`${web.url}/api/runs`, { headers: { Host: "evil.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(rebinding).toBe(403);
  });
});
