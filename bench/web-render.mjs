// Time to first render of the dashboard's run detail (the Samples page: the first page of rows on screen) for a
// 100,000-sample run, in headless Chromium (Debian's chromium, driven by playwright-core). Target: < 2 s.
//
// The run is seeded through Store.writeResults, the runner's own write path (2 models × 2 tasks × 25,000 samples,
// one call and one score each), and served by the dashboard's own server. Each measurement opens the page in a fresh
// browser context (no cached script or data) and times navigation start → first sample row in the DOM (a
// MutationObserver in the page, so no polling delay). "cold" is the first visit after the server started (the run's
// headline metrics not yet cached); the figure reported is the median of the warm visits. The baseline is the same
// page of the same app over a 100-sample run, measured the same way in the same process: the ratio is what 100,000
// samples cost over almost none.
//
// Run after `npm run build` (it imports dist/ and serves dist/web/app): node bench/web-render.mjs [--samples N]
// [--repeat N]. Prints one JSON line.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { Store } from "../dist/store/store.js";
import { startWebServer } from "../dist/web/server.js";

const { values: args } = parseArgs({
  options: {
    samples: { type: "string", default: "100000" },
    repeat: { type: "string", default: "5" },
    chromium: { type: "string", default: process.env.CHROMIUM ?? "/usr/bin/chromium" },
  },
});
const SAMPLES = Number(args.samples);
const REPEAT = Number(args.repeat);
const MODELS = ["bench/model-a", "bench/model-b"];
const TASKS = ["qa", "qa-long"];
const BATCH = 5000;

/** A deterministic generator, so that every run of the benchmark seeds the same store. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A completed run of `total` samples, spread over MODELS × TASKS. */
async function seed(dbPath, runId, total) {
  const store = await Store.open(dbPath);
  const perGroup = Math.ceil(total / (MODELS.length * TASKS.length));
  const spec = {
    configFile: null,
    baseDir: ".",
    models: MODELS.map((m) => ({ label: m, ref: m, settings: {} })),
    tasks: TASKS.map((t) => ({ name: t, data: `${t}.jsonl`, prompt: "{{question}}", target: "{{answer}}" })),
    providers: {},
    defaults: {},
    epochs: 1,
    concurrency: 8,
    maxErrors: 1000,
    currency: "USD",
    prices: [],
  };
  await store.createRun({ id: runId, toolVersion: "bench", spec, totalItems: perGroup * MODELS.length * TASKS.length });
  const random = rng(7);
  const started = new Date("2025-06-01T00:00:00Z").getTime();
  let batch = [];
  let written = 0;
  for (const model of MODELS) {
    for (const task of TASKS) {
      for (let i = 0; i < perGroup; i++) {
        const right = random() < (model.endsWith("a") ? 0.8 : 0.7);
        const answer = right ? `${i % 97}` : `${(i + 1) % 97}`;
        const output = `Let me work through question ${i} step by step. ${"Reasoning goes here. ".repeat(1 + (i % 8))}The answer is ${answer}.`;
        const latencyMs = 200 + Math.round(random() * 800);
        const ttftMs = 40 + Math.round(random() * 200);
        const outputTokens = 20 + (i % 200);
        const hash = `${model}-${task}-${i}`;
        batch.push({
          runId,
          itemKey: `${model}|${task}|s${i}|1`,
          model,
          task,
          sampleId: `s${i}`,
          epoch: 1,
          messages: [{ role: "user", content: `Question ${i}: what is ${i} modulo 97?` }],
          target: `${i % 97}`,
          requestHash: hash,
          attempts: [
            {
              attemptNo: 1,
              provider: model.split("/")[0],
              model: model.split("/")[1],
              requestHash: hash,
              startedAt: new Date(started + written * 50).toISOString(),
              ok: true,
              errorClass: null,
              errorMessage: null,
              httpStatus: 200,
              output,
              reasoning: null,
              finishReason: "stop",
              reportedModel: null,
              usage: { inputTokens: 30, cachedInputTokens: null, outputTokens, reasoningTokens: null },
              rawUsage: null,
              timing: {
                latencyMs,
                ttftMs,
                ttfatMs: ttftMs,
                outputTokensPerSecond: (outputTokens - 1) / ((latencyMs - ttftMs) / 1000),
              },
            },
          ],
          ok: true,
          errorClass: null,
          errorMessage: null,
          cachedFrom: null,
          scores: [{ scorer: "exact", value: right ? 1 : 0, answer }],
        });
        written++;
        if (batch.length === BATCH) {
          await store.writeResults(batch);
          batch = [];
        }
      }
    }
  }
  if (batch.length > 0) await store.writeResults(batch);
  await store.setRunStatus(runId, "completed");
  await store.close();
  return written;
}

/** Navigation start → first sample row in the DOM, in a fresh browser context (nothing cached). */
async function firstRender(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector("[data-testid=sample-row]")) {
        window.__firstRowAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__firstRowAt !== undefined, null, { timeout: 60_000 });
  const ms = await page.evaluate(() => window.__firstRowAt);
  const rows = await page.locator("[data-testid=sample-row]").count();
  // The next page: a keyset page of the server, so as fast at row 50 as at row 99,950.
  const range = page.getByTestId("range");
  const before = await range.textContent();
  const t0 = Date.now();
  await page.getByRole("button", { name: "Next ›" }).click();
  await page.waitForFunction((b) => document.querySelector("[data-testid=range]")?.textContent !== b, before);
  const nextMs = Date.now() - t0;
  await context.close();
  return { ms, rows, nextMs };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measure(browser, samples) {
  const dir = mkdtempSync(join(tmpdir(), "arbiter-web-bench-"));
  try {
    const dbPath = join(dir, "arbiter.db");
    const runId = `bench-${samples}`;
    const t0 = Date.now();
    const seeded = await seed(dbPath, runId, samples);
    const seedSeconds = (Date.now() - t0) / 1000;
    const web = await startWebServer({ dbPath, port: 0 });
    try {
      const url = `${web.url}/runs/${runId}/samples`;
      const cold = await firstRender(browser, url);
      const warm = [];
      for (let r = 0; r < REPEAT; r++) warm.push(await firstRender(browser, url));
      if (warm.some((w) => w.rows !== 50)) throw new Error(`expected a first page of 50 rows, got ${warm[0]?.rows}`);
      return {
        samples: seeded,
        seedSeconds,
        coldMs: cold.ms,
        medianMs: median(warm.map((w) => w.ms)),
        nextPageMs: median(warm.map((w) => w.nextMs)),
      };
    } finally {
      await web.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const browser = await chromium.launch({
  executablePath: args.chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
try {
  const baseline = await measure(browser, 100);
  const big = await measure(browser, SAMPLES);
  const round = (v) => Math.round(v * 10) / 10;
  console.log(
    JSON.stringify({
      benchmark: "web.runDetailFirstRender",
      runDetailFirstRenderMs: round(big.medianMs),
      coldServerFirstRenderMs: round(big.coldMs),
      nextPageMs: round(big.nextPageMs),
      samples: big.samples,
      baselineMs: round(baseline.medianMs),
      baselineSamples: baseline.samples,
      ratio: Math.round((big.medianMs / baseline.medianMs) * 100) / 100,
      repeat: REPEAT,
      seedSeconds: round(big.seedSeconds),
      targetMs: 2000,
    }),
  );
} finally {
  await browser.close();
}
