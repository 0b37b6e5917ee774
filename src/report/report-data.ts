/**
 * Everything the HTML and Markdown reports show, gathered once: the leaderboard, the Pareto views (per task, and
 * pooled when the tasks share a 0–1 scale) and the head-to-head comparison of every pair of models with a few of
 * the samples on which they disagree.
 */
import type { Catalog } from "../pricing/catalog.js";
import type { Store } from "../store/store.js";
import { type HeadToHead, headToHead, modelPairs } from "./head-to-head.js";
import { type LeaderboardRow, leaderboardRows } from "./leaderboard.js";
import { type ParetoView, paretoView, poolable } from "./pareto.js";
import type { PairSampleRow, RunData } from "./run-data.js";
import type { RunReport } from "./run-report.js";

/** More models than this and only the pairs of the first ones are compared (the count grows as n²). */
const MAX_REPORT_PAIRS = 10;
const EXAMPLES_PER_TASK = 3;

export interface PairReport {
  a: string;
  b: string;
  result: HeadToHead;
  /** A few samples per task where A did better, and a few where B did. */
  examples: PairSampleRow[];
}

export interface ReportBundle {
  report: RunReport;
  rows: LeaderboardRow[];
  pareto: ParetoView[];
  pairs: PairReport[];
  /** Pairs left out beyond MAX_REPORT_PAIRS. */
  pairsOmitted: number;
}

export async function gatherReport(
  store: Store,
  data: RunData,
  report: RunReport,
  catalog: Catalog,
): Promise<ReportBundle> {
  const runId = report.summary.run.id;
  const headlines = await store.headlineMetrics(runId);
  const tasks = [...new Set(report.summary.groups.map((g) => g.task))];
  const models = [...new Set(report.summary.groups.map((g) => g.model))];
  const scopes: (string | null)[] = [...tasks];
  if (tasks.length > 1 && poolable(report)) scopes.push(null);
  const pareto = models.length === 0 ? [] : scopes.map((t) => paretoView(report, data, catalog, headlines, t));
  const all = modelPairs(models);
  const pairs = all.slice(0, MAX_REPORT_PAIRS).map(([a, b]) => {
    const examples: PairSampleRow[] = [];
    for (const task of headlines.keys()) {
      for (const filter of ["a_better", "b_better"] as const) {
        const rows = data.pairedSamples(runId, a, b, headlines, { task, filter, limit: EXAMPLES_PER_TASK });
        examples.push(...rows.slice(0, EXAMPLES_PER_TASK));
      }
    }
    return { a, b, result: headToHead(data, runId, a, b, headlines), examples };
  });
  return { report, rows: leaderboardRows(report), pareto, pairs, pairsOmitted: all.length - pairs.length };
}
