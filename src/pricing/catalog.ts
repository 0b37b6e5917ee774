/**
 * The price catalog: loading (the only I/O in pricing/), user overrides, and finding the price in force for a call.
 *
 *   const catalog = mergeOverrides(await loadCatalog(), config.prices ?? [], "arbiter.yaml");
 *   const price = findPrice(catalog, { provider: "deepseek", model: "deepseek-chat", at: attempt.startedAt });
 *   const cost = price && costOfCall(attempt.usage, price, attempt.startedAt);
 *
 * Which record is "in force": effectiveFrom ≤ at < effectiveTo (a null effectiveFrom is an unknown start, treated
 * as in force since the beginning of time; a null effectiveTo means no end is known). When several records match:
 *   1. a user override beats the catalog, and an override for the model beats one for every model of its provider
 *      (`model: "*"`, e.g. the price per hour of the machine that runs llamacpp models);
 *   2. `region`, when given, is a hard filter (a mainland-China price is never an international bill);
 *   3. `currency`, when given, is a preference (a USD-only vendor still prices a call in USD: convert it with fx.ts);
 *   4. otherwise the provider's home list (`cn` for mainland-Chinese vendors, `intl` for everyone else);
 *   5. `list` prices before `converted` before `reference` (the last two only when `kinds` asks for them);
 *   6. the latest effectiveFrom, then the id (deterministic).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import {
  CatalogError,
  type Currency,
  FxFileSchema,
  type FxTable,
  type ModelRecord,
  ModelsFileSchema,
  type OffPeakWindow,
  type PriceKind,
  type PriceOverride,
  PriceOverrideSchema,
  type PriceRecord,
  PricesFileSchema,
  type ProviderInfo,
  parseWith,
  type Region,
} from "./schema.js";

export interface Catalog {
  /** Directory the catalog was loaded from; null when built in memory. */
  dir: string | null;
  prices: PriceRecord[];
  providers: Record<string, ProviderInfo>;
  fx: FxTable;
  models: ModelRecord[];
}

/**
 * data/catalog of this package: src/pricing and dist/pricing both sit two levels below the package root, so this
 * resolves the same from source (tsx, vitest) and from the build.
 */
export const DEFAULT_CATALOG_DIR: string = fileURLToPath(new URL("../../data/catalog/", import.meta.url));

const FILES = { prices: "prices.json", fx: "fx.json", models: "models.json" } as const;

/** Reads and validates prices.json, fx.json and models.json from `dir` (default: the package's data/catalog). */
export async function loadCatalog(dir: string = DEFAULT_CATALOG_DIR): Promise<Catalog> {
  const raw: Record<keyof typeof FILES, unknown> = { prices: null, fx: null, models: null };
  const names: Record<keyof typeof FILES, string> = { prices: "", fx: "", models: "" };
  for (const key of Object.keys(FILES) as (keyof typeof FILES)[]) {
    const path = join(dir, FILES[key]);
    names[key] = path;
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CatalogError(`${path}: ${code === "ENOENT" ? "file not found" : (error as Error).message}`, {
        file: path,
      });
    }
    try {
      raw[key] = JSON.parse(text);
    } catch (error) {
      throw new CatalogError(`${path}: not valid JSON: ${(error as Error).message}`, { file: path });
    }
  }
  return { ...parseCatalog(raw, names), dir };
}

/**
 * Validates parsed catalog files (schema, then: unique ids, effectiveFrom < effectiveTo, ascending tiers, and no two
 * records of the same provider, model or alias, region, currency and kind in force at the same time).
 * `files` names them in error messages.
 */
export function parseCatalog(
  raw: { prices: unknown; fx: unknown; models: unknown },
  files: { prices: string; fx: string; models: string } = {
    prices: FILES.prices,
    fx: FILES.fx,
    models: FILES.models,
  },
): Catalog {
  const prices = parseWith(PricesFileSchema, raw.prices, files.prices, "records");
  const fx = parseWith(FxFileSchema, raw.fx, files.fx, "rates");
  const models = parseWith(ModelsFileSchema, raw.models, files.models, "models");
  checkRecords(prices.records, files.prices);
  const periods = new Set<string>();
  for (const rate of fx.rates) {
    if (periods.has(rate.period)) {
      throw new CatalogError(`${files.fx}: record "${rate.id}": period: ${rate.period} appears twice`, {
        file: files.fx,
        recordId: rate.id,
        field: "period",
      });
    }
    periods.add(rate.period);
  }
  return { dir: null, prices: prices.records, providers: prices.providers, fx, models: models.models };
}

