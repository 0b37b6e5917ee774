import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { Usage } from "../src/core/types.js";
import { findPrice, loadCatalog, mergeOverrides } from "../src/pricing/catalog.js";
import { convert } from "../src/pricing/fx.js";
import { callPricer, costsByGroup, type PricedCallRow, priceCall } from "../src/pricing/run-costs.js";
import type { Store } from "../src/store/store.js";
import { openTestStore, run, specFor, workspace } from "./support/run-fixture.js";

const catalog = await loadCatalog();
const MODEL = fileURLToPath(new URL("../../shared/models/stories260K/stories260K.gguf", import.meta.url));
const AT = new Date("2025-06-10T12:00:00Z");
const usage: Usage = {
  inputTokens: 12,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 30,
  reasoningTokens: 0,
};

/** The machine's price per hour, for every llamacpp model. */
const machine = (perHour: number, currency: "USD" | "CNY" = "USD") =>
  mergeOverrides(catalog, [{ provider: "llamacpp", model: "*", currency, perHour }], "arbiter.yaml");

describe("local models: price per hour of the machine", () => {
  it("costs a known 0 when no price is set (not unknown), whatever the wall time", () => {
    expect(findPrice(catalog, { provider: "llamacpp", model: MODEL, at: AT })).toBeNull();
    expect(priceCall(catalog, "USD", "llamacpp", MODEL, usage, AT, 5_000)).toEqual({ total: 0, exact: "0" });
    expect(priceCall(catalog, "CNY", "llamacpp", MODEL, usage, AT)).toEqual({ total: 0, exact: "0" });
  });

  it("bills price/hour × the attempt's wall time, for any model of the provider (model: *)", () => {
    const priced = machine(0.36);
    // 0.36 per hour for 10 s: 0.36 × 10 / 3600 = 0.001.
    expect(priceCall(priced, "USD", "llamacpp", MODEL, usage, AT, 10_000)).toEqual({ total: 0.001, exact: "0.001" });
    expect(priceCall(priced, "USD", "llamacpp", "/elsewhere/other.gguf", usage, AT, 90 * 60_000)?.total).toBeCloseTo(
      0.54,
      12,
    );
    // Only the provider it names: an API model keeps its own catalog price.
    const api = priceCall(priced, "USD", "openai", "gpt-4o-mini", usage, AT, 10_000);
    expect(api?.total).toBeGreaterThan(0);
    expect(api).toEqual(priceCall(catalog, "USD", "openai", "gpt-4o-mini", usage, AT));
  });

  it("converts the hourly cost to the reporting currency at the call's month rate", () => {
    const priced = machine(7.2, "CNY");
    const inCny = priceCall(priced, "CNY", "llamacpp", MODEL, usage, AT, 60_000);
    expect(inCny?.total).toBeCloseTo(0.12, 12);
    const inUsd = priceCall(priced, "USD", "llamacpp", MODEL, usage, AT, 60_000);
    const expected = convert(0.12, "CNY", "USD", AT, catalog.fx);
    expect(expected).not.toBeNull();
    expect(inUsd?.total).toBeCloseTo(expected?.amount as number, 12);
  });

  it("is unknown (null, not 0) when a price per hour meets an unknown wall time", () => {
    expect(priceCall(machine(1), "USD", "llamacpp", MODEL, usage, AT)).toBeNull();
    expect(priceCall(machine(1), "USD", "llamacpp", MODEL, usage, AT, null)).toBeNull();
  });

  it("a price for the model itself wins over the machine-wide one; rented hardware (vllm) bills wall time too", () => {
    const priced = mergeOverrides(
      catalog,
      [
        { provider: "llamacpp", model: "*", currency: "USD", perHour: 1 },
        { provider: "llamacpp", model: MODEL, currency: "USD", perHour: 2 },
        { provider: "vllm", model: "my-llama", currency: "USD", perHour: 2.4 },
      ],
      "arbiter.yaml",
    );
    expect(priceCall(priced, "USD", "llamacpp", MODEL, usage, AT, 3_600_000)?.total).toBe(2);
    expect(priceCall(priced, "USD", "llamacpp", "/other.gguf", usage, AT, 3_600_000)?.total).toBe(1);
    expect(priceCall(priced, "USD", "vllm", "my-llama", usage, AT, 30 * 60_000)?.total).toBeCloseTo(1.2, 12);
  });

  it("sums each group's attempts by their own wall time (the report's costs)", () => {
    const rows: PricedCallRow[] = [1_000, 2_500, 500].map((latencyMs) => ({
      group: "local",
      provider: "llamacpp",
      model: MODEL,
      startedAt: AT.toISOString(),
      usage,
      latencyMs,
    }));
    const group = costsByGroup(rows, machine(3.6), "USD").get("local");
    // 3.6 per hour is 0.001 per second: 4 s in all.
    expect(group).toMatchObject({ pricedCalls: 3, unpricedCalls: 0, totalExact: "0.004" });
    expect(group?.total).toBeCloseTo(0.004, 15);
  });
});

describe("local models in a run (stories260K through node-llama-cpp)", () => {
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it("the live cost is the machine's price × each call's recorded wall time", async () => {
    const ws = workspace(3);
    const store = await openTestStore(ws.dir);
    stores.push(store);
    const spec = specFor(
      ws.dir,
      `
models: [llamacpp/${MODEL}]
settings: {maxTokens: 8, temperature: 0}
tasks:
  - {name: qa, data: qa.jsonl, prompt: "{{question}}", target: "{{answer}}", scorer: exact}
prices:
  - {provider: llamacpp, model: "*", currency: USD, perHour: 36}
`,
    );
    const priced = mergeOverrides(catalog, spec.prices, "config prices");
    const result = await run(spec, store, { pricer: callPricer(priced, "USD") });
    expect(result.progress).toMatchObject({ done: 3, failed: 0, unpricedCalls: 0 });

    const attempts = await store.db
      .selectFrom("attempts")
      .select(["provider", "model", "started_at", "latency_ms"])
      .where("run_id", "=", result.runId)
      .where("status", "=", "ok")
      .execute();
    expect(attempts).toHaveLength(3);
    const wallMs = attempts.reduce((sum, a) => sum + a.latency_ms, 0);
    expect(wallMs).toBeGreaterThan(0);
    // 36 per hour is 0.01 per second.
    expect(result.progress.cost).toBeCloseTo(wallMs / 100_000, 12);

    // The same calls priced after the run, from what the store recorded, give the same total.
    const rows: PricedCallRow[] = attempts.map((a) => ({
      group: "qa",
      provider: a.provider,
      model: a.model,
      startedAt: a.started_at,
      usage,
      latencyMs: a.latency_ms,
    }));
    expect(costsByGroup(rows, priced, "USD").get("qa")?.total).toBeCloseTo(result.progress.cost, 12);
    // And so does the store's own pricing rows (what `arbiter show` and `arbiter cost` price).
    const stored = costsByGroup(store.pricingRows(result.runId), priced, "USD");
    expect([...stored.values()][0]?.total).toBeCloseTo(result.progress.cost, 12);

    // With no price the same run costs a known 0: every call priced, none unknown.
    const free = await run(spec, store, { pricer: callPricer(catalog, "USD"), cache: false });
    expect(free.progress).toMatchObject({ done: 3, cost: 0, unpricedCalls: 0 });
  }, 120_000);
});
