// Every expected bill below is computed by hand in the comment next to it: tokens × price per 1M ÷ 1,000,000.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Usage } from "../src/core/types.js";
import { findPrice, loadCatalog, mergeOverrides } from "../src/pricing/catalog.js";
import { addExact, costOfCall, costOfWallTime } from "../src/pricing/cost.js";
import type { PriceRecord } from "../src/pricing/schema.js";
import { anthropicCacheWriteBreakdown, usageFromAnthropic, usageFromOpenAIChat } from "../src/providers/usage.js";

const catalog = await loadCatalog();

function usage(
  inputTokens: number | null,
  cachedInputTokens: number | null,
  outputTokens: number | null,
  more: Partial<Usage> = {},
): Usage {
  return { inputTokens, cachedInputTokens, cacheWriteTokens: null, outputTokens, reasoningTokens: null, ...more };
}

function price(query: Parameters<typeof findPrice>[1]): PriceRecord {
  const record = findPrice(catalog, query);
  if (!record) throw new Error(`no price for ${query.model} at ${query.at.toISOString()}`);
  return record;
}

function fixtureBody(name: string): Record<string, unknown> {
  const fixture = JSON.parse(readFileSync(new URL(`./fixtures/usage/${name}`, import.meta.url), "utf8")) as {
    body: Record<string, unknown>;
  };
  return fixture.body;
}

describe("DeepSeek-V3 (deepseek-chat) standard and off-peak, by the call's UTC time", () => {
  // 10,000 input tokens of which 4,000 cache hits (6,000 misses), 1,000 output tokens.
  const u = usage(10_000, 4_000, 1_000);
  const cny = (at: string) => {
    const when = new Date(at);
    return costOfCall(u, price({ provider: "deepseek", model: "deepseek-chat", at: when, currency: "CNY" }), when);
  };
  // Standard CNY (2 miss / 0.5 hit / 8 out): 6,000×2 + 4,000×0.5 + 1,000×8 = 12,000 + 2,000 + 8,000 = 22,000 /1M = ¥0.022
  // Off-peak CNY (1 / 0.25 / 4):           6,000×1 + 4,000×0.25 + 1,000×4 = 6,000 + 1,000 + 4,000 = 11,000 /1M = ¥0.011

  it("16:29:59 UTC is standard, 16:30:00 UTC is off-peak", () => {
    const before = cny("2025-03-03T16:29:59Z");
    const at = cny("2025-03-03T16:30:00Z");
    expect(before).toMatchObject({ currency: "CNY", total: 0.022, offPeak: false });
    expect(before?.breakdown).toEqual({
      input: 0.012,
      cachedInput: 0.002,
      cacheWrite: 0,
      output: 0.008,
      perRequest: 0,
    });
    expect(at).toMatchObject({ currency: "CNY", total: 0.011, offPeak: true });
    expect(at?.breakdown).toEqual({ input: 0.006, cachedInput: 0.001, cacheWrite: 0, output: 0.004, perRequest: 0 });
    // The last millisecond before the window is still standard.
    expect(cny("2025-03-03T16:29:59.999Z")?.total).toBe(0.022);
  });

  it("00:29:59 UTC is still off-peak (the window wraps midnight), 00:30:00 UTC is standard again", () => {
    expect(cny("2025-03-04T00:29:59Z")).toMatchObject({ total: 0.011, offPeak: true });
    expect(cny("2025-03-04T00:30:00Z")).toMatchObject({ total: 0.022, offPeak: false });
    expect(cny("2025-03-04T00:00:00Z")).toMatchObject({ total: 0.011, offPeak: true });
  });

  it("the off-peak discount starts with the first window after its announcement (Beijing 2025-02-27 00:30)", () => {
    // 2025-02-25T17:00Z is inside 16:30–00:30 but before the discount existed: standard ¥0.022.
    expect(cny("2025-02-25T17:00:00Z")).toMatchObject({ total: 0.022, offPeak: false });
    expect(cny("2025-02-26T16:30:00Z")).toMatchObject({ total: 0.011, offPeak: true });
  });

  it("prices the USD list in USD: standard 0.27/0.07/1.10, off-peak 0.135/0.035/0.55", () => {
    const at1 = new Date("2025-03-03T12:00:00Z");
    const at2 = new Date("2025-03-03T20:00:00Z");
    const q = { provider: "deepseek", model: "deepseek-chat", currency: "USD" } as const;
    // 6,000×0.27 + 4,000×0.07 + 1,000×1.10 = 1,620 + 280 + 1,100 = 3,000 /1M = $0.003
    expect(costOfCall(u, price({ ...q, at: at1 }), at1)).toMatchObject({ currency: "USD", total: 0.003 });
    // 6,000×0.135 + 4,000×0.035 + 1,000×0.55 = 810 + 140 + 550 = 1,500 /1M = $0.0015
    expect(costOfCall(u, price({ ...q, at: at2 }), at2)).toMatchObject({ currency: "USD", total: 0.0015 });
  });
});