function ms(iso: string | null, ifNull: number): number {
  return iso === null ? ifNull : Date.parse(iso);
}

/** Compares two numbers that may be ±Infinity (plain subtraction gives NaN for two equal infinities). */
function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Start of a record as a number: an unknown start is −∞. */
function startOf(r: PriceRecord): number {
  return ms(r.effectiveFrom, Number.NEGATIVE_INFINITY);
}

/** Whether `record` is in force at `at`: effectiveFrom ≤ at < effectiveTo. */
export function isInForce(record: PriceRecord, at: Date): boolean {
  const t = at.getTime();
  return (
    ms(record.effectiveFrom, Number.NEGATIVE_INFINITY) <= t && t < ms(record.effectiveTo, Number.POSITIVE_INFINITY)
  );
}

function fail(file: string, record: PriceRecord, field: string, message: string): never {
  throw new CatalogError(`${file}: record "${record.id}": ${field}: ${message}`, {
    file,
    recordId: record.id,
    field,
  });
}

/** Checks what the schema cannot: see {@link parseCatalog}. Overrides are checked among themselves. */
function checkRecords(records: PriceRecord[], file: string): void {
  const ids = new Set<string>();
  for (const r of records) {
    if (ids.has(r.id)) fail(file, r, "id", "appears twice");
    ids.add(r.id);
    if (
      r.effectiveFrom !== null &&
      r.effectiveTo !== null &&
      Date.parse(r.effectiveFrom) >= Date.parse(r.effectiveTo)
    ) {
      fail(file, r, "effectiveTo", `${r.effectiveTo} is not after effectiveFrom ${r.effectiveFrom}`);
    }
    r.contextTiers.forEach((tier, i) => {
      const prev = r.contextTiers[i - 1];
      if (prev && tier.aboveTokens <= prev.aboveTokens) {
        fail(file, r, `contextTiers[${i}].aboveTokens`, `tiers must be in ascending order (${prev.aboveTokens} first)`);
      }
      if (prev && tier.appliesTo !== prev.appliesTo) {
        fail(file, r, `contextTiers[${i}].appliesTo`, "all tiers of a record must apply the same way");
      }
    });
    const names = [r.model, ...r.aliases].map((n) => n.toLowerCase());
    if (new Set(names).size !== names.length) fail(file, r, "aliases", "repeats the model id or another alias");
  }
  // No two records of the same key in force at the same time (findPrice would have to guess).
  const byKey = new Map<string, PriceRecord[]>();
  for (const r of records) {
    for (const name of [r.model, ...r.aliases]) {
      const key = [r.origin, r.provider, name.toLowerCase(), r.region, r.currency, r.priceKind].join("\u0000");
      const list = byKey.get(key);
      if (list) list.push(r);
      else byKey.set(key, [r]);
    }
  }
  for (const list of byKey.values()) {
    list.sort((a, b) => cmp(startOf(a), startOf(b)));
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as PriceRecord;
      const cur = list[i] as PriceRecord;
      if (startOf(cur) < ms(prev.effectiveTo, Number.POSITIVE_INFINITY)) {
        fail(
          file,
          cur,
          "effectiveFrom",
          `in force at the same time as record "${prev.id}" (same provider, model, region, currency and kind): ` +
            `${cur.effectiveFrom ?? "unknown start"} is before its end ${prev.effectiveTo ?? "(none)"}`,
        );
      }
    }
  }
}

// ─── Overrides ──────────────────────────────────────────────────────────────────────────────────────────────────────

const DATE_ONLY = /^\d{4}-\d{2}(-\d{2})?$/;

/**
 * A user's date → ISO UTC. `YYYY-MM` and `YYYY-MM-DD` are 00:00 of that month's first day / that day at `offset`
 * (the provider's home offset); datetimes must carry `Z` or an offset.
 */
