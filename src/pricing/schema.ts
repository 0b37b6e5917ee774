/**
 * The price catalog's files (data/catalog/prices.json, fx.json, models.json) and user price overrides, as zod
 * schemas, and the types Arbiter's pricing code works with. See data/catalog/README.md for where every field comes
 * from. Prices are per 1M tokens in the record's currency; `null` means "not known" (never 0: a free model says 0).
 *
 * A malformed file or override fails with a {@link CatalogError} whose message names the file, the record id and
 * the field, e.g. `data/catalog/prices.json: record "deepseek-r1-usd": offPeak[0].fromUTC: expected "HH:MM" …`.
 */
import { z } from "zod";
import { ConfigError } from "../config/errors.js";

export const CURRENCIES = ["USD", "CNY"] as const;
export const CurrencySchema = z.enum(CURRENCIES);
export type Currency = z.infer<typeof CurrencySchema>;

/** `cn`: the mainland-China price list (billed in CNY); `intl`: the international list (billed in USD). */
export const RegionSchema = z.enum(["cn", "intl"]);
export type Region = z.infer<typeof RegionSchema>;

/**
 * `list`: the seller's own price in the currency it bills. `converted`: a third party's currency conversion of a list
 * price (not what the vendor bills). `reference`: a third-party quote whose snapshot or host is not known.
 * {@link findPrice} uses only `list` records unless asked otherwise.
 */
export const PriceKindSchema = z.enum(["list", "converted", "reference"]);
export type PriceKind = z.infer<typeof PriceKindSchema>;

/**
 * How precise an effective date is: `datetime` (published with a time), `day` / `month` (a date, read as 00:00 of that
 * day / of the month's first day in the provider's `dateOffset`), `first_seen` (the date the price was first seen in
 * a source; the real change was earlier), `unknown` (the date is null).
 */
export const DatePrecisionSchema = z.enum(["datetime", "day", "month", "first_seen", "unknown"]);
export type DatePrecision = z.infer<typeof DatePrecisionSchema>;

/** A price per 1M tokens (or per request / per hour): a finite number ≥ 0. */
const Price = z.number({ error: "expected a price (a number ≥ 0)" }).finite().nonnegative();
const NullablePrice = Price.nullable();

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
/** An ISO 8601 datetime in UTC (`2025-02-08T16:00:00Z`). */
export const IsoUtcSchema = z
  .string({ error: "expected an ISO datetime in UTC, e.g. 2025-02-08T16:00:00Z" })
  .regex(ISO_UTC, { error: "expected an ISO datetime in UTC, e.g. 2025-02-08T16:00:00Z" })
  .refine((s) => !Number.isNaN(Date.parse(s)), { error: "not a valid date" });