describe("exact per-token arithmetic", () => {
  it("1,234 tokens at ¥2/M is exactly ¥0.002468", () => {
    const at = new Date("2025-03-03T12:00:00Z");
    const p = price({ provider: "deepseek", model: "deepseek-chat", at, currency: "CNY" });
    // 1,234 cache misses × 2 = 2,468 /1M = 0.002468; cache hits reported as 0.
    const cost = costOfCall(usage(1_234, 0, 0), p, at);
    expect(cost?.total).toBe(0.002468);
    expect(cost?.totalExact).toBe("0.002468");
  });

  it("sums components without float drift (naive floats give 0.00027818000000000005)", () => {
    const at = new Date("2025-03-03T12:00:00Z");
    const p = price({ provider: "deepseek", model: "deepseek-chat", at, currency: "USD" });
    // 1,001 misses × 0.27 = 270.27; 3 hits × 0.07 = 0.21; 7 output × 1.10 = 7.7; sum 278.18 /1M = $0.00027818
    expect(1001 * (0.27 / 1e6) + 3 * (0.07 / 1e6) + 7 * (1.1 / 1e6)).not.toBe(0.00027818);
    const cost = costOfCall(usage(1_004, 3, 7), p, at);
    expect(cost?.totalExact).toBe("0.00027818");
    expect(cost?.total).toBe(0.00027818);
  });

  it("addExact sums many calls' exact totals", () => {
    // 0.1 + 0.2 = 0.3 exactly (floats give 0.30000000000000004)
    expect(addExact("0.1", "0.2")).toBe("0.3");
    expect(addExact("0.00027818", "0.002468")).toBe("0.00274618");
  });
});

describe("the cache hit/miss split", () => {
  const at = new Date("2025-03-03T12:00:00Z");
  const deepseek = () => price({ provider: "deepseek", model: "deepseek-chat", at, currency: "CNY" });

  it("bills hits at the hit price and misses at the miss price, from DeepSeek's own usage fields", () => {
    const u = usageFromOpenAIChat({
      prompt_tokens: 5_000,
      completion_tokens: 250,
      total_tokens: 5_250,
      prompt_cache_hit_tokens: 3_840,
      prompt_cache_miss_tokens: 1_160,
    });
    expect(u).not.toBeNull();
    // 1,160 misses × 2 = 2,320; 3,840 hits × 0.5 = 1,920; 250 output × 8 = 2,000; 6,240 /1M = ¥0.00624
    const cost = costOfCall(u as Usage, deepseek(), at);
    expect(cost?.breakdown).toMatchObject({ input: 0.00232, cachedInput: 0.00192, output: 0.002 });
    expect(cost?.total).toBe(0.00624);
  });

  it("an unreported hit count on a model with cache pricing makes the bill unknown (null, not 0)", () => {
    expect(costOfCall(usage(5_000, null, 250), deepseek(), at)).toBeNull();
  });

  it("an unreported hit count is fine where the price has no cache tier (nothing to split)", () => {
    const hunyuan = price({ provider: "hunyuan", model: "hunyuan-standard", at });
    expect(hunyuan.cachedInput).toBeNull();
    // 5,000 × 0.8 + 250 × 2 = 4,000 + 500 = 4,500 /1M = ¥0.0045
    expect(costOfCall(usage(5_000, null, 250), hunyuan, at)?.total).toBe(0.0045);
  });

  it("reported hits on a price without a known cache-hit price are unknown, not billed as misses", () => {
    const ernie = price({ provider: "ernie", model: "ernie-3.5-8k", at });
    expect(costOfCall(usage(5_000, 1_000, 250), ernie, at)).toBeNull();
    // 0 hits reported is fine: 5,000 × 0.8 + 250 × 2 = 4,500 /1M = ¥0.0045
    expect(costOfCall(usage(5_000, 0, 250), ernie, at)?.total).toBe(0.0045);
  });

  it("contradictory counts (more hits than input) are unknown", () => {
    expect(costOfCall(usage(100, 200, 10), deepseek(), at)).toBeNull();
  });
});

