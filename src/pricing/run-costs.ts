import type { Usage } from "../core/types.js";
import type { Catalog } from "./catalog.js";
import { findPrice } from "./catalog.js";
import { addExact, costOfCall } from "./cost.js";
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

/** In-process models run on this machine: priced at the machine's hourly rate, 0 by default (see README). */
const LOCAL_PROVIDERS = new Set(["llamacpp"]);

export function isLocalProvider(provider: string | undefined): boolean {
  return provider !== undefined && LOCAL_PROVIDERS.has(provider);
}

/**
 * One call's cost in `currency`: the price in force at `at` (off-peak and tiers included) applied to the exact usage,
 * converted at that month's rate. In-process models cost 0. Null when there is no price or the usage lacks a count
 * the price needs.
 */
export function priceCall(
  catalog: Catalog,
  currency: Currency,
  provider: string | undefined,
  model: string,
  usage: Usage,
  at: Date,
): { total: number; exact: string } | null {
  if (isLocalProvider(provider)) return { total: 0, exact: "0" };
  const price = findPrice(catalog, { ...(provider === undefined ? {} : { provider }), model, at, currency });
  const cost = price ? costOfCall(usage, price, at) : null;
  if (!cost) return null;
  if (cost.currency === currency) return { total: cost.total, exact: cost.totalExact };
  const converted = convertCost(cost, currency, at, catalog.fx);
  return converted ? { total: converted.total, exact: converted.totalExact } : null;
}

/** The live cost of a run's calls, for the progress line. */
export function callPricer(
  catalog: Catalog,
  currency: Currency,
): (provider: string, model: string, usage: Usage, at: Date) => number | null {
  return (provider, model, usage, at) => priceCall(catalog, currency, provider, model, usage, at)?.total ?? null;
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
    const converted = priceCall(catalog, currency, provider, model, row.usage, at);
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
