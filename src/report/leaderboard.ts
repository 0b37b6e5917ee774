/**
 * The leaderboard: one row per model × task with the headline score and its 95% interval, cost, cost per correct
 * answer and speed. Pure over a RunReport, shared by the dashboard and the report files.
 */
import type { IntervalMethod } from "./intervals.js";
import { costOf, headlineOf, type RunReport } from "./run-report.js";

export interface LeaderboardRow {
  model: string;
  task: string;
  /** The headline metric's name. */
  metric: string | null;
  /** 0/1 scores throughout: shown as a percentage. */
  binary: boolean;
  /** Samples × epochs, and how many carry a headline score. */
  n: number;
  scored: number;
  mean: number | null;
  ci: { lower: number; upper: number } | null;
  method: IntervalMethod | null;
  errors: number;
  errorsByClass: Record<string, number>;
  /** The model's calls in the reporting currency; null when none could be priced. */
  cost: number | null;
  /** Some calls could not be priced: `cost` is a lower bound. */
  costPartial: boolean;
  /** Models the catalog has no price for at the calls' time. */
  unpricedModels: string[];
  perSample: number | null;
  perCorrect: number | null;
  /** The judge's calls for this group, kept apart; null without a judge. */
  judgeCost: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  ttftP50: number | null;
  tpsP50: number | null;
}

export function leaderboardRows(report: RunReport): LeaderboardRow[] {
  return report.summary.groups.map((g) => {
    const estimate = headlineOf(report, g);
    const cost = costOf(report, g);
    const errors = Object.values(g.errors).reduce((s, n) => s + (n ?? 0), 0);
    return {
      model: g.model,
      task: g.task,
      metric: g.metric,
      binary: g.metrics[0]?.binary ?? true,
      n: g.n,
      scored: g.scored,
      mean: estimate?.mean ?? g.meanScore,
      ci: estimate?.ci ? { lower: estimate.ci.lower, upper: estimate.ci.upper } : null,
      method: estimate?.method ?? null,
      errors,
      errorsByClass: Object.fromEntries(Object.entries(g.errors).map(([k, v]) => [k, v ?? 0])),
      cost: cost?.total ?? null,
      costPartial: (cost?.unpricedCalls ?? 0) > 0,
      unpricedModels: cost?.unpricedModels ?? [],
      perSample: cost?.perSample ?? null,
      perCorrect: cost?.perCorrect ?? null,
      judgeCost: cost?.judge?.total ?? null,
      latencyP50: g.latencyMs.p50,
      latencyP95: g.latencyMs.p95,
      ttftP50: g.ttftMs.p50,
      tpsP50: g.outputTokensPerSecond.p50,
    };
  });
}

/** What each interval method is, in words, for the note under a leaderboard. */
const INTERVAL_NOTES: Record<IntervalMethod, string> = {
  wilson: "Wilson score interval (0/1 scores)",
  t: "Student t interval (graded scores)",
  "cluster-robust:category": "cluster-robust on categories (subjects)",
  "cluster-robust:sample": "cluster-robust on samples (several epochs)",
};

/** The interval methods used in a set of rows, described. */
export function intervalNotes(rows: LeaderboardRow[]): string[] {
  const methods = new Set(rows.flatMap((r) => (r.method ? [r.method] : [])));
  return [...methods].map((m) => INTERVAL_NOTES[m]);
}