describe("DeepSeek-R1 (deepseek-reasoner): reasoning tokens are billed as output", () => {
  it("bills the chain of thought at the output price", () => {
    const at = new Date("2025-02-01T08:00:00Z");
    const p = price({ provider: "deepseek", model: "deepseek-reasoner", at, currency: "CNY" });
    expect(p.reasoningOutput).toBeNull();
    const u = usageFromOpenAIChat((fixtureBody("deepseek-reasoner.json") as { usage: unknown }).usage) as Usage;
    expect(u).toMatchObject({ inputTokens: 13, cachedInputTokens: 0, outputTokens: 395, reasoningTokens: 322 });
    // 13 misses × 4 = 52; 395 output (322 of them reasoning) × 16 = 6,320; 6,372 /1M = ¥0.006372
    const cost = costOfCall(u, p, at);
    expect(cost?.total).toBe(0.006372);
    expect(cost?.breakdown.output).toBe(0.00632);
    expect(cost?.breakdown.reasoning).toBeUndefined();
  });

  it("R1 off-peak is 75% off (¥1 / 0.25 / 4) and the USD off-peak decimals are flagged unverified", () => {
    const at = new Date("2025-03-03T18:00:00Z");
    const u = usage(13, 0, 395, { reasoningTokens: 322 });
    const cny = costOfCall(u, price({ provider: "deepseek", model: "deepseek-reasoner", at, currency: "CNY" }), at);
    // 13 × 1 + 395 × 4 = 13 + 1,580 = 1,593 /1M = ¥0.001593
    expect(cny).toMatchObject({ total: 0.001593, offPeak: true, verified: true });
    const usd = costOfCall(u, price({ provider: "deepseek", model: "deepseek-reasoner", at, currency: "USD" }), at);
    // 13 × 0.135 + 395 × 0.55 = 1.755 + 217.25 = 219.005 /1M = $0.000219005
    expect(usd).toMatchObject({ total: 0.000219005, offPeak: true, verified: false });
  });
});

describe("Anthropic cache writes and reads (claude-3-5-sonnet: 3 / write 3.75 / read 0.30 / 15 USD per 1M)", () => {
  const at = new Date("2024-11-15T12:00:00Z");
  const sonnet = () => price({ provider: "anthropic", model: "claude-3-5-sonnet-20241022", at });

  it("prices the documented cache example", () => {
    const raw = (fixtureBody("anthropic-messages-cache.json") as { usage: unknown }).usage;
    const u = usageFromAnthropic(raw) as Usage;
    const writes = anthropicCacheWriteBreakdown(raw);
    expect(u).toMatchObject({ inputTokens: 2_098, cachedInputTokens: 1_800, cacheWriteTokens: 248, outputTokens: 503 });
    // uncached 2,098 − 1,800 − 248 = 50 × 3 = 150; reads 1,800 × 0.30 = 540; writes 248 × 3.75 = 930;
    // output 503 × 15 = 7,545; total 9,165 /1M = $0.009165
    const cost = costOfCall(u, sonnet(), at, { cacheWrite1hTokens: writes?.ephemeral1hInputTokens ?? 0 });
    expect(cost).toMatchObject({ currency: "USD", total: 0.009165, verified: true });
    expect(cost?.breakdown).toEqual({
      input: 0.00015,
      cachedInput: 0.00054,
      cacheWrite: 0.00093,
      output: 0.007545,
      perRequest: 0,
    });
  });

  it("a response without cache fields had no caching (Anthropic omits them): priced, not unknown", () => {
    const u = usageFromAnthropic({ input_tokens: 1_000, output_tokens: 100 }) as Usage;
    expect(u.cachedInputTokens).toBeNull();
    // 1,000 × 3 + 100 × 15 = 3,000 + 1,500 = 4,500 /1M = $0.0045
    expect(costOfCall(u, sonnet(), at)?.total).toBe(0.0045);
  });

  it("1-hour cache writes have no price in the catalog: unknown; an unknown TTL split with writes is unknown", () => {
    const u = usage(2_098, 1_800, 503, { cacheWriteTokens: 248 });
    expect(costOfCall(u, sonnet(), at, { cacheWrite1hTokens: 100 })).toBeNull();
    expect(costOfCall(u, sonnet(), at, { cacheWrite1hTokens: null })).toBeNull();
  });
});

