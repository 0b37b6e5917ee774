import { beforeAll, describe, expect, it } from "vitest";
import type { Usage } from "../src/core/types.js";
import { type Catalog, findPrice, loadCatalog } from "../src/pricing/catalog.js";
import { costOfCall } from "../src/pricing/cost.js";
import { convertCost } from "../src/pricing/fx.js";
import { costsByGroup, type PricedCallRow } from "../src/pricing/run-costs.js";

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

const usage = (input: number, cached: number, output: number): Usage => ({
  inputTokens: input,
  cachedInputTokens: cached,
  cacheWriteTokens: null,
  outputTokens: output,
  reasoningTokens: 0,
});

describe("costs of a run, per model × task", () => {
  // Calls on both sides of DeepSeek's promotion end (2025-02-08T16:00:00Z) and inside an off-peak window.
  const rows: PricedCallRow[] = [
    {
      group: "a",
      provider: "deepseek",
      model: "deepseek-chat",
      startedAt: "2025-02-08T15:59:59Z",
      usage: usage(1000, 600, 100),
    },
    {
      group: "a",
      provider: "deepseek",
      model: "deepseek-chat",
      startedAt: "2025-02-08T16:00:00Z",
      usage: usage(1000, 600, 100),
    },
    {
      group: "a",
      provider: "deepseek",
      model: "deepseek-chat",
      startedAt: "2025-03-01T17:00:00Z",
      usage: usage(2000, 0, 300),
    },
    {
      group: "b",
      provider: "deepseek",
      model: "no-such-model",
      startedAt: "2025-03-01T17:00:00Z",
      usage: usage(10, 0, 1),
    },
    { group: "b", provider: "llamacpp", model: "/m/x.gguf", startedAt: "2025-03-01T17:00:00Z", usage: usage(10, 0, 1) },
  ];

  it("prices each call at its own time and sums them in the vendor's currency", () => {
    const expected = rows.slice(0, 3).map((r) => {
      const at = new Date(r.startedAt);
      const price = findPrice(catalog, { provider: r.provider, model: r.model, at, currency: "CNY" });
      expect(price, r.startedAt).not.toBeNull();
      return costOfCall(r.usage, price as NonNullable<typeof price>, at);
    });
    // The promotion's end and the off-peak window change the price: the three bills differ per token.
    expect(new Set(expected.map((c) => c?.priceId)).size).toBeGreaterThan(1);
    expect(expected[2]?.offPeak).toBe(true);
    const costs = costsByGroup(rows, catalog, "CNY");
    const a = costs.get("a");
    expect(a?.pricedCalls).toBe(3);
    expect(a?.unpricedCalls).toBe(0);
    const sum = expected.reduce((s, c) => s + (c?.total ?? Number.NaN), 0);
    expect(a?.total).toBeCloseTo(sum, 12);
  });

  it("converts to the reporting currency at each call's dated rate", () => {
    const usd = costsByGroup(rows.slice(0, 3), catalog, "USD").get("a");
    const expected = rows.slice(0, 3).reduce((s, r) => {
      const at = new Date(r.startedAt);
      const price = findPrice(catalog, { provider: r.provider, model: r.model, at, currency: "USD" });
      const cost = costOfCall(r.usage, price as NonNullable<typeof price>, at);
      const inUsd = cost && (cost.currency === "USD" ? cost : convertCost(cost, "USD", at, catalog.fx));
      return s + (inUsd?.total ?? Number.NaN);
    }, 0);
    expect(usd?.currency).toBe("USD");
    expect(usd?.total).toBeCloseTo(expected, 12);
  });

  it("counts what it cannot price as unknown, naming the model, and prices in-process models at 0", () => {
    const b = costsByGroup(rows, catalog, "USD").get("b");
    expect(b).toMatchObject({ pricedCalls: 1, unpricedCalls: 1, unpricedModels: ["deepseek/no-such-model"], total: 0 });
    const unknownSplit = costsByGroup(
      [{ ...rows[0], usage: { ...usage(1000, 0, 100), cachedInputTokens: null } } as PricedCallRow],
      catalog,
      "USD",
    ).get("a");
    expect(unknownSplit).toMatchObject({ pricedCalls: 0, unpricedCalls: 1, total: null });
  });
});

describe("re-pricing a run", () => {
  it("prices recorded usage at another time and at another model's prices", () => {
    const row: PricedCallRow = {
      group: "g",
      provider: "openai",
      model: "gpt-4o-mini",
      startedAt: "2025-03-01T10:00:00Z",
      usage: usage(1_000_000, 0, 1_000_000),
    };
    // DeepSeek-V2 in May 2024: ¥1 per million input tokens, ¥2 per million output tokens (the start of the price war)
    const may2024 = costsByGroup([row], catalog, "CNY", {
      at: new Date("2024-05-20T00:00:00Z"),
      as: { provider: "deepseek", model: "deepseek-chat" },
    }).get("g");
    expect(may2024?.total).toBeCloseTo(1 + 2, 12);
    expect(may2024?.totalExact).toBe("3");
    // The same usage after the V3 promotion ended, inside the off-peak window: a different bill.
    const later = costsByGroup([row], catalog, "CNY", {
      at: new Date("2025-03-01T17:00:00Z"),
      as: { provider: "deepseek", model: "deepseek-chat" },
    }).get("g");
    expect(later?.total).not.toBeCloseTo(3, 6);
    expect(later?.unpricedCalls).toBe(0);
  });
});
