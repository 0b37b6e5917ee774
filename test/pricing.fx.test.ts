import { describe, expect, it } from "vitest";
import type { Usage } from "../src/core/types.js";
import { findPrice, loadCatalog } from "../src/pricing/catalog.js";
import { costOfCall } from "../src/pricing/cost.js";
import { convert, convertCost, rateFor } from "../src/pricing/fx.js";
import type { PriceRecord } from "../src/pricing/schema.js";

const catalog = await loadCatalog();
const fx = catalog.fx;

describe("convert: USD ↔ CNY at the monthly average of the call's month", () => {
  it("USD → CNY at the dated rate (Feb 2025: 7.2734 CNY per USD)", () => {
    // $0.34 × 7.2734 = ¥2.472956
    const r = convert(0.34, "USD", "CNY", new Date("2025-02-10T00:00:00Z"), fx);
    expect(r).toMatchObject({ amount: 2.472956, rate: 7.2734, period: "2025-02", stale: false });
    // The month matters: January 2025 is 7.2957; $1 → ¥7.2957
    expect(convert(1, "USD", "CNY", new Date("2025-01-31T23:59:59Z"), fx)?.amount).toBe(7.2957);
  });

  it("CNY → USD divides by the same rate, rounded to 12 decimals", () => {
    // ¥0.022 ÷ 7.2734 = 0.003024720213|38… → 12 decimals: $0.003024720213
    const r = convert(0.022, "CNY", "USD", new Date("2025-02-10T00:00:00Z"), fx);
    expect(r?.amount).toBe(0.003024720213);
    expect(r?.cnyPerUsd).toBe(7.2734);
    // ¥7.2734 in Feb 2025 is exactly $1
    expect(convert(7.2734, "CNY", "USD", new Date("2025-02-10T00:00:00Z"), fx)?.amount).toBe(1);
  });

  it("uses the nearest earlier month when the call's month is missing, and says so", () => {
    // No rate for 2024-08 in fx.json: June 2024 (7.2547) is the nearest earlier month.
    const r = convert(1, "USD", "CNY", new Date("2024-08-15T00:00:00Z"), fx);
    expect(r).toMatchObject({ amount: 7.2547, callPeriod: "2024-08", period: "2024-06", stale: true });
    expect(rateFor(new Date("2026-11-28T00:00:00Z"), fx)).toMatchObject({ rate: { period: "2025-02" }, stale: true });
  });

  it("has no rate before the first month, and converts a currency to itself as is", () => {
    expect(convert(1, "USD", "CNY", new Date("2023-05-31T00:00:00Z"), fx)).toBeNull();
    expect(convert(1.5, "CNY", "CNY", new Date("2020-01-01T00:00:00Z"), fx)).toMatchObject({
      amount: 1.5,
      rate: 1,
      stale: false,
    });
  });

  it("the month is the UTC month: 2025-02-28T20:00Z (already March in Beijing) uses February", () => {
    expect(convert(1, "USD", "CNY", new Date("2025-02-28T20:00:00Z"), fx)?.period).toBe("2025-02");
  });
});

describe("convertCost: a vendor's bill in the user's currency", () => {
  it("converts a USD bill to CNY with the breakdown", () => {
    const at = new Date("2024-11-15T12:00:00Z");
    const price = findPrice(catalog, { provider: "anthropic", model: "claude-3-5-sonnet-20241022", at }) as PriceRecord;
    const usage: Usage = {
      inputTokens: 2_098,
      cachedInputTokens: 1_800,
      cacheWriteTokens: 248,
      outputTokens: 503,
      reasoningTokens: null,
    };
    const cost = costOfCall(usage, price, at);
    expect(cost?.total).toBe(0.009165);
    // $0.009165 × 7.2063 (Nov 2024) = ¥0.0660457395; output $0.007545 × 7.2063 = ¥0.0543715335
    const cny = convertCost(cost as NonNullable<typeof cost>, "CNY", at, fx);
    expect(cny).toMatchObject({ currency: "CNY", total: 0.0660457395, totalExact: "0.0660457395" });
    expect(cny?.breakdown.output).toBe(0.0543715335);
    expect(cny?.original).toEqual({ currency: "USD", total: 0.009165, totalExact: "0.009165" });
    expect(cny?.fx).toMatchObject({ period: "2024-11", stale: false, cnyPerUsd: 7.2063 });
  });

  it("DeepSeek's USD and CNY lists are separate prices, not an FX conversion of each other", () => {
    const at = new Date("2025-02-20T12:00:00Z");
    const usage: Usage = {
      inputTokens: 1_000_000,
      cachedInputTokens: 0,
      cacheWriteTokens: null,
      outputTokens: 0,
      reasoningTokens: null,
    };
    const cny = costOfCall(
      usage,
      findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at, currency: "CNY" }) as PriceRecord,
      at,
    );
    const usd = costOfCall(
      usage,
      findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at, currency: "USD" }) as PriceRecord,
      at,
    );
    // ¥2 per 1M misses vs $0.27: ¥2 ÷ 7.2734 = 0.274974564852|7… → $0.274974564853 ≠ $0.27
    expect(cny?.total).toBe(2);
    expect(usd?.total).toBe(0.27);
    expect(convertCost(cny as NonNullable<typeof cny>, "USD", at, fx)?.total).toBe(0.274974564853);
  });
});