describe("Qwen-Plus context tiers (mainland, CNY) and thinking-mode output", () => {
  const at = new Date("2025-08-01T00:00:00Z");
  const plus = () => price({ provider: "qwen", model: "qwen-plus", at, region: "cn" });

  it("≤128K input: base prices 0.8 in / 2 out (non-thinking)", () => {
    // 100,000 × 0.8 = 80,000; 2,000 × 2 = 4,000; 84,000 /1M = ¥0.084
    const cost = costOfCall(usage(100_000, 0, 2_000, { reasoningTokens: 0 }), plus(), at);
    expect(cost?.total).toBe(0.084);
    expect(cost?.tier).toBeUndefined();
  });

  it("the tier is chosen by input tokens: 128,000 is the base tier, 128,001 the next one", () => {
    // 128,000 × 0.8 = 102,400 /1M = ¥0.1024 (no output)
    expect(costOfCall(usage(128_000, 0, 0), plus(), at)?.total).toBe(0.1024);
    // 128,001 × 2.4 = 307,202.4 /1M = ¥0.3072024 — the whole request moves to the 2.4 tier
    const above = costOfCall(usage(128_001, 0, 0), plus(), at);
    expect(above?.total).toBe(0.3072024);
    expect(above?.tier).toBe("input > 128000 tokens");
  });

  it("128K–256K in thinking mode: input 2.4, all output at the thinking price 24", () => {
    // 200,000 × 2.4 = 480,000; output 2,000 (1,500 reasoning + 500 answer) × 24 = 48,000; 528,000 /1M = ¥0.528
    const cost = costOfCall(usage(200_000, 0, 2_000, { reasoningTokens: 1_500 }), plus(), at);
    expect(cost?.total).toBe(0.528);
    expect(cost?.breakdown).toMatchObject({ input: 0.48, output: 0.012, reasoning: 0.036 });
  });

  it(">256K with implicit-cache hits: 4.8 miss, 1.92 hit, 48 non-thinking output", () => {
    // 200,000 misses × 4.8 = 960,000; 100,000 hits × 1.92 = 192,000; 1,000 × 48 = 48,000; 1,200,000 /1M = ¥1.2
    const cost = costOfCall(usage(300_000, 100_000, 1_000, { reasoningTokens: 0 }), plus(), at);
    expect(cost?.total).toBe(1.2);
    expect(cost?.tier).toBe("input > 256000 tokens");
  });

  it("an unknown reasoning count is unknown unless the caller says whether the request reasoned", () => {
    const u = usage(1_000, 0, 100);
    expect(costOfCall(u, plus(), at)).toBeNull();
    // non-thinking: 1,000 × 0.8 + 100 × 2 = 800 + 200 = 1,000 /1M = ¥0.001
    expect(costOfCall(u, plus(), at, { reasoning: false })?.total).toBe(0.001);
    // thinking: 1,000 × 0.8 + 100 × 8 = 800 + 800 = 1,600 /1M = ¥0.0016
    expect(costOfCall(u, plus(), at, { reasoning: true })?.total).toBe(0.0016);
  });
});

