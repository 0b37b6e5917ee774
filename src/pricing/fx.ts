/**
 * USD ↔ CNY at the rate of the call's month: the monthly average (Fed G.5 / FRED EXCHUS) for the calendar month, in
 * UTC, of the call. When that month is not in fx.json, the nearest earlier month is used and the result says so
 * (`stale: true`, `period` = the month used); before the first month there is no rate (null).
 *
 * Use this for a user's currency only. When a vendor publishes both a USD and a CNY list (DeepSeek, Alibaba), the
 * two are set separately and are not an FX conversion of each other: price the call with the record of the currency
 * it was billed in (findPrice's `currency`/`region`) rather than converting.
 *
 * Exactness: USD → CNY multiplies exactly (decimal); CNY → USD divides exactly and rounds half up to 12 decimal
 * places (10⁻¹² USD). Rates are the published monthly averages, not the rate of the vendor's own settlement.
 */
import {
  type CallCost,
  type CostBreakdown,
  type Decimal,
  decimal,
  decimalMul,
  decimalToNumber,
  decimalToString,
} from "./cost.js";
import type { Currency, FxRate, FxTable } from "./schema.js";

export interface FxConversion {
  amount: number;
  from: Currency;
  to: Currency;
  /** Units of `to` per 1 `from` (1 when from = to). */
  rate: number;
  /** CNY per 1 USD as published, null when from = to. */
  cnyPerUsd: number | null;
  /** The month of the call (UTC), `YYYY-MM`. */
  callPeriod: string;
  /** The month whose rate was used; null when from = to. */
  period: string | null;
  /** True when the call's month has no rate and an earlier month's was used. */
  stale: boolean;
  /** The fx.json record used. */
  rateId: string | null;
}

const QUOTIENT_PLACES = 12;

/** USD → CNY: exact product; CNY → USD: exact quotient rounded half up (away from zero) to 12 decimal places. */
function convertDecimal(amount: Decimal, from: Currency, cnyPerUsd: number): Decimal {
  const rate = decimal(cnyPerUsd);
  if (from === "USD") return decimalMul(amount, rate);
  const numerator = amount.m * 10n ** BigInt(rate.s + QUOTIENT_PLACES);
  const denominator = rate.m * 10n ** BigInt(amount.s);
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  if ((n % denominator) * 2n >= denominator) q += 1n;
  return { m: negative ? -q : q, s: QUOTIENT_PLACES };
}

/** `YYYY-MM` of a date, in UTC. */
export function monthOf(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError("invalid date");
  return at.toISOString().slice(0, 7);
}

/** The rate for the call's month, or the nearest earlier month's (stale), or null before the first month. */
export function rateFor(at: Date, fx: FxTable): { rate: FxRate; stale: boolean } | null {
  const month = monthOf(at);
  let best: FxRate | null = null;
  for (const r of fx.rates) {
    if (r.period <= month && (best === null || r.period > best.period)) best = r;
  }
  return best === null ? null : { rate: best, stale: best.period !== month };
}

/**
 * Converts `amount` from one currency to the other at the rate of `at`'s month (see the module comment); null when
 * there is no rate for that month or any earlier one.
 */
export function convert(amount: number, from: Currency, to: Currency, at: Date, fx: FxTable): FxConversion | null {
  const callPeriod = monthOf(at);
  if (from === to) {
    return { amount, from, to, rate: 1, cnyPerUsd: null, callPeriod, period: null, stale: false, rateId: null };
  }
  const found = rateFor(at, fx);
  if (found === null) return null;
  const cnyPerUsd = found.rate.cnyPerUsd;
  const converted = decimalToNumber(convertDecimal(decimal(amount), from, cnyPerUsd));
  const rate = from === "USD" ? cnyPerUsd : 1 / cnyPerUsd;
  return {
    amount: converted,
    from,
    to,
    rate,
    cnyPerUsd,
    callPeriod,
    period: found.rate.period,
    stale: found.stale,
    rateId: found.rate.id,
  };
}

export interface ConvertedCallCost extends CallCost {
  /** How the vendor's bill was converted. */
  fx: Omit<FxConversion, "amount">;
  /** The bill in the vendor's currency. */
  original: { currency: Currency; total: number; totalExact: string };
}

/**
 * A call's cost in another currency: the total and every component converted at the rate of `at`'s month. Null when
 * there is no rate. (Components are converted one by one, so their sum can differ from the total in the last digit.)
 */
export function convertCost(cost: CallCost, to: Currency, at: Date, fx: FxTable): ConvertedCallCost | null {
  const total = convert(cost.total, cost.currency, to, at, fx);
  if (total === null) return null;
  const { amount: _amount, ...info } = total;
  const c = (n: number) => (convert(n, cost.currency, to, at, fx) as FxConversion).amount;
  const breakdown: CostBreakdown = {
    input: c(cost.breakdown.input),
    cachedInput: c(cost.breakdown.cachedInput),
    cacheWrite: c(cost.breakdown.cacheWrite),
    output: c(cost.breakdown.output),
    ...(cost.breakdown.reasoning !== undefined ? { reasoning: c(cost.breakdown.reasoning) } : {}),
    perRequest: c(cost.breakdown.perRequest),
  };
  const totalExact =
    cost.currency === to
      ? cost.totalExact
      : decimalToString(convertDecimal(decimal(cost.totalExact), cost.currency, info.cnyPerUsd as number));
  return {
    ...cost,
    currency: to,
    total: Number(totalExact),
    totalExact,
    breakdown,
    fx: info,
    original: { currency: cost.currency, total: cost.total, totalExact: cost.totalExact },
  };
}
