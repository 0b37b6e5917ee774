import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_CATALOG_DIR,
  findPrice,
  loadCatalog,
  mergeOverrides,
  parseCatalog,
  priceHistory,
} from "../src/pricing/catalog.js";
import { CatalogError } from "../src/pricing/schema.js";

const catalog = await loadCatalog();
const root = fileURLToPath(new URL("..", import.meta.url));

function rawFiles(): { prices: Record<string, unknown>; fx: Record<string, unknown>; models: Record<string, unknown> } {
  const read = (name: string) => JSON.parse(readFileSync(join(DEFAULT_CATALOG_DIR, name), "utf8"));
  return { prices: read("prices.json"), fx: read("fx.json"), models: read("models.json") };
}

function records(raw: ReturnType<typeof rawFiles>): Record<string, unknown>[] {
  return raw.prices.records as Record<string, unknown>[];
}

function catalogError(fn: () => unknown): CatalogError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error("expected a CatalogError");
}

describe("the committed catalog", () => {
  it("loads from the package's data/catalog and keeps a source on every record", () => {
    expect(catalog.prices.length).toBeGreaterThan(60);
    for (const r of catalog.prices) {
      expect(r.source_url, r.id).toMatch(/^https?:\/\//);
      expect(r.source_quote, r.id).not.toBe("");
    }
    for (const r of catalog.fx.rates) expect(r.source_url).toMatch(/^https?:\/\//);
    expect(catalog.models.find((m) => m.id === "deepseek-v3")?.apiModelIds).toEqual([
      { provider: "deepseek", model: "deepseek-chat", note: null },
    ]);
  });

  it.skipIf(!existsSync(join(root, "../shared/catalog/prices.json")))(
    "is exactly what scripts/build-catalog.mjs builds from ../shared/catalog",
    () => {
      const out = execFileSync(process.execPath, [join(root, "scripts/build-catalog.mjs"), "--check"], {
        cwd: root,
        encoding: "utf8",
      });
      expect(out).toContain("up to date");
    },
  );
});

describe("findPrice", () => {
  const at = new Date("2025-03-03T12:00:00Z");

  it("finds the record in force: effectiveFrom ≤ at < effectiveTo", () => {
    const promoEnd = new Date("2025-02-08T16:00:00Z");
    const q = { provider: "deepseek", model: "deepseek-chat", currency: "CNY" } as const;
    expect(findPrice(catalog, { ...q, at: new Date(promoEnd.getTime() - 1) })?.id).toBe("deepseek-v3-promo-cny");
    expect(findPrice(catalog, { ...q, at: promoEnd })?.id).toBe("deepseek-v3-standard-cny");
  });

  it("prefers the vendor's own list, the requested currency, and filters by region", () => {
    // DeepSeek is a mainland vendor: its CNY list by default.
    expect(findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at })?.currency).toBe("CNY");
    expect(findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at, currency: "USD" })?.input).toBe(0.27);
    expect(findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at, region: "intl" })?.currency).toBe(
      "USD",
    );
    // OpenAI bills in USD only: asking for CNY still returns the USD list (convert it with fx.ts).
    expect(findPrice(catalog, { provider: "openai", model: "gpt-4o", at, currency: "CNY" })?.currency).toBe("USD");
    // Qwen-Max: the international price is not the mainland one.
    expect(findPrice(catalog, { provider: "qwen", model: "qwen-max", at, region: "intl" })).toMatchObject({
      currency: "USD",
      input: 1.6,
    });
    expect(findPrice(catalog, { provider: "qwen", model: "qwen-max", at, region: "cn" })).toMatchObject({
      currency: "CNY",
      input: 2.4,
    });
  });

  it("matches API aliases, case-insensitively", () => {
    expect(findPrice(catalog, { provider: "openai", model: "gpt-4o-2024-11-20", at })?.id).toBe("gpt-4o-usd");
    expect(findPrice(catalog, { provider: "anthropic", model: "claude-3-haiku-20240307", at })?.input).toBe(0.25);
    expect(findPrice(catalog, { model: "DOUBAO-1-5-PRO-32K-250115", at })?.provider).toBe("doubao");
  });

  it("returns null for an unknown model, provider or time", () => {
    // "deepseek-v3" is a model name, not an API id: DeepSeek's API calls it deepseek-chat.
    expect(findPrice(catalog, { provider: "deepseek", model: "deepseek-v3", at })).toBeNull();
    expect(findPrice(catalog, { provider: "deepseek", model: "no-such-model", at })).toBeNull();
    expect(findPrice(catalog, { provider: "openrouter", model: "deepseek-chat", at })).toBeNull();
    // Before DeepSeek-V2's API (May 2024) there is no deepseek-chat price.
    expect(findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at: new Date("2024-01-01") })).toBeNull();
  });

  it("uses third-party conversions only when asked", () => {
    const when = new Date("2024-04-15T00:00:00Z");
    expect(findPrice(catalog, { provider: "zhipu", model: "glm-4", at: when })).toBeNull();
    expect(
      findPrice(catalog, { provider: "zhipu", model: "glm-4", at: when, kinds: ["list", "converted"] }),
    ).toMatchObject({ priceKind: "converted", currency: "USD", region: "cn", input: 13.8 });
  });
});

