/**
 * Quality against cost and against latency, per model, on one task or on every task's samples pooled: each model's
 * headline score with its 95% interval, its mean cost per sample (every call priced at its own time, as in the run
 * report), its median latency, which models are on the Pareto frontier, and how often a bootstrap over the shared
 * samples finds another model dominating each one (src/stats/cost.ts).
 */
import type { Catalog } from "../pricing/catalog.js";
import { priceCall } from "../pricing/run-costs.js";
import type { Currency } from "../pricing/schema.js";
import { paretoDominanceBootstrap, paretoFrontier } from "../stats/cost.js";
import { nearestRank } from "../stats/util.js";
import type { MetricValue } from "../store/records.js";
import { estimateMetric } from "./intervals.js";
import type { RunData } from "./run-data.js";
import { headlineOf, type RunReport } from "./run-report.js";

export interface ParetoPoint {
  model: string;
  /** Headline scores in scope (samples × epochs). */
  n: number;
  quality: number | null;
  ci: { lower: number; upper: number } | null;
  /** Mean cost per sample in the reporting currency; null when some calls could not be priced. */
  costPerSample: number | null;
  unpricedCalls: number;
  /** Median latency of the model's answers (nearest rank), ms. */
  latencyP50: number | null;
  /** On the cost/quality frontier of the observed means; null when its cost is unknown. */
  onCostFrontier: boolean | null;
  /** Models that are at least as cheap and at least as good, and better in one of the two. */
  dominatedBy: string[];
  onLatencyFrontier: boolean | null;
  /** Share of bootstrap resamples in which another model dominates this one on cost and quality. */
  dominatedFraction: number | null;
  /** dominatedFraction ≥ the threshold: reliably off the frontier. */
  dominated: boolean | null;
}

export interface ParetoView {
  /** The task, or null for every task's samples pooled. */
  task: string | null;
  currency: Currency;
  /** Scores on 0–1 (a percentage), else the metric's own scale. */
  binary: boolean;
  metric: string | null;
  points: ParetoPoint[];
  bootstrap: { resamples: number; threshold: number; samples: number } | null;
  notes: string[];
}

const PARETO_RESAMPLES = 1000;
const THRESHOLD = 0.95;

const sampleKey = (task: string, sampleId: string, epoch: number) => `${task}\u0000${sampleId}\u0000${epoch}`;

/** Whether the tasks' headline scores share one 0–1 scale, so that pooling their samples means something. */
export function poolable(report: RunReport): boolean {
  return report.summary.groups.every((g) => {
    const e = headlineOf(report, g);
    return e === undefined || e.mean === null || (e.mean >= 0 && e.mean <= 1 && (g.metrics[0]?.binary ?? true));
  });
}