/** A time of day in UTC, `HH:MM` (00:00–23:59). */
const HhMm = z
  .string({ error: 'expected "HH:MM" (UTC)' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected "HH:MM" (UTC), 00:00 to 23:59' });

const Text = z.string();
const Count = z.number().int().nonnegative();

export const OffPeakPricesSchema = z.strictObject({
  input: NullablePrice,
  cachedInput: NullablePrice,
  output: NullablePrice,
  cacheWrite: NullablePrice.optional(),
  reasoningOutput: NullablePrice.optional(),
});

/**
 * A daily discount window by the call's UTC time: start inclusive, end exclusive; a window may wrap midnight
 * (`16:30`–`00:30`). Either a `multiplier` of every price, or explicit `prices` (fields left out keep the standard
 * price).
 */
export const OffPeakWindowSchema = z
  .strictObject({
    fromUTC: HhMm,
    toUTC: HhMm,
    multiplier: z.number().positive().nullable(),
    prices: OffPeakPricesSchema.nullable(),
    sourceId: Text.nullable(),
    verified: z.boolean(),
    source_url: Text,
    source_quote: Text,
    notes: Text,
  })
  .superRefine((w, ctx) => {
    if (w.fromUTC === w.toUTC) {
      ctx.addIssue({ code: "custom", path: ["toUTC"], message: "a window must not start and end at the same time" });
    }
    if ((w.multiplier === null) === (w.prices === null)) {
      ctx.addIssue({ code: "custom", path: ["multiplier"], message: "give exactly one of multiplier and prices" });
    }
  });
export type OffPeakWindow = z.infer<typeof OffPeakWindowSchema>;

/**
 * A context-length tier: applies when the request's input tokens (cached ones included) exceed `aboveTokens`.
 * `whole_request`: every token of the request is billed at the tier's prices (Alibaba's tiers). `tokens_above`: only
 * the input tokens beyond the threshold are billed at the tier's input price (cache hits and writes, the prompt's
 * prefix, stay at the base prices); output is billed at the highest reached tier's output price.
 */
export const ContextTierSchema = z.strictObject({
  aboveTokens: Count,
  appliesTo: z.enum(["whole_request", "tokens_above"]),
  input: NullablePrice,
  cachedInput: NullablePrice,
  cacheWrite: NullablePrice,
  output: NullablePrice,
  reasoningOutput: NullablePrice,
});
export type ContextTier = z.infer<typeof ContextTierSchema>;

export const ReasoningScopeSchema = z.enum(["reasoning_tokens", "all_output_when_reasoning"]);

export const PriceRecordSchema = z.strictObject({
  id: Text.min(1),
  /** The API model id. */
  model: Text.min(1),
  /** Other API ids of the same model at the same price (snapshots, moving aliases). Matched case-insensitively. */
  aliases: z.array(Text.min(1)),
  displayName: Text,
  /** Who made the model. */
  vendor: Text,
  /** Who sells the API, as the source names it. */
  seller: Text,
  /** Who sells the API, as an Arbiter provider name (deepseek, qwen, openai, together, …). */
  provider: Text.regex(/^[a-z0-9][a-z0-9_-]*$/, { error: "expected a lowercase provider name" }),
  region: RegionSchema,
  currency: CurrencySchema,
  priceKind: PriceKindSchema,
  /** Input tokens that are neither cache hits nor cache writes (a cache miss). */
  input: NullablePrice,
  /** Cache hits. Null: no cache-hit price is known (a call with hits cannot be priced). */
  cachedInput: NullablePrice,
  /** Cache writes (Anthropic: the 5-minute write). */
  cacheWrite: NullablePrice,
  /** Anthropic 1-hour cache writes. */
  cacheWrite1h: NullablePrice,
  output: NullablePrice,
  /** Null: reasoning tokens are billed as output. */
  reasoningOutput: NullablePrice,
  /**
   * `reasoning_tokens`: only reasoning tokens are billed at `reasoningOutput`. `all_output_when_reasoning`: a request
   * that reasoned pays `reasoningOutput` for all its output (Alibaba's thinking-mode output price).
   */
  reasoningOutputAppliesTo: ReasoningScopeSchema,
  perRequest: NullablePrice,
  /** Self-hosted or rented hardware: cost per hour of wall time, computed by the caller (see `costOfWallTime`). */
  perHour: NullablePrice,
  /** True when the vendor omits cache counts that are zero (Anthropic): a missing count is then 0, not unknown. */
  unreportedCacheIsZero: z.boolean(),
  /** In force from (inclusive). Null: start unknown — treated as in force from the beginning of time. */
  effectiveFrom: IsoUtcSchema.nullable(),
  effectiveFromPrecision: DatePrecisionSchema,
  /** In force until (exclusive). Null: no end known. */
  effectiveTo: IsoUtcSchema.nullable(),
  effectiveToPrecision: DatePrecisionSchema,
  offPeak: z.array(OffPeakWindowSchema),
  contextTiers: z.array(ContextTierSchema),
  verified: z.boolean(),
  source_kind: Text,
  source_url: Text.min(1),
  source_quote: Text,
  notes: Text,
  /** The shared-catalog records (or override entries) this record was built from. */
  derivedFrom: z.array(Text),
  /** What the build (or override parsing) changed, with reasons. */
  normalization: z.array(Text),
  origin: z.enum(["catalog", "override"]),
});
export type PriceRecord = z.infer<typeof PriceRecordSchema>;

/** The price-per-hour shape of a self-hosted model (tokens are then free; the caller bills wall time). */
export type PerHourPrice = PriceRecord & { perHour: number };

export const ProviderInfoSchema = z.strictObject({
  name: Text,
  homeRegion: RegionSchema,
  /** UTC offset in which the source's date-only dates are read ("+08:00" for mainland-Chinese vendors). */
  dateOffset: Text.regex(/^[+-]\d{2}:\d{2}$/, { error: 'expected a UTC offset like "+08:00"' }),
});
export type ProviderInfo = z.infer<typeof ProviderInfoSchema>;

const ProvenanceSchema = z.strictObject({
  builtBy: Text,
  builtFrom: Text,
  sourceSha256: Text,
  readme: Text,
});

export const PricesFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  unit: z.literal("per 1M tokens"),
  provenance: ProvenanceSchema,
  providers: z.record(Text, ProviderInfoSchema),
  records: z.array(PriceRecordSchema),
});
export type PricesFile = z.infer<typeof PricesFileSchema>;

