/**
 * What one API call cost, exactly as the vendor bills it: Usage × the price record in force, at the call's time.
 *
 * Arithmetic is exact: prices and token counts are turned into integers scaled by a power of ten (bigint), every
 * component is `tokens × price ÷ 1,000,000` with no rounding, and numbers are produced once at the end from the
 * exact decimal (the nearest double to it). 1,234 tokens at ¥2/M is exactly ¥0.002468; `totalExact` keeps the
 * digits for summing many calls without float drift (`addExact`).
 *
 * Usage semantics (src/core/types.ts): inputTokens INCLUDES cache hits and cache writes; outputTokens INCLUDES
 * reasoning tokens; null = the vendor did not say. The bill is unknown (null, never 0) when:
 * - inputTokens or outputTokens is null;
 * - cachedInputTokens is null on a record with a cache-hit price (vendors that cache automatically — DeepSeek,
 *   OpenAI, Qwen — could have served part of the prompt from the cache, at a different price), unless the record
 *   says a missing count is 0 (`unreportedCacheIsZero`: Anthropic omits the cache fields when the request used no
 *   cache_control). On a record with no cache-hit price a missing count is 0 (nothing to split);
 * - a component has tokens but its price is null (cache hits on a record without a cache-hit price, cache writes
 *   without a write price, output of a record whose output price was never found…);
 * - the record prices reasoning differently and the split is unknown (reasoningTokens null and the caller did not
 *   say whether the request reasoned);
 * - the counts contradict each other (hits + writes > input, reasoning > output).
 * cacheWriteTokens null is 0: cache writes only happen when the request asks for them (Anthropic, DashScope explicit
 * cache) and vendors that do not bill writes do not report them.
 */
import type { Usage } from "../core/types.js";
import type { ContextTier, Currency, OffPeakWindow, PriceRecord } from "./schema.js";

// ─── Exact decimals ─────────────────────────────────────────────────────────────────────────────────────────────────

/** An exact decimal: value = m ÷ 10^s. */
export interface Decimal {
  readonly m: bigint;
  readonly s: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The exact decimal a number prints as (`0.135` → 135 ÷ 10³, `1.4e-8` → 14 ÷ 10⁹), or a decimal string. */
export function decimal(value: number | string): Decimal {
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = DECIMAL_TEXT.exec(text);
  const intPart = match?.[2] ?? "";
  const fracPart = match?.[3] ?? "";
  if (!match || intPart + fracPart === "") throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  let m = BigInt(`${match[1] === "-" ? "-" : ""}${intPart}${fracPart}` || "0");
  let s = fracPart.length - Number(match[4] ?? 0);
  if (s < 0) {
    m *= 10n ** BigInt(-s);
    s = 0;
  }
  return { m, s };
}

function align(a: Decimal, s: number): bigint {
  return a.m * 10n ** BigInt(s - a.s);
}

export function decimalAdd(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.s, b.s);
  return { m: align(a, s) + align(b, s), s };
}

export function decimalMul(a: Decimal, b: Decimal): Decimal {
  return { m: a.m * b.m, s: a.s + b.s };
}

/** The shortest exact decimal string: `0.002468`, `12`, `-0.5`. */
export function decimalToString(a: Decimal): string {
  if (a.m === 0n) return "0";
  const negative = a.m < 0n;
  const digits = (negative ? -a.m : a.m).toString().padStart(a.s + 1, "0");
  const intPart = digits.slice(0, digits.length - a.s);
  const fracPart = digits.slice(digits.length - a.s).replace(/0+$/, "");
  return `${negative ? "-" : ""}${intPart}${fracPart ? `.${fracPart}` : ""}`;
}

/** The nearest double to the exact value. */
export function decimalToNumber(a: Decimal): number {
  return Number(decimalToString(a));
}

/** Exact sum of two decimal strings (e.g. `CallCost.totalExact` of many calls). */
export function addExact(a: string, b: string): string {
  return decimalToString(decimalAdd(decimal(a), decimal(b)));
}

