import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Budget, parseBudget } from "../src/pricing/budget.js";
import { type Catalog, loadCatalog } from "../src/pricing/catalog.js";
import { costsByGroup } from "../src/pricing/run-costs.js";
import type { Store } from "../src/store/store.js";
import { type ProtocolServer, startProtocolServer } from "./support/protocol-server.js";
import { openTestStore, run, specFor, workspace } from "./support/run-fixture.js";

let server: ProtocolServer;
let catalog: Catalog;
let store: Store | undefined;
const OUTPUT_TOKENS = 50;

beforeAll(async () => {
  catalog = await loadCatalog();
  // Every answer uses its whole max_tokens allowance, with DeepSeek's usage fields: the worst case is nearly the bill.
  const text = Array.from({ length: OUTPUT_TOKENS }, (_, i) => `w${i}`).join(" ");
  server = await startProtocolServer({
    respond: () => ({
      text,
      usage: {
        prompt_tokens: 1,
        completion_tokens: OUTPUT_TOKENS,
        total_tokens: OUTPUT_TOKENS + 1,
        prompt_cache_hit_tokens: 0,
        prompt_cache_miss_tokens: 1,
      },
    }),
  });
});
afterAll(async () => {
  await store?.close();
  await server.close();
});

describe("--max-cost budget", () => {
  it("never spends more than the budget: 1,000 calls at concurrency 64 with room for about 300", async () => {
    const ws = workspace(1000);
    store = await openTestStore(ws.dir);
    const spec = specFor(
      ws.dir,
      `providers:
  deepseek: { baseURL: ${server.url}/v1, apiKeyEnv: FAKE_API_KEY, concurrency: 64 }
models: [deepseek/deepseek-chat]
settings: { maxTokens: ${OUTPUT_TOKENS} }
tasks:
  - { name: qa, data: qa.jsonl, prompt: "{{question}}", target: "{{answer}}", scorer: exact }
`,
    );
    // What one call really costs now, from the catalog: 1 input token and 50 output tokens.
    const probe = costsByGroup(
      [
        {
          group: "x",
          provider: "deepseek",
          model: "deepseek-chat",
          startedAt: new Date().toISOString(),
          usage: {
            inputTokens: 1,
            cachedInputTokens: 0,
            cacheWriteTokens: null,
            outputTokens: OUTPUT_TOKENS,
            reasoningTokens: null,
          },
        },
      ],
      catalog,
      "USD",
    ).get("x");
    const perCall = probe?.total as number;
    expect(perCall).toBeGreaterThan(0);
    const limit = 300 * perCall;
    const budget = new Budget(limit, "USD", catalog);
    const before = server.callCount();
    const result = await run(spec, store, { budget, cache: false });
    const calls = server.callCount() - before;

    expect(result.interrupted).toBe(true);
    expect((await store.getRun(result.runId))?.status).toBe("budget_exhausted");
    expect(budget.spent).toBeLessThanOrEqual(limit);
    expect(budget.reserved).toBeCloseTo(0, 12);
    expect(calls).toBeGreaterThan(150);
    expect(calls).toBeLessThan(1000);
    // The bill recomputed from what the store recorded agrees, and stays within the budget.
    const billed = costsByGroup(store.pricingRows(result.runId), catalog, "USD");
    const total = [...billed.values()].reduce((s, g) => s + (g.total ?? Number.NaN), 0);
    expect([...billed.values()].every((g) => g.unpricedCalls === 0)).toBe(true);
    expect(total).toBeLessThanOrEqual(limit);
    expect(total).toBeCloseTo(budget.spent, 12);
    expect(total).toBeCloseTo(calls * perCall, 9);
  }, 60_000);

  it("parses amounts with a currency", () => {
    expect(parseBudget("0.50", "USD")).toEqual({ amount: 0.5, currency: "USD" });
    expect(parseBudget("3CNY", "USD")).toEqual({ amount: 3, currency: "CNY" });
    expect(parseBudget("¥3", "USD")).toEqual({ amount: 3, currency: "CNY" });
    expect(parseBudget("$0.2", "CNY")).toEqual({ amount: 0.2, currency: "USD" });
    expect(parseBudget("lots", "USD")).toBeNull();
    expect(parseBudget("0", "USD")).toBeNull();
  });
});
