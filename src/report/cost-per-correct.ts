/**
 * The interval of a group's cost per correct answer (stats/cost.ts costPerCorrect: the ratio Σcost/Σscore with a
 * percentile bootstrap over samples). Its point estimate is the report's `perCorrect`: the same calls of the model
 * under test (judge calls apart, cache hits free), priced the same way, over the same headline scores. A sample's
 * epochs are summed into one unit, so a resample keeps them together (they are not independent draws).
 */
import type { Catalog } from "../pricing/catalog.js";
import { costsByGroup, type PricedCallRow, type RepriceOptions } from "../pricing/run-costs.js";
import type { Currency } from "../pricing/schema.js";
import { costPerCorrect } from "../stats/cost.js";
import type { Interval } from "../stats/util.js";
import type { GroupSummary, MetricValue, SampleCall } from "../store/records.js";
import { groupKey } from "../store/sqlite-writes.js";
import type { Store } from "../store/store.js";

/** Enough for a stable 95% percentile interval (the 2.5% tail holds 50 resamples). */
export const PER_CORRECT_RESAMPLES = 2000;
/**
 * A resample draws n samples, so a group costs n × resamples draws (~13 ns each on one core): past 25,000 samples the
 * resamples shrink to keep a group under ~0.7 s (100,000 samples: 500 resamples), never below 500.
 */
const MAX_DRAWS = 50_000_000;
const MIN_RESAMPLES = 500;

/** Bootstrap resamples for a group of n samples. */
export function perCorrectResamples(n: number): number {
  return Math.max(MIN_RESAMPLES, Math.min(PER_CORRECT_RESAMPLES, Math.floor(MAX_DRAWS / Math.max(1, n))));
}
const SEED = 1;

const sampleKey = (group: string, sampleId: string): string => `${group}\u0000${sampleId}`;

/**
 * Per group (by groupKey) of `groups`: the bootstrap interval of cost per correct answer. `calls` lists every sample
 * of the run with its calls; `scores(group)` gives the group's headline scores. A group is left out when one of its
 * calls could not be priced or nothing in it scored above 0 (its cost per correct is unknown or unbounded).
 */
export function perCorrectIntervals(
  calls: Iterable<SampleCall>,
  groups: ReadonlySet<string>,
  scores: (group: string) => Iterable<MetricValue>,
  catalog: Catalog,
  currency: Currency,
  reprice: RepriceOptions = {},
  level = 0.95,
): Map<string, Interval> {
  const samples = new Map<string, Map<string, { cost: number; quality: number }>>();
  function* priced(): Generator<PricedCallRow> {
    for (const s of calls) {
      if (!groups.has(s.group)) continue;
      let bySample = samples.get(s.group);
      if (!bySample) {
        bySample = new Map();
        samples.set(s.group, bySample);
      }
      if (!bySample.has(s.sampleId)) bySample.set(s.sampleId, { cost: 0, quality: 0 });
      if (s.call) yield { ...s.call, group: sampleKey(s.group, s.sampleId) };
    }
  }
  const costs = costsByGroup(priced(), catalog, currency, reprice);
  const out = new Map<string, Interval>();
  for (const [group, bySample] of samples) {
    let unpriced = false;
    for (const [sampleId, unit] of bySample) {
      const c = costs.get(sampleKey(group, sampleId));
      if (!c) continue;
      if (c.unpricedCalls > 0 || c.total === null) {
        unpriced = true;
        break;
      }
      unit.cost = c.total;
    }
    if (unpriced) continue;
    for (const v of scores(group)) {
      const unit = bySample.get(v.sampleId);
      if (unit) unit.quality += v.value;
    }
    const units = [...bySample.values()];
    if (!units.some((u) => u.quality > 0) || units.some((u) => u.quality < 0)) continue;
    const r = costPerCorrect(
      units.map((u) => u.quality),
      units.map((u) => u.cost),
      { level, resamples: perCorrectResamples(units.length), seed: SEED },
    );
    out.set(group, r.ci);
  }
  return out;
}

/** The intervals of a run's groups whose cost per correct answer is known (`costs` by groupKey), from the store. */
export function perCorrectIntervalsOf(
  store: Store,
  runId: string,
  groups: GroupSummary[],
  costs: ReadonlyMap<string, { perCorrect: number | null }>,
  catalog: Catalog,
  currency: Currency,
  reprice: RepriceOptions = {},
): Map<string, Interval> {
  const byKey = new Map(groups.map((g) => [groupKey(g.model, g.task), g]));
  const known = new Set([...costs].filter(([, c]) => c.perCorrect !== null).map(([key]) => key));
  const headlineScores = (key: string): Iterable<MetricValue> => {
    const g = byKey.get(key);
    return g?.metric ? store.metricValues(runId, g.model, g.task, g.metric) : [];
  };
  return perCorrectIntervals(store.sampleCalls(runId), known, headlineScores, catalog, currency, reprice);
}