const ZERO: Decimal = { m: 0n, s: 0 };

/** tokens × price-per-1M ÷ 1,000,000, exactly. */
function perMillion(tokens: number, price: Decimal): Decimal {
  return { m: price.m * BigInt(tokens), s: price.s + 6 };
}

// ─── Cost of a call ─────────────────────────────────────────────────────────────────────────────────────────────────

export interface CostBreakdown {
  /** Input tokens that were neither cache hits nor cache writes. */
  input: number;
  cachedInput: number;
  cacheWrite: number;
  /** Output tokens other than reasoning tokens when `reasoning` is present; all output otherwise. */
  output: number;
  /** Reasoning tokens, present only when the record prices reasoning apart from output. */
  reasoning?: number;
  perRequest: number;
}

export interface CallCost {
  /** The record's (the vendor's billing) currency. */
  currency: Currency;
  total: number;
  /** The total as an exact decimal string. */
  totalExact: string;
  breakdown: CostBreakdown;
  /** An off-peak window applied. */
  offPeak: boolean;
  /** The context tier that applied, e.g. `input > 128000 tokens`. */
  tier?: string;
  /** The price record used. */
  priceId: string;
  /** The record (and the off-peak window, when one applied) are verified. */
  verified: boolean;
  /** Self-hosted / rented hardware: the record's price per hour, to add for the wall time (see costOfWallTime). */
  perHour?: number;
}

export interface CostOptions {
  /**
   * The part of `usage.cacheWriteTokens` written with a 1-hour TTL (Anthropic's
   * `cache_creation.ephemeral_1h_input_tokens`, see `anthropicCacheWriteBreakdown`). Default 0: every write is a
   * 5-minute write (Arbiter's requests never ask for the 1-hour TTL). Null: the split is unknown.
   */
  cacheWrite1hTokens?: number | null;
  /**
   * Whether the request ran in reasoning / thinking mode, for records that price it apart when the usage does not
   * say (`reasoningTokens` null). Undefined: unknown.
   */
  reasoning?: boolean;
}

interface Rates {
  input: Decimal | null;
  cachedInput: Decimal | null;
  cacheWrite: Decimal | null;
  cacheWrite1h: Decimal | null;
  output: Decimal | null;
  reasoningOutput: Decimal | null;
}

const dec = (n: number | null | undefined): Decimal | null => (n === null || n === undefined ? null : decimal(n));

function isCount(n: number | null): n is number {
  return n !== null && Number.isSafeInteger(n) && n >= 0;
}

function minutesToMs(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return (h * 60 + m) * 60_000;
}

/** Whether `at` (by its UTC time of day) falls in the window: start inclusive, end exclusive, wrapping midnight. */
export function inOffPeakWindow(window: Pick<OffPeakWindow, "fromUTC" | "toUTC">, at: Date): boolean {
  const t = at.getTime();
  const day = 86_400_000;
  const timeOfDay = ((t % day) + day) % day;
  const from = minutesToMs(window.fromUTC);
  const to = minutesToMs(window.toUTC);
  return from < to ? timeOfDay >= from && timeOfDay < to : timeOfDay >= from || timeOfDay < to;
}

/** The off-peak window of `price` in force at `at`, if any. */
export function activeOffPeakWindow(price: PriceRecord, at: Date): OffPeakWindow | null {
  return price.offPeak.find((w) => inOffPeakWindow(w, at)) ?? null;
}

function scale(rates: Rates, k: Decimal): Rates {
  const f = (d: Decimal | null) => (d === null ? null : decimalMul(d, k));
  return {
    input: f(rates.input),
    cachedInput: f(rates.cachedInput),
    cacheWrite: f(rates.cacheWrite),
    cacheWrite1h: f(rates.cacheWrite1h),
    output: f(rates.output),
    reasoningOutput: f(rates.reasoningOutput),
  };
}

