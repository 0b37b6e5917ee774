import { costOf, type RunReport } from "../report/run-report.js";
import { groupKey } from "../store/sqlite-writes.js";

/** The one JSON shape `run --json` and `show --json` print. */
export function summaryJSON(report: RunReport) {
  const { summary } = report;
  return {
    runId: summary.run.id,
    status: summary.run.status,
    createdAt: summary.run.createdAt,
    endedAt: summary.run.endedAt,
    toolVersion: summary.run.toolVersion,
    items: { done: summary.run.done, total: summary.run.totalItems },
    currency: report.currency,
    results: summary.groups.map((g) => {
      const cost = costOf(report, g);
      return {
        ...g,
        estimates: report.estimates.get(groupKey(g.model, g.task)) ?? [],
        passAtK: report.passAtK.get(groupKey(g.model, g.task)) ?? [],
        errorExamples: report.errors
          .filter((e) => e.model === g.model && e.task === g.task)
          .map(({ errorClass, count, sampleId, message }) => ({ errorClass, count, sampleId, message })),
        categories: report.categories
          .filter((c) => c.model === g.model && c.task === g.task)
          .map(({ scorer, category, scored, mean }) => ({ metric: scorer, category, scored, mean })),
        cost: cost
          ? {
              currency: cost.currency,
              total: cost.total,
              totalExact: cost.totalExact,
              perSample: cost.perSample,
              perCorrect: cost.perCorrect,
              // JSON has no Infinity: an unbounded upper bound prints as null.
              perCorrectCI: cost.perCorrectCI,
              pricedCalls: cost.pricedCalls,
              unpricedCalls: cost.unpricedCalls,
              unpricedModels: cost.unpricedModels,
              judge: cost.judge,
            }
          : null,
      };
    }),
  };
}

/** One warning per model the catalog could not price: its cost shows as unknown, never as 0. */
export function costWarnings(report: RunReport): string[] {
  const models = new Set<string>();
  for (const cost of report.costs.values()) for (const m of cost.unpricedModels) models.add(m);
  return [...models].map(
    (m) =>
      `warning: some calls to ${m} could not be priced (no price in force at their time, or their usage lacks a ` +
      "count the price needs, such as cache hits): their cost is unknown, not 0",
  );
}
