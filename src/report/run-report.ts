import type { Catalog } from "../pricing/catalog.js";
import { costsByGroup, type GroupCost, type RepriceOptions } from "../pricing/run-costs.js";
import type { Currency } from "../pricing/schema.js";
import type { GroupSummary, RunSummary } from "../store/records.js";
import { groupKey } from "../store/sqlite-writes.js";
import type { Store } from "../store/store.js";

export interface GroupCostReport extends GroupCost {
  /** Cost per sample of the group (the priced calls' total over the samples). */
  perSample: number | null;
  /** Cost per correct answer: total ÷ the sum of scores (for 0/1 scores, the number correct). */
  perCorrect: number | null;
}

export interface RunReport {
  summary: RunSummary;
  currency: Currency;
  costs: Map<string, GroupCostReport>;
}

/** A run's summary with every call priced from the catalog in the reporting currency. */
export async function buildRunReport(
  store: Store,
  runId: string,
  catalog: Catalog,
  currency: Currency,
  reprice: RepriceOptions = {},
): Promise<RunReport | null> {
  const summary = await store.summary(runId);
  if (!summary) return null;
  const raw = costsByGroup(store.pricingRows(runId), catalog, currency, reprice);
  const costs = new Map<string, GroupCostReport>();
  for (const g of summary.groups) {
    const key = groupKey(g.model, g.task);
    const c = raw.get(key) ?? {
      currency,
      total: g.cacheHits === g.n ? 0 : null,
      totalExact: g.cacheHits === g.n ? "0" : null,
      pricedCalls: 0,
      unpricedCalls: 0,
      unpricedModels: [],
    };
    costs.set(key, { ...c, ...perUnit(c, g) });
  }
  return { summary, currency, costs };
}

function perUnit(c: GroupCost, g: GroupSummary): Pick<GroupCostReport, "perSample" | "perCorrect"> {
  if (c.total === null || c.unpricedCalls > 0) return { perSample: null, perCorrect: null };
  const correct = g.meanScore === null ? 0 : g.meanScore * g.scored;
  return {
    perSample: g.n > 0 ? c.total / g.n : null,
    perCorrect: correct > 0 ? c.total / correct : null,
  };
}

export function costOf(report: RunReport, g: GroupSummary): GroupCostReport | undefined {
  return report.costs.get(groupKey(g.model, g.task));
}