/**
 * The cost of one call made at `at` with `usage`, priced with `price` (normally `findPrice(catalog, {…, at})`), in
 * the record's currency; null when the bill cannot be known exactly (see the module comment). `at` selects the
 * off-peak window (by UTC time of day); the record's own validity dates are findPrice's business.
 */
export function costOfCall(usage: Usage, price: PriceRecord, at: Date, options: CostOptions = {}): CallCost | null {
  if (Number.isNaN(at.getTime())) throw new RangeError("costOfCall: invalid date");
  const { inputTokens, outputTokens } = usage;
  if (!isCount(inputTokens) || !isCount(outputTokens)) return null;

  // Prices: base → context tier → off-peak window.
  const base: Rates = {
    input: dec(price.input),
    cachedInput: dec(price.cachedInput),
    cacheWrite: dec(price.cacheWrite),
    cacheWrite1h: dec(price.cacheWrite1h),
    output: dec(price.output),
    reasoningOutput: dec(price.reasoningOutput),
  };
  const reached: ContextTier[] = price.contextTiers.filter((t) => inputTokens > t.aboveTokens);
  const top = reached[reached.length - 1];
  let rates: Rates = base;
  /** Input bands for tokens_above tiers: [from token position, price]. */
  let bands: { above: number; price: Decimal | null }[] | null = null;
  let tierLabel: string | undefined;
  if (top) {
    const tierRates = (t: ContextTier): Rates => ({
      input: dec(t.input),
      cachedInput: dec(t.cachedInput),
      cacheWrite: dec(t.cacheWrite),
      cacheWrite1h: null,
      output: dec(t.output),
      reasoningOutput: dec(t.reasoningOutput),
    });
    if (top.appliesTo === "whole_request") {
      rates = tierRates(top);
      tierLabel = `input > ${top.aboveTokens} tokens`;
    } else {
      const t = tierRates(top);
      rates = { ...base, output: t.output, reasoningOutput: t.reasoningOutput };
      bands = [{ above: 0, price: base.input }, ...reached.map((r) => ({ above: r.aboveTokens, price: dec(r.input) }))];
      tierLabel = `input above ${top.aboveTokens} tokens`;
    }
  }
  const window = activeOffPeakWindow(price, at);
  if (window) {
    if (window.multiplier !== null) {
      const k = decimal(window.multiplier);
      rates = scale(rates, k);
      if (bands)
        bands = bands.map((b) => ({ above: b.above, price: b.price === null ? null : decimalMul(b.price, k) }));
    } else if (window.prices) {
      // Explicit off-peak prices are for the base tier; how they combine with a context tier is not known.
      if (top) return null;
      const p = window.prices;
      rates = {
        ...rates,
        input: dec(p.input),
        cachedInput: dec(p.cachedInput),
        output: dec(p.output),
        ...(p.cacheWrite !== undefined ? { cacheWrite: dec(p.cacheWrite) } : {}),
        ...(p.reasoningOutput !== undefined ? { reasoningOutput: dec(p.reasoningOutput) } : {}),
      };
    }
  }

  // Input: cache hits, cache writes (5-minute and 1-hour), the rest.
  let cached = usage.cachedInputTokens;
  if (cached === null) {
    if (rates.cachedInput !== null && !price.unreportedCacheIsZero && inputTokens > 0) return null;
    cached = 0;
  }
  if (!isCount(cached)) return null;
  const write = usage.cacheWriteTokens ?? 0;
  if (!isCount(write)) return null;
  let write1h = options.cacheWrite1hTokens === undefined ? 0 : options.cacheWrite1hTokens;
  if (write1h === null) {
    if (write > 0) return null;
    write1h = 0;
  }
  if (!isCount(write1h) || write1h > write) return null;
  const write5m = write - write1h;
  if (cached + write > inputTokens) return null;
  const uncached = inputTokens - cached - write;

  const component = (tokens: number, rate: Decimal | null): Decimal | null =>
    tokens === 0 ? ZERO : rate === null ? null : perMillion(tokens, rate);

  let inputCost: Decimal | null;
  if (bands) {
    inputCost = ZERO;
    const prefix = cached + write;
    for (let i = 0; i < bands.length; i++) {
      const band = bands[i] as { above: number; price: Decimal | null };
      const next = bands[i + 1];
      const hi = next ? Math.min(next.above, inputTokens) : inputTokens;
      const n = Math.max(0, hi - Math.max(band.above, prefix));
      const c = component(n, band.price);
      if (c === null) return null;
      inputCost = decimalAdd(inputCost, c);
    }
  } else {
    inputCost = component(uncached, rates.input);
  }
  const cachedCost = component(cached, rates.cachedInput);
  const write5mCost = component(write5m, rates.cacheWrite);
  const write1hCost = component(write1h, rates.cacheWrite1h);
  if (inputCost === null || cachedCost === null || write5mCost === null || write1hCost === null) return null;
  const writeCost = decimalAdd(write5mCost, write1hCost);

  // Output and reasoning.
  const reasoningTokens = usage.reasoningTokens;
  if (reasoningTokens !== null && (!isCount(reasoningTokens) || reasoningTokens > outputTokens)) return null;
  let outputCost: Decimal | null;
  let reasoningCost: Decimal | null | undefined;
  if (rates.reasoningOutput === null) {
    // No distinct reasoning price: reasoning tokens are billed as output.
    outputCost = component(outputTokens, rates.output);
  } else if (reasoningTokens === null) {
    if (options.reasoning === false || outputTokens === 0) {
      outputCost = component(outputTokens, rates.output);
      reasoningCost = ZERO;
    } else if (options.reasoning === true && price.reasoningOutputAppliesTo === "all_output_when_reasoning") {
      outputCost = component(outputTokens, rates.reasoningOutput);
      reasoningCost = ZERO;
    } else {
      return null;
    }
  } else {
    const reasoned = reasoningTokens > 0 || options.reasoning === true;
    const answerRate =
      price.reasoningOutputAppliesTo === "all_output_when_reasoning" && reasoned ? rates.reasoningOutput : rates.output;
    outputCost = component(outputTokens - reasoningTokens, answerRate);
    reasoningCost = component(reasoningTokens, rates.reasoningOutput);
  }
  if (outputCost === null || reasoningCost === null) return null;

  const perRequest = price.perRequest === null ? ZERO : decimal(price.perRequest);
  let total = [inputCost, cachedCost, writeCost, outputCost, perRequest].reduce(decimalAdd);
  if (reasoningCost !== undefined) total = decimalAdd(total, reasoningCost);

  const cost: CallCost = {
    currency: price.currency,
    total: decimalToNumber(total),
    totalExact: decimalToString(total),
    breakdown: {
      input: decimalToNumber(inputCost),
      cachedInput: decimalToNumber(cachedCost),
      cacheWrite: decimalToNumber(writeCost),
      output: decimalToNumber(outputCost),
      ...(reasoningCost !== undefined ? { reasoning: decimalToNumber(reasoningCost) } : {}),
      perRequest: decimalToNumber(perRequest),
    },
    offPeak: window !== null,
    priceId: price.id,
    verified: price.verified && (window === null || window.verified),
  };
  if (tierLabel !== undefined) cost.tier = tierLabel;
  if (price.perHour !== null) cost.perHour = price.perHour;
  return cost;
}

/**
 * The hardware cost of `wallMs` milliseconds on a per-hour record (self-hosted or rented GPUs), in the record's
 * currency; null when the record has no per-hour price. Divide it among the calls that shared the hardware as the
 * report sees fit (by calls, by tokens…).
 */
export function costOfWallTime(price: PriceRecord, wallMs: number): { currency: Currency; total: number } | null {
  if (price.perHour === null) return null;
  if (!Number.isFinite(wallMs) || wallMs < 0) throw new RangeError(`costOfWallTime: bad duration ${wallMs}`);
  return { currency: price.currency, total: (price.perHour * wallMs) / 3_600_000 };
}