/** The Pareto view of a run on `task` (null: all tasks pooled; only when `poolable`). */
export function paretoView(
  report: RunReport,
  data: RunData,
  catalog: Catalog,
  headlines: Map<string, string>,
  task: string | null,
): ParetoView {
  const runId = report.summary.run.id;
  const currency = report.currency;
  const groups = report.summary.groups.filter((g) => task === null || g.task === task);
  const models = [...new Set(groups.map((g) => g.model))];
  const tasks = [...new Set(groups.map((g) => g.task))];
  const binary = groups.every((g) => g.metrics[0]?.binary ?? true);
  const notes: string[] = [];

  // Headline scores per model and sample.
  const scores = new Map<string, Map<string, number>>(models.map((m) => [m, new Map()]));
  const values = new Map<string, MetricValue[]>(models.map((m) => [m, []]));
  for (const t of tasks) {
    const metric = headlines.get(t);
    if (!metric) continue;
    for (const row of data.scores(runId, t, metric)) {
      scores.get(row.model)?.set(sampleKey(t, row.sampleId, row.epoch), row.value);
      // Pooled samples of different tasks may share ids: the task is part of the sample's identity.
      values
        .get(row.model)
        ?.push({ sampleId: `${t}\u0000${row.sampleId}`, epoch: row.epoch, category: null, value: row.value });
    }
  }

  // What each sample's calls cost, and how many calls could not be priced.
  const costs = new Map<string, Map<string, number>>(models.map((m) => [m, new Map()]));
  const unpriced = new Map<string, number>(models.map((m) => [m, 0]));
  const totals = new Map<string, number>(models.map((m) => [m, 0]));
  for (const call of data.modelCalls(runId, task ?? undefined)) {
    const perSample = costs.get(call.model);
    if (!perSample) continue;
    const price = priceCall(
      catalog,
      currency,
      call.provider,
      call.apiModel,
      call.usage,
      new Date(call.startedAt),
      call.latencyMs,
    );
    if (!price) {
      unpriced.set(call.model, (unpriced.get(call.model) ?? 0) + 1);
      continue;
    }
    const key = sampleKey(call.task, call.sampleId, call.epoch);
    perSample.set(key, (perSample.get(key) ?? 0) + price.total);
    totals.set(call.model, (totals.get(call.model) ?? 0) + price.total);
  }

  const latencies = new Map<string, number[]>(models.map((m) => [m, []]));
  for (const s of data.speeds(runId)) {
    if (task === null || s.task === task) latencies.get(s.model)?.push(s.latencyMs);
  }

  const points: ParetoPoint[] = models.map((model) => {
    const own = groups.filter((g) => g.model === model);
    const samples = own.reduce((s, g) => s + g.n, 0);
    const single = task === null ? undefined : own[0];
    const estimate = single
      ? headlineOf(report, single)
      : estimateMetric(task ?? "all", values.get(model) ?? [], binary);
    const unpricedCalls = unpriced.get(model) ?? 0;
    return {
      model,
      n: estimate?.n ?? 0,
      quality: estimate?.mean ?? null,
      ci: estimate?.ci ? { lower: estimate.ci.lower, upper: estimate.ci.upper } : null,
      costPerSample: unpricedCalls > 0 || samples === 0 ? null : (totals.get(model) ?? 0) / samples,
      unpricedCalls,
      latencyP50: median(latencies.get(model) ?? []),
      onCostFrontier: null,
      dominatedBy: [],
      onLatencyFrontier: null,
      dominatedFraction: null,
      dominated: null,
    };
  });

  const priced = points.filter((p) => p.costPerSample !== null && p.quality !== null);
  for (const e of paretoFrontier(
    priced.map((p) => ({ id: p.model, cost: p.costPerSample as number, quality: p.quality as number })),
  )) {
    const p = points.find((x) => x.model === e.id) as ParetoPoint;
    p.onCostFrontier = e.onFrontier;
    p.dominatedBy = e.dominatedBy;
  }
  const timed = points.filter((p) => p.latencyP50 !== null && p.quality !== null);
  for (const e of paretoFrontier(
    timed.map((p) => ({ id: p.model, cost: p.latencyP50 as number, quality: p.quality as number })),
  )) {
    (points.find((x) => x.model === e.id) as ParetoPoint).onLatencyFrontier = e.onFrontier;
  }
  for (const p of points) {
    if (p.unpricedCalls > 0) {
      notes.push(`${p.model}: ${p.unpricedCalls} call(s) could not be priced, so its cost is unknown (not 0)`);
    }
  }

  // Bootstrap dominance over the samples every priced model has a score for.
  let bootstrap: ParetoView["bootstrap"] = null;
  if (priced.length >= 2) {
    const ids = priced.map((p) => p.model);
    const first = scores.get(ids[0] as string) ?? new Map<string, number>();
    const shared = [...first.keys()].filter((k) => ids.every((m) => scores.get(m)?.has(k)));
    if (shared.length >= 2) {
      const result = paretoDominanceBootstrap(
        ids.map((m) => ({
          id: m,
          quality: shared.map((k) => scores.get(m)?.get(k) as number),
          cost: shared.map((k) => costs.get(m)?.get(k) ?? 0),
        })),
        { resamples: PARETO_RESAMPLES, threshold: THRESHOLD, seed: 1 },
      );
      for (const e of result.models) {
        const p = points.find((x) => x.model === e.id) as ParetoPoint;
        p.dominatedFraction = e.dominatedFraction;
        p.dominated = e.dominated;
      }
      bootstrap = { resamples: result.resamples, threshold: result.threshold, samples: shared.length };
    } else {
      notes.push("fewer than 2 samples scored for every model: no bootstrap of dominance");
    }
  }
  const metric = task === null ? null : (headlines.get(task) ?? null);
  return { task, currency, binary, metric, points, bootstrap, notes };
}

/** Nearest-rank median, as the run summary computes its p50. */
function median(values: number[]): number | null {
  return values.length === 0
    ? null
    : nearestRank(
        [...values].sort((a, b) => a - b),
        0.5,
      );
}
