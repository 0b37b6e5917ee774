import type { Catalog } from "../pricing/catalog.js";
import { costsByGroup, type GroupCost, judgeGroup, type RepriceOptions } from "../pricing/run-costs.js";
import type { Currency } from "../pricing/schema.js";
import type { Interval } from "../stats/util.js";
import type { CategoryResult, ErrorExample, GroupSummary, RunSummary } from "../store/records.js";
import { groupKey } from "../store/sqlite-writes.js";
import type { Store } from "../store/store.js";
import { perCorrectIntervalsOf } from "./cost-per-correct.js";
import { estimateMetric, type MetricEstimate } from "./intervals.js";
import { type PassAtK, passAtKOf } from "./pass-at-k.js";

export interface GroupCostReport extends GroupCost {
  /** Cost per sample of the group (the priced calls' total over the samples). */
  perSample: number | null;
  /** Cost per correct answer: total ÷ the sum of scores (for 0/1 scores, the number correct). */
  perCorrect: number | null;
  /**
   * 95% percentile-bootstrap interval of `perCorrect`, resampling samples (a sample's epochs together); null when
   * `perCorrect` is. Its upper bound is Infinity when too many resamples have no correct answer.
   */
  perCorrectCI: Interval | null;
  /** What the judge's calls for this group cost, kept apart from the model under test's; null without a judge. */
  judge: GroupCost | null;
}

export interface RunReport {
  summary: RunSummary;
  currency: Currency;
  costs: Map<string, GroupCostReport>;
  /** Every metric of every group with its 95% interval, headline first. */
  estimates: Map<string, MetricEstimate[]>;
  /** Per-category means (MMLU subjects, …) where samples have categories. */
  categories: CategoryResult[];
  /** Failures by model × task × class with one message each. */
  errors: ErrorExample[];
  /** pass@k of code tasks (headline metric "pass") run over several epochs. */
  passAtK: Map<string, PassAtK[]>;
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
    costs.set(key, { ...c, ...perUnit(c, g), perCorrectCI: null, judge: raw.get(judgeGroup(key)) ?? null });
  }
  for (const [key, ci] of perCorrectIntervalsOf(store, runId, summary.groups, costs, catalog, currency, reprice)) {
    const c = costs.get(key);
    if (c) c.perCorrectCI = ci;
  }
  const estimates = new Map<string, MetricEstimate[]>();
  for (const g of summary.groups) {
    estimates.set(
      groupKey(g.model, g.task),
      g.metrics.map((m) => estimateMetric(m.metric, store.metricValues(runId, g.model, g.task, m.metric), m.binary)),
    );
  }
  const passAtK = new Map<string, PassAtK[]>();
  for (const g of summary.groups) {
    const headline = g.metrics[0];
    if (headline?.metric !== "pass" || !headline.binary) continue;
    const list = passAtKOf(store.metricValues(runId, g.model, g.task, "pass"));
    if (list.length > 0) passAtK.set(groupKey(g.model, g.task), list);
  }
  const categories = await store.categoryBreakdown(runId);
  const errors = await store.errorExamples(runId);
  return { summary, currency, costs, estimates, categories, passAtK, errors };
}

/** The headline metric's estimate of a group. */
export function headlineOf(report: RunReport, g: GroupSummary): MetricEstimate | undefined {
  return report.estimates.get(groupKey(g.model, g.task))?.[0];
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
