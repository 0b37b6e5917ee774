import type { RunSummary } from "../store/records.js";

/** The one JSON shape `run --json` and `show --json` print. */
export function summaryJSON(summary: RunSummary) {
  return {
    runId: summary.run.id,
    status: summary.run.status,
    createdAt: summary.run.createdAt,
    endedAt: summary.run.endedAt,
    toolVersion: summary.run.toolVersion,
    items: { done: summary.run.done, total: summary.run.totalItems },
    results: summary.groups,
  };
}