describe("priceHistory", () => {
  it("lists a model's prices oldest first, across currencies", () => {
    const cny = priceHistory(catalog, "deepseek-chat", { currency: "CNY" }).map((r) => r.id);
    expect(cny).toEqual([
      "deepseek-v2-cny-2024-05",
      "deepseek-chat-cache-cny-2024-08",
      "deepseek-v3-promo-cny",
      "deepseek-v3-standard-cny",
      "deepseek-v3-standard-cny-offpeak-era",
    ]);
    // The records follow each other without gaps or overlaps.
    const history = priceHistory(catalog, "deepseek-chat", { currency: "CNY" });
    for (let i = 1; i < history.length; i++) expect(history[i]?.effectiveFrom).toBe(history[i - 1]?.effectiveTo);
    const all = priceHistory(catalog, "deepseek-chat");
    expect(all.length).toBe(cny.length + 5);
    expect(all[all.length - 1]?.id).toBe("deepseek-chat-litellm-2026-usd");
  });
});

describe("user overrides", () => {
  const at = new Date("2025-03-03T12:00:00Z");

  it("a negotiated price wins over the catalog while in force; dates use the provider's home offset", () => {
    const c = mergeOverrides(
      catalog,
      [
        {
          provider: "deepseek",
          model: "deepseek-chat",
          currency: "CNY",
          input: 1.5,
          cachedInput: 0.3,
          output: 6,
          effectiveFrom: "2025-03-01",
        },
      ],
      "arbiter.yaml",
    );
    const p = findPrice(c, { provider: "deepseek", model: "deepseek-chat", at });
    expect(p).toMatchObject({ origin: "override", input: 1.5, source_url: "arbiter.yaml" });
    // "2025-03-01" is 00:00 Beijing time = 2025-02-28T16:00Z for DeepSeek.
    expect(p?.effectiveFrom).toBe("2025-02-28T16:00:00Z");
    expect(
      findPrice(c, { provider: "deepseek", model: "deepseek-chat", at: new Date("2025-02-28T15:59:59Z") })?.origin,
    ).toBe("catalog");
    // The catalog itself is unchanged (pure).
    expect(findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at })?.origin).toBe("catalog");
  });

  it("a free self-hosted model", () => {
    const c = mergeOverrides(catalog, [
      { provider: "ollama", model: "qwen2.5:7b", currency: "USD", input: 0, output: 0 },
    ]);
    expect(findPrice(c, { provider: "ollama", model: "qwen2.5:7b", at })).toMatchObject({ input: 0, output: 0 });
  });

  it("a bad override fails naming the source, the entry and the field", () => {
    const error = catalogError(() =>
      mergeOverrides(
        catalog,
        [{ provider: "deepseek", model: "deepseek-chat", currency: "CNY", input: 1 }],
        "arbiter.yaml",
      ),
    );
    expect(error.message).toBe(
      'arbiter.yaml: record "prices[0]": output: missing: a price needs input and output per 1M tokens (0 for a free model), or perHour',
    );
    expect(error).toMatchObject({ file: "arbiter.yaml", recordId: "prices[0]", field: "output" });

    const currency = catalogError(() =>
      mergeOverrides(
        catalog,
        [{ id: "mine", provider: "x", model: "m", currency: "EUR", input: 1, output: 1 }],
        "a.yaml",
      ),
    );
    expect(currency.message).toMatch(/^a\.yaml: record "mine": currency: .*got "EUR"$/);
  });

  it("two overrides in force at once for the same model are rejected", () => {
    const o = { provider: "x", model: "m", currency: "USD", input: 1, output: 1 } as const;
    const error = catalogError(() => mergeOverrides(catalog, [o, { ...o, id: "second" }], "a.yaml"));
    expect(error.message).toMatch(/^a\.yaml: record "second": effectiveFrom: in force at the same time as record/);
  });
});