export const FxRateSchema = z.strictObject({
  id: Text.min(1),
  /** The calendar month (UTC) the average covers, `YYYY-MM`. */
  period: Text.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: "expected a month, YYYY-MM" }),
  cnyPerUsd: z.number().positive(),
  kind: Text,
  verified: z.boolean(),
  source_url: Text.min(1),
  source_quote: Text,
});
export type FxRate = z.infer<typeof FxRateSchema>;

export const FxFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  provenance: ProvenanceSchema,
  pair: z.literal("USD/CNY"),
  unit: z.literal("CNY per 1 USD"),
  rates: z.array(FxRateSchema),
  /** Kept verbatim from the shared catalog, for reference only (never used to convert). */
  vendorImpliedRates: z.array(z.unknown()),
  recommendation: Text,
});
export type FxTable = z.infer<typeof FxFileSchema>;

export const ModelRecordSchema = z.strictObject({
  id: Text.min(1),
  displayName: Text,
  vendor: Text,
  releaseDate: Text.regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  openWeights: z.boolean().nullable(),
  license: Text.nullable(),
  parameters: z.record(Text, z.unknown()).nullable(),
  contextLength: Count.nullable(),
  apiContextLength: Count.nullable(),
  apiModelIds: z.array(z.strictObject({ provider: Text.nullable(), model: Text.min(1), note: Text.nullable() })),
  verified: z.boolean(),
  source_url: Text.min(1),
  source_quote: Text,
  notes: Text,
});
export type ModelRecord = z.infer<typeof ModelRecordSchema>;

export const ModelsFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  provenance: ProvenanceSchema,
  models: z.array(ModelRecordSchema),
});
export type ModelsFile = z.infer<typeof ModelsFileSchema>;

// ─── User overrides ─────────────────────────────────────────────────────────────────────────────────────────────────

const DATE_INPUT =
  /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?$/;
/**
 * A date as a user writes it: `2025-03` (month), `2025-03-01` (day; both read at 00:00 in the provider's home
 * offset, UTC for unknown providers) or a datetime with `Z` or an offset.
 */
export const DateInputSchema = z.union([
  z.date(),
  z
    .string({ error: "expected a date: YYYY-MM, YYYY-MM-DD or an ISO datetime with Z or an offset" })
    .regex(DATE_INPUT, { error: "expected a date: YYYY-MM, YYYY-MM-DD or an ISO datetime with Z or an offset" }),
]);

const OverrideOffPeakSchema = z
  .strictObject({
    fromUTC: HhMm,
    toUTC: HhMm,
    multiplier: z.number().positive().optional(),
    prices: z
      .strictObject({
        input: NullablePrice.optional(),
        cachedInput: NullablePrice.optional(),
        output: NullablePrice.optional(),
        cacheWrite: NullablePrice.optional(),
        reasoningOutput: NullablePrice.optional(),
      })
      .optional(),
  })
  .superRefine((w, ctx) => {
    if (w.fromUTC === w.toUTC) {
      ctx.addIssue({ code: "custom", path: ["toUTC"], message: "a window must not start and end at the same time" });
    }
    if ((w.multiplier === undefined) === (w.prices === undefined)) {
      ctx.addIssue({ code: "custom", path: ["multiplier"], message: "give exactly one of multiplier and prices" });
    }
  });

const OverrideTierSchema = z.strictObject({
  aboveTokens: Count,
  appliesTo: z.enum(["whole_request", "tokens_above"]).optional(),
  input: NullablePrice,
  output: NullablePrice,
  cachedInput: NullablePrice.optional(),
  cacheWrite: NullablePrice.optional(),
  reasoningOutput: NullablePrice.optional(),
});

/**
 * A price the user sets in the config (negotiated prices, a gateway's prices, self-hosted models). An override wins
 * over every catalog record of the same provider and model while it is in force. Examples (YAML):
 *
 * ```yaml
 * prices:
 *   - { provider: deepseek, model: deepseek-chat, currency: CNY, input: 1.5, cachedInput: 0.3, output: 6 }
 *   - { provider: ollama, model: "qwen2.5:7b", currency: USD, input: 0, output: 0 }        # free
 *   - { provider: vllm, model: my-llama, currency: USD, perHour: 2.4 }                     # rented GPU
 *   - { provider: llamacpp, model: "*", currency: USD, perHour: 0.35 }                     # this machine, any model
 * ```
 * `model: "*"` prices every model of the provider (an override for the model itself wins over it). A `perHour` price
 * bills each attempt's wall time (see `priceCall`); local models with no price cost 0.
 */