describe("a price change between two calls of one run", () => {
  // The DeepSeek-V3 promotion ended 2025-02-08T16:00:00Z (Beijing 2025-02-09 00:00).
  // Each call: 1,000,000 input of which 200,000 cache hits, 100,000 output.
  const u = usage(1_000_000, 200_000, 100_000);
  const cost = (at: string, currency: "CNY" | "USD") => {
    const when = new Date(at);
    const p = price({ provider: "deepseek", model: "deepseek-chat", at: when, currency });
    return costOfCall(u, p, when);
  };

  it("bills the promotional price until 15:59:59 and the standard price from 16:00:00 UTC", () => {
    // promo CNY (1 / 0.1 / 2): 800,000×1 + 200,000×0.1 + 100,000×2 = 800,000 + 20,000 + 200,000 = 1,020,000 /1M = ¥1.02
    const before = cost("2025-02-08T15:59:59Z", "CNY");
    expect(before).toMatchObject({ total: 1.02, priceId: "deepseek-v3-promo-cny" });
    // standard CNY (2 / 0.5 / 8): 1,600,000 + 100,000 + 800,000 = 2,500,000 /1M = ¥2.5
    const after = cost("2025-02-08T16:00:00Z", "CNY");
    expect(after).toMatchObject({ total: 2.5, priceId: "deepseek-v3-standard-cny" });
    // The run's bill: ¥1.02 + ¥2.5 = ¥3.52
    expect(addExact(before?.totalExact ?? "", after?.totalExact ?? "")).toBe("3.52");
  });

  it("the USD list changes at the same instant", () => {
    // promo USD (0.14 / 0.014 / 0.28): 112,000 + 2,800 + 28,000 = 142,800 /1M = $0.1428
    expect(cost("2025-02-08T15:59:59Z", "USD")?.total).toBe(0.1428);
    // standard USD (0.27 / 0.07 / 1.10): 216,000 + 14,000 + 110,000 = 340,000 /1M = $0.34
    expect(cost("2025-02-08T16:00:00Z", "USD")?.total).toBe(0.34);
  });
});

describe("unknown usage is never 0", () => {
  const at = new Date("2025-03-03T12:00:00Z");
  const p = () => price({ provider: "deepseek", model: "deepseek-chat", at });

  it("null input or output tokens → null", () => {
    expect(costOfCall(usage(null, 0, 100), p(), at)).toBeNull();
    expect(costOfCall(usage(100, 0, null), p(), at)).toBeNull();
  });

  it("an unknown output price (Doubao-pro-32k at its May-2024 launch) → null when there is output", () => {
    const when = new Date("2024-06-01T00:00:00Z");
    const doubao = price({ provider: "doubao", model: "doubao-pro-32k", at: when });
    expect(doubao.output).toBeNull();
    expect(costOfCall(usage(1_000, null, 10), doubao, when)).toBeNull();
    // no output: 1,000 × 0.8 = 800 /1M = ¥0.0008
    expect(costOfCall(usage(1_000, null, 0), doubao, when)?.total).toBe(0.0008);
  });

  it("free models cost 0 (a real 0, from a price of 0)", () => {
    const when = new Date("2024-06-01T00:00:00Z");
    const ernie = price({ provider: "ernie", model: "ernie-speed-128k", at: when });
    expect(costOfCall(usage(10_000, null, 1_000), ernie, when)).toMatchObject({ total: 0, totalExact: "0" });
  });
});

describe("user overrides in cost", () => {
  const at = new Date("2025-03-03T20:00:00Z");

  it("self-hosted per GPU-hour: tokens cost 0 and the hourly price is passed on", () => {
    const c = mergeOverrides(catalog, [{ provider: "vllm", model: "my-llama", currency: "USD", perHour: 2.4 }]);
    const p = findPrice(c, { provider: "vllm", model: "my-llama", at }) as PriceRecord;
    expect(costOfCall(usage(1_000, null, 100), p, at)).toMatchObject({ total: 0, perHour: 2.4 });
    // 90 minutes × $2.40/hour = 1.5 h × 2.4 = $3.60
    expect(costOfWallTime(p, 90 * 60_000)?.total).toBeCloseTo(3.6, 12);
  });

  it("an off-peak multiplier and a tokens_above tier", () => {
    const c = mergeOverrides(catalog, [
      {
        provider: "mylab",
        model: "long",
        currency: "USD",
        input: 1,
        output: 2,
        offPeak: [{ fromUTC: "18:00", toUTC: "06:00", multiplier: 0.5 }],
        contextTiers: [{ aboveTokens: 1_000, appliesTo: "tokens_above", input: 3, output: 4 }],
      },
    ]);
    const p = findPrice(c, { provider: "mylab", model: "long", at }) as PriceRecord;
    const day = new Date("2025-03-03T12:00:00Z");
    // 1,500 input: 1,000 × 1 + 500 above × 3 = 2,500; 100 output at the tier's 4 = 400; 2,900 /1M = $0.0029
    expect(costOfCall(usage(1_500, null, 100), p, day)).toMatchObject({ total: 0.0029, offPeak: false });
    // 20:00 UTC is in 18:00–06:00: every price × 0.5 → $0.00145
    expect(costOfCall(usage(1_500, null, 100), p, at)).toMatchObject({ total: 0.00145, offPeak: true });
  });
});