describe("catalog validation", () => {
  it("names the file, the record id and the field of a malformed record", () => {
    const raw = rawFiles();
    const r1 = records(raw).find((r) => r.id === "deepseek-r1-usd-offpeak-era") as { offPeak: { fromUTC: string }[] };
    (r1.offPeak[0] as { fromUTC: string }).fromUTC = "25:00";
    const error = catalogError(() =>
      parseCatalog(raw, { prices: "data/catalog/prices.json", fx: "fx.json", models: "models.json" }),
    );
    expect(error.message).toBe(
      'data/catalog/prices.json: record "deepseek-r1-usd-offpeak-era": offPeak[0].fromUTC: expected "HH:MM" (UTC), 00:00 to 23:59, got "25:00"',
    );
    expect(error).toMatchObject({
      file: "data/catalog/prices.json",
      recordId: "deepseek-r1-usd-offpeak-era",
      field: "offPeak[0].fromUTC",
    });
  });

  it("rejects a wrong type, an unknown field and a negative price", () => {
    const raw = rawFiles();
    const list = records(raw);
    (list[0] as Record<string, unknown>).input = "3";
    (list[1] as Record<string, unknown>).inptu = 3;
    (list[2] as Record<string, unknown>).output = -1;
    const error = catalogError(() => parseCatalog(raw));
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^prices\\.json: record "${list[0]?.id}": input: .*got "3"$`));
    expect(lines[1]).toBe(`prices.json: record "${list[1]?.id}": unknown field "inptu"`);
    expect(lines[2]).toMatch(new RegExp(`^prices\\.json: record "${list[2]?.id}": output: .*got -1$`));
  });

  it("rejects two records of the same model in force at the same time", () => {
    const raw = rawFiles();
    const promo = records(raw).find((r) => r.id === "deepseek-v3-promo-cny") as Record<string, unknown>;
    promo.effectiveTo = "2025-02-10T00:00:00Z";
    const error = catalogError(() => parseCatalog(raw));
    expect(error.message).toContain(
      'prices.json: record "deepseek-v3-standard-cny": effectiveFrom: in force at the same',
    );
    expect(error.message).toContain('"deepseek-v3-promo-cny"');
  });

  it("rejects an end before the start and a bad fx month", () => {
    const raw = rawFiles();
    const r = records(raw).find((x) => x.id === "o1-usd") as Record<string, unknown>;
    r.effectiveTo = "2024-01-01T00:00:00Z";
    expect(catalogError(() => parseCatalog(raw)).message).toBe(
      'prices.json: record "o1-usd": effectiveTo: 2024-01-01T00:00:00Z is not after effectiveFrom 2024-12-17T00:00:00Z',
    );
    const raw2 = rawFiles();
    ((raw2.fx.rates as Record<string, unknown>[])[0] as Record<string, unknown>).period = "2024-13";
    expect(catalogError(() => parseCatalog(raw2)).message).toBe(
      'fx.json: record "usd-cny-2023-06": period: expected a month, YYYY-MM, got "2024-13"',
    );
  });

  it("loadCatalog names a missing or unparsable file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "arbiter-catalog-"));
    await expect(loadCatalog(dir)).rejects.toThrow(`${join(dir, "prices.json")}: file not found`);
    writeFileSync(join(dir, "prices.json"), "{ not json");
    await expect(loadCatalog(dir)).rejects.toThrow(/prices\.json: not valid JSON/);
  });
});