export const PriceOverrideSchema = z
  .strictObject({
    id: Text.min(1).optional(),
    provider: Text.regex(/^[a-z0-9][a-z0-9_-]*$/, { error: "expected a lowercase provider name (e.g. deepseek)" }),
    model: Text.min(1, { error: "expected a model id" }),
    aliases: z.array(Text.min(1)).optional(),
    region: RegionSchema.optional(),
    currency: CurrencySchema,
    input: Price.optional(),
    cachedInput: NullablePrice.optional(),
    cacheWrite: NullablePrice.optional(),
    cacheWrite1h: NullablePrice.optional(),
    output: Price.optional(),
    reasoningOutput: NullablePrice.optional(),
    reasoningOutputAppliesTo: ReasoningScopeSchema.optional(),
    perRequest: Price.optional(),
    perHour: z.number().finite().positive().optional(),
    unreportedCacheIsZero: z.boolean().optional(),
    offPeak: z.array(OverrideOffPeakSchema).optional(),
    contextTiers: z.array(OverrideTierSchema).optional(),
    effectiveFrom: DateInputSchema.optional(),
    effectiveTo: DateInputSchema.optional(),
    notes: Text.optional(),
    source_url: Text.optional(),
    source_quote: Text.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.perHour !== undefined) return;
    for (const key of ["input", "output"] as const) {
      if (o[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `missing: a price needs input and output per 1M tokens (0 for a free model), or perHour`,
        });
      }
    }
  });
export type PriceOverride = z.input<typeof PriceOverrideSchema>;

// ─── Errors ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A problem in a catalog file or in user price overrides. `file` names the file (or the config that holds the
 * overrides), `recordId` the record (its id, or `records[3]` when it has none), `field` the field path inside it.
 * A {@link ConfigError}: the CLI reports it as a user error (exit code 2).
 */
export class CatalogError extends ConfigError {
  override name = "CatalogError";
  recordId?: string;

  constructor(message: string, location: { file?: string; recordId?: string; field?: string } = {}) {
    const { recordId, ...rest } = location;
    super(message, rest);
    if (recordId !== undefined) this.recordId = recordId;
  }
}

/** A value as an error message shows it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return String(value);
}

/** `["offPeak", 0, "fromUTC"]` → `offPeak[0].fromUTC`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/**
 * Validates `raw` against `schema`; on failure throws a {@link CatalogError} naming `file`, the record and the field
 * of every problem (up to 5, one per line). `listKey` is the key of the record list (`records`, `rates`, `models`;
 * null when `raw` is itself the list); a record without an id is named `${listLabel}[index]`.
 */
export function parseWith<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  file: string,
  listKey: string | null,
  listLabel: string = listKey ?? "",
): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines: string[] = [];
  let first: { recordId?: string; field?: string } | undefined;
  for (const issue of result.error.issues.slice(0, 5)) {
    const path = issue.path;
    let recordId: string | undefined;
    let fieldPath: readonly PropertyKey[] = path;
    const listPath = listKey === null ? [] : [listKey];
    const inList = listKey === null ? typeof path[0] === "number" : path[0] === listKey && typeof path[1] === "number";
    if (inList) {
      const index = path[listPath.length] as number;
      const record = valueAt(raw, [...listPath, index]);
      const id = typeof record === "object" && record !== null ? (record as { id?: unknown }).id : undefined;
      recordId = typeof id === "string" && id !== "" ? id : `${listLabel}[${index}]`;
      fieldPath = path.slice(listPath.length + 1);
    }
    const field = formatPath(fieldPath);
    const got = valueAt(raw, path);
    const where = [`${file}:`, recordId !== undefined ? ` record "${recordId}":` : "", field ? ` ${field}:` : ""].join(
      "",
    );
    let message: string;
    if (issue.code === "unrecognized_keys") {
      message = `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    } else if (issue.code === "custom") {
      message = issue.message;
    } else if (got === undefined && issue.code === "invalid_type") {
      message = `missing (expected ${issue.expected})`;
    } else {
      message = `${issue.message}, got ${describeValue(got)}`;
    }
    lines.push(`${where} ${message}`);
    first ??= { ...(recordId !== undefined ? { recordId } : {}), ...(field ? { field } : {}) };
  }
  const more = result.error.issues.length - 5;
  if (more > 0) lines.push(`… and ${more} more problem${more > 1 ? "s" : ""}`);
  throw new CatalogError(lines.join("\n"), { file, ...first });
}
