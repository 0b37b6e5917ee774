import type { Usage } from "../core/types.js";
import type { Catalog } from "./catalog.js";
import { findPrice } from "./catalog.js";
import { addExact, costOfCall, decimal, decimalAdd, decimalToNumber, decimalToString } from "./cost.js";
import { convertCost } from "./fx.js";
import type { Currency } from "./schema.js";

/** One successful API call of a run, as much as pricing needs of it. */
export interface PricedCallRow {
  /** The group it belongs to (model label and task, as in the run summary). */
  group: string;
  provider: string;
  model: string;
  startedAt: string;
  usage: Usage;
  /** Whose call: the model under test's, or the judge's (priced apart, never re-priced as another model). */
  role?: "model" | "judge";
  /** The attempt's wall time: what a price per hour (local or rented hardware) bills. */
  latencyMs?: number | null;
}

/** Where a group's judge calls are totalled, beside the group's own cost. */
export function judgeGroup(group: string): string {
  return `${group}\u0000judge`;
}

export interface GroupCost {
  /** The reporting currency. */
  currency: Currency;
  /** What the priced calls cost, converted at each call's dated rate; null when no call could be priced. */
  total: number | null;
  totalExact: string | null;
  pricedCalls: number;
  /** Calls with no price in force or no usage: their cost is unknown, not zero, and not in `total`. */
  unpricedCalls: number;
  /** Models that had no price in the catalog at the time of their calls. */
  unpricedModels: string[];
}

/**
 * In-process models run on this machine: priced at the machine's hourly rate (a `perHour` price, usually
 * `{provider: llamacpp, model: "*"}`), 0 when none is set — a known 0, so they sit on the Pareto chart.
 */
const LOCAL_PROVIDERS = new Set(["llamacpp"]);

export function isLocalProvider(provider: string | undefined): boolean {
  return provider !== undefined && LOCAL_PROVIDERS.has(provider);
}

/**
 * One call's cost in `currency`: the price in force at `at` (off-peak and tiers included) applied to the exact usage,
 * plus, for a price per hour (local or rented hardware), that price × the attempt's wall time `wallMs`; converted at
 * that month's rate. In-process models with no price of their own cost 0. Null when there is no price, the usage
 * lacks a count the price needs, or a price per hour meets an unknown wall time.
 *
 * Wall time is the attempt's own: calls that ran at once on the same hardware each pay for the whole of their time,
 * so with concurrency above 1 the sum over-counts the machine's hours (an in-process model runs one call at a time
 * unless told otherwise).
 */
export function priceCall(
  catalog: Catalog,
  currency: Currency,
  provider: string | undefined,
  model: string,
  usage: Usage,
  at: Date,
  wallMs?: number | null,
): { total: number; exact: string } | null {
  const price = findPrice(catalog, { ...(provider === undefined ? {} : { provider }), model, at, currency });
  if (!price) return isLocalProvider(provider) ? { total: 0, exact: "0" } : null;
  const cost = costOfCall(usage, price, at);
  if (!cost) return null;
  let exact = cost.totalExact;
  if (price.perHour !== null) {
    if (wallMs === undefined || wallMs === null || !Number.isFinite(wallMs) || wallMs < 0) return null;
    // An hour is not a power of ten: the hardware share is exact only to double precision.
    const hardware = decimal((price.perHour * wallMs) / 3_600_000);
    exact = decimalToString(decimalAdd(decimal(exact), hardware));
  }
  if (cost.currency === currency) return { total: decimalToNumber(decimal(exact)), exact };
  const billed = { ...cost, total: decimalToNumber(decimal(exact)), totalExact: exact };
  const converted = convertCost(billed, currency, at, catalog.fx);
  return converted ? { total: converted.total, exact: converted.totalExact } : null;
}

/** The live cost of a run's calls, for the progress line. */
export function callPricer(
  catalog: Catalog,
  currency: Currency,
): (provider: string, model: string, usage: Usage, at: Date, wallMs?: number | null) => number | null {
  return (provider, model, usage, at, wallMs) =>
    priceCall(catalog, currency, provider, model, usage, at, wallMs)?.total ?? null;
}

/** Re-pricing: every call as if made at another time, or billed at another model's prices. */
export interface RepriceOptions {
  at?: Date;
  as?: { provider?: string; model: string };
}

/**
 * Prices every call of a run from the catalog, at its own timestamp (off-peak windows and price changes included),
 * converts to the reporting currency at the call's dated rate, and sums per group. Pure over its inputs.
 */
export function costsByGroup(
  rows: Iterable<PricedCallRow>,
  catalog: Catalog,
  currency: Currency,
  reprice: RepriceOptions = {},
): Map<string, GroupCost> {
  const groups = new Map<string, GroupCost & { unpriced: Set<string> }>();
  for (const row of rows) {
    const judged = row.role === "judge";
    const key = judged ? judgeGroup(row.group) : row.group;
    let g = groups.get(key);
    if (!g) {
      g = {
        currency,
        total: null,
        totalExact: null,
        pricedCalls: 0,
        unpricedCalls: 0,
        unpricedModels: [],
        unpriced: new Set(),
      };
      groups.set(key, g);
    }
    const as = judged ? undefined : reprice.as;
    const provider = as ? as.provider : row.provider;
    const model = as ? as.model : row.model;
    const at = reprice.at ?? new Date(row.startedAt);
    const converted = priceCall(catalog, currency, provider, model, row.usage, at, row.latencyMs);
    if (!converted) {
      g.unpricedCalls++;
      g.unpriced.add(provider === undefined ? model : `${provider}/${model}`);
      continue;
    }
    g.pricedCalls++;
    g.total = (g.total ?? 0) + converted.total;
    g.totalExact = g.totalExact === null ? converted.exact : addExact(g.totalExact, converted.exact);
  }
  const out = new Map<string, GroupCost>();
  for (const [key, { unpriced, ...g }] of groups) out.set(key, { ...g, unpricedModels: [...unpriced].sort() });
  return out;
}
