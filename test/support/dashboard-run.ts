/**
 * A real run for the dashboard and report tests: two models on two tasks through the protocol test server, answering
 * differently (model A right more often, dearer and slower; model B cheaper and faster, wrong more often, with one
 * failed call), and some of model A's answers are hostile markup or script links, which every view must show as
 * text.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.js";
import { DEFAULT_CATALOG_DIR } from "../../src/pricing/catalog.js";
import { specFromConfig } from "../../src/runner/prepare.js";
import { startRun } from "../../src/runner/session.js";
import { Store } from "../../src/store/store.js";
import { type IncomingChatRequest, type ProtocolServer, type Reply, startProtocolServer } from "./protocol-server.js";
import { FAST_RETRY, workspace } from "./run-fixture.js";

export const SAMPLES = 60;
export const MODEL_A = "fake/model-a";
export const MODEL_B = "fakeclaude/model-b";

/** The hostile answers, by sample number: each must reach the page as literal text. */
export const HOSTILE: Record<number, string> = {
  3: "<script>window.__xss=1</script>",
  4: '<img src=x onerror="window.__xss=1">',
  5: "[click](javascript:window.__xss=1) or javascript:window.__xss=1",
  6: '<a href="javascript:window.__xss=1">link</a><svg onload="window.__xss=1"></svg>',
};

/** Sample numbers model B gets wrong; model A gets these and the hostile ones wrong, which B gets right. */
export const B_WRONG: ReadonlySet<number> = new Set([1, 2, 7, 8, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59]);
export const A_WRONG: ReadonlySet<number> = new Set([9, 18]);
/** Model B's call for this sample fails (HTTP 400, not retried). */
export const B_FAILS = 10;

function reply(req: IncomingChatRequest): Reply {
  const q = req.messages.at(-1)?.content ?? "";
  const i = Number(/q(\d+)/.exec(q)?.[1] ?? -1);
  const right = `a${i}`;
  const isA = req.model === "model-a";
  if (HOSTILE[i] !== undefined) return isA ? { text: HOSTILE[i], latencyMs: 30 } : { text: right, latencyMs: 8 };
  if (isA) return { text: A_WRONG.has(i) ? `not sure, maybe b${i}` : right, latencyMs: 25 + (i % 5) * 4 };
  if (i === B_FAILS) return { fault: { kind: "status", status: 400 } };
  return { text: B_WRONG.has(i) ? `b${i}` : right, latencyMs: 5 + (i % 3) * 2 };
}

export interface DashboardRun {
  server: ProtocolServer;
  dir: string;
  dbPath: string;
  runId: string;
  close(): Promise<void>;
}

/**
 * Published claims about model A on task qa, one per verdict the Claims page gives (published number inside,
 * above and below the measured interval), and one whose source is a javascript: URL that must never become a link.
 */
export const TEST_CLAIMS = [
  { id: "test:inside", score: 92, source_url: "https://example.com/model-a" },
  { id: "test:above", score: 99, source_url: "https://example.com/model-a-above" },
  { id: "test:below", score: 70, source_url: "javascript:window.__xss=1" },
] as const;

/**
 * The bundled catalog copied under `dir` with TEST_CLAIMS added to its claims file: the run's fake models are not
 * in the real catalog's claims.
 */
export function catalogWithTestClaims(dir: string): string {
  const target = join(dir, "catalog");
  cpSync(DEFAULT_CATALOG_DIR, target, { recursive: true });
  const file = join(target, "claims.json");
  const doc = JSON.parse(readFileSync(file, "utf8")) as { claims: Record<string, unknown>[] };
  for (const c of TEST_CLAIMS) {
    doc.claims.push({
      id: c.id,
      claimant: "Test vendor",
      model: "Model A",
      modelId: null,
      modelKind: "chat",
      apiModels: [MODEL_A],
      benchmark: "QA",
      task: "qa",
      metric: "EM",
      scale: "percent",
      setting: "0-shot",
      category: "Knowledge",
      score: c.score,
      markedBest: null,
      relation: null,
      numericValuesAvailable: true,
      comparedAgainst: [],
      date: "2026-01-01",
      verified: false,
      source_url: c.source_url,
      source_quote: `| QA | ${c.score} |`,
      notes: "test claim",
      derivedFrom: [c.id],
      normalization: [],
    });
  }
  writeFileSync(file, JSON.stringify(doc));
  return target;
}

/** Runs 2 models × 2 tasks × SAMPLES samples for real and returns the store it wrote. */
export async function dashboardRun(): Promise<DashboardRun> {
  const server = await startProtocolServer({ respond: reply });
  const { dir } = workspace(SAMPLES);
  const config = `
currency: USD
providers:
  fake:
    type: openai-compatible
    baseURL: ${server.url}/v1
    apiKeyEnv: FAKE_API_KEY
    maxRetries: 1
  fakeclaude:
    type: anthropic
    baseURL: ${server.url}
    apiKeyEnv: FAKE_API_KEY
    maxRetries: 1
models:
  - ${MODEL_A}
  - ${MODEL_B}
prices:
  - { provider: fake, model: model-a, currency: USD, input: 3, output: 15 }
  - { provider: fakeclaude, model: model-b, currency: USD, input: 0.25, cachedInput: 0.025, output: 1.25 }
tasks:
  - name: qa
    data: qa.jsonl
    prompt: "{{question}}"
    target: "{{answer}}"
    scorer: exact
  - name: qa-includes
    data: qa.jsonl
    system: Answer briefly.
    prompt: "{{question}}"
    target: "{{answer}}"
    scorer: includes
`;
  const file = join(dir, "arbiter.yaml");
  writeFileSync(file, config);
  const spec = specFromConfig(parseConfig(config, file), { maxErrors: 1000 });
  const dbPath = join(dir, "arbiter.db");
  const store = await Store.open(dbPath);
  let runId: string;
  try {
    const result = await startRun(spec, {
      store,
      env: { FAKE_API_KEY: "sk-fake-key-1234567890" },
      retry: FAST_RETRY,
    });
    runId = result.runId;
  } finally {
    await store.close();
  }
  return { server, dir, dbPath, runId, close: () => server.close() };
}