export function normalizeDateInput(
  input: string | Date,
  offset: string,
): { iso: string; precision: "datetime" | "day" | "month" } {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) throw new RangeError("invalid date");
    return { iso: input.toISOString().replace(".000Z", "Z"), precision: "datetime" };
  }
  let text = input;
  let precision: "datetime" | "day" | "month" = "datetime";
  if (DATE_ONLY.test(input)) {
    precision = input.length === 7 ? "month" : "day";
    text = `${input.length === 7 ? `${input}-01` : input}T00:00:00${offset}`;
  }
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new RangeError(`invalid date ${JSON.stringify(input)}`);
  return { iso: new Date(t).toISOString().replace(".000Z", "Z"), precision };
}

const OverridesSchema = z.array(PriceOverrideSchema);

/**
 * Adds the user's price overrides ({@link PriceOverride}[], e.g. the `prices:` list of a config; validated here) to a
 * catalog. `source` names where they come
 * from in error messages and in each record's `source_url`. A bad override throws a {@link CatalogError} naming the
 * source, the override (its id or `prices[i]`) and the field. Pure: returns a new catalog.
 *
 * Defaults: region from the currency (CNY → cn, USD → intl); cache, reasoning and per-request prices null (unknown);
 * with `perHour`, token prices 0 (the caller bills wall time); no dates = in force at all times.
 */
export function mergeOverrides(catalog: Catalog, overrides: unknown, source = "price overrides"): Catalog {
  if (overrides === undefined || overrides === null) return catalog;
  const parsed = parseWith(OverridesSchema, overrides, source, null, "prices");
  const records = parsed.map((o, i): PriceRecord => {
    const id = o.id ?? `override:${o.provider}/${o.model}#${i}`;
    const offset = catalog.providers[o.provider]?.dateOffset ?? "+00:00";
    const date = (value: string | Date | undefined, field: string) => {
      if (value === undefined) return { iso: null, precision: "unknown" as const };
      try {
        return normalizeDateInput(value, offset);
      } catch (error) {
        throw new CatalogError(`${source}: record "${id}": ${field}: ${(error as Error).message}`, {
          file: source,
          recordId: id,
          field,
        });
      }
    };
    const from = date(o.effectiveFrom, "effectiveFrom");
    const to = date(o.effectiveTo, "effectiveTo");
    const perHour = o.perHour ?? null;
    const input = o.input ?? (perHour !== null ? 0 : null);
    const cachedInput = o.cachedInput ?? null;
    const output = o.output ?? (perHour !== null ? 0 : null);
    const offPeak: OffPeakWindow[] = (o.offPeak ?? []).map((w) => ({
      fromUTC: w.fromUTC,
      toUTC: w.toUTC,
      multiplier: w.multiplier ?? null,
      prices: w.prices
        ? {
            input: w.prices.input === undefined ? input : w.prices.input,
            cachedInput: w.prices.cachedInput === undefined ? cachedInput : w.prices.cachedInput,
            output: w.prices.output === undefined ? output : w.prices.output,
            ...(w.prices.cacheWrite !== undefined ? { cacheWrite: w.prices.cacheWrite } : {}),
            ...(w.prices.reasoningOutput !== undefined ? { reasoningOutput: w.prices.reasoningOutput } : {}),
          }
        : null,
      sourceId: null,
      verified: true,
      source_url: o.source_url ?? source,
      source_quote: o.source_quote ?? "",
      notes: "",
    }));
    return {
      id,
      model: o.model,
      aliases: o.aliases ?? [],
      displayName: o.model,
      vendor: "",
      seller: o.provider,
      provider: o.provider,
      region: o.region ?? (o.currency === "CNY" ? "cn" : "intl"),
      currency: o.currency,
      priceKind: "list",
      input,
      cachedInput,
      cacheWrite: o.cacheWrite ?? null,
      cacheWrite1h: o.cacheWrite1h ?? null,
      output,
      reasoningOutput: o.reasoningOutput ?? null,
      reasoningOutputAppliesTo: o.reasoningOutputAppliesTo ?? "reasoning_tokens",
      perRequest: o.perRequest ?? null,
      perHour,
      unreportedCacheIsZero: o.unreportedCacheIsZero ?? o.provider === "anthropic",
      effectiveFrom: from.iso,
      effectiveFromPrecision: from.precision,
      effectiveTo: to.iso,
      effectiveToPrecision: to.precision,
      offPeak,
      contextTiers: (o.contextTiers ?? []).map((t) => ({
        aboveTokens: t.aboveTokens,
        appliesTo: t.appliesTo ?? "whole_request",
        input: t.input,
        cachedInput: t.cachedInput ?? null,
        cacheWrite: t.cacheWrite ?? null,
        output: t.output,
        reasoningOutput: t.reasoningOutput ?? null,
      })),
      verified: true,
      source_kind: "override",
      source_url: o.source_url ?? source,
      source_quote: o.source_quote ?? "",
      notes: o.notes ?? "",
      derivedFrom: [],
      normalization: [],
      origin: "override",
    };
  });
  checkRecords(records, source);
  return { ...catalog, prices: [...catalog.prices, ...records] };
}

/** The catalog with a run's own prices (config `prices:`) merged over it, as every view of the run prices it. */
export function withRunPrices(catalog: Catalog, spec: { prices?: unknown[] } | null): Catalog {
  return spec?.prices?.length ? mergeOverrides(catalog, spec.prices, "config prices") : catalog;
}

// ─── Lookup ─────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface PriceQuery {
  /** Arbiter provider name (deepseek, qwen, openai, …). Omitted: any provider. */
  provider?: string;
  /** API model id or alias (case-insensitive). */
  model: string;
  /** When the call was made. */
  at: Date;
  /** Hard filter: only this price list. */
  region?: Region;
  /** Preference: a record in this currency when there is one. */
  currency?: Currency;
  /** Price kinds to consider; default `["list"]`. */
  kinds?: readonly PriceKind[];
}

/** An override's model `*`: every model of its provider (one machine's price per hour, whatever it runs). */
export const ANY_MODEL = "*";

function isAnyModel(record: PriceRecord): boolean {
  return record.origin === "override" && record.model === ANY_MODEL;
}

function matchesModel(record: PriceRecord, model: string): boolean {
  const m = model.toLowerCase();
  return isAnyModel(record) || record.model.toLowerCase() === m || record.aliases.some((a) => a.toLowerCase() === m);
}

const KIND_ORDER: Record<PriceKind, number> = { list: 0, converted: 1, reference: 2 };

/** The record in force at `query.at` for the model (see the module comment for the order), or null. */
export function findPrice(catalog: Catalog, query: PriceQuery): PriceRecord | null {
  if (Number.isNaN(query.at.getTime())) throw new RangeError("findPrice: invalid date");
  const kinds = query.kinds ?? ["list"];
  const provider = query.provider?.toLowerCase();
  const candidates = catalog.prices.filter(
    (r) =>
      (provider === undefined || r.provider === provider) &&
      matchesModel(r, query.model) &&
      kinds.includes(r.priceKind) &&
      (query.region === undefined || r.region === query.region) &&
      isInForce(r, query.at),
  );
  if (candidates.length === 0) return null;
  const rank = (r: PriceRecord): number[] => [
    r.origin === "override" ? 0 : 1,
    // A price for the model itself beats one for every model of the provider.
    isAnyModel(r) ? 1 : 0,
    query.currency === undefined || r.currency === query.currency ? 0 : 1,
    query.currency !== undefined || r.region === (catalog.providers[r.provider]?.homeRegion ?? "intl") ? 0 : 1,
    KIND_ORDER[r.priceKind],
    -startOf(r),
  ];
  let best = candidates[0] as PriceRecord;
  let bestRank = rank(best);
  for (const r of candidates.slice(1)) {
    const k = rank(r);
    const cmp = compareRanks(k, bestRank) || r.id.localeCompare(best.id);
    if (cmp < 0) {
      best = r;
      bestRank = k;
    }
  }
  return best;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Every record of a model (id or alias, any kind and origin), oldest first: by effectiveFrom (unknown starts
 * first), then provider, region, currency and id.
 */
export function priceHistory(
  catalog: Catalog,
  model: string,
  filter: { provider?: string; region?: Region; currency?: Currency } = {},
): PriceRecord[] {
  return catalog.prices
    .filter(
      (r) =>
        matchesModel(r, model) &&
        (filter.provider === undefined || r.provider === filter.provider.toLowerCase()) &&
        (filter.region === undefined || r.region === filter.region) &&
        (filter.currency === undefined || r.currency === filter.currency),
    )
    .sort(
      (a, b) =>
        cmp(startOf(a), startOf(b)) ||
        a.provider.localeCompare(b.provider) ||
        a.region.localeCompare(b.region) ||
        a.currency.localeCompare(b.currency) ||
        a.id.localeCompare(b.id),
    );
}
