import type { RepriceOptions } from "../../pricing/run-costs.js";
import { buildRunReport, costOf } from "../../report/run-report.js";
import type { RunSpec } from "../../runner/spec.js";
import { parseDate } from "../dates.js";
import { UsageError } from "../errors.js";
import { costWarnings } from "../json.js";
import { catalogFor, reportingCurrency } from "../report.js";
import { openStore } from "../store-path.js";

export interface CostFlags {
  at?: string;
  currency?: string;
  as?: string;
  json?: boolean;
  db?: string;
}

/**
 * `arbiter cost RUN`: the run's calls priced again — at another date and time, in another currency, or at another
 * model's prices ("what would this eval have cost on DeepSeek in May 2024?"). Usage stays exactly as recorded.
 */
export async function costCommand(runId: string, flags: CostFlags): Promise<void> {
  const store = await openStore(flags.db);
  try {
    const run = await store.getRun(runId);
    if (!run) throw new UsageError(`no run "${runId}" in the store (see: arbiter runs)`);
    const currency = reportingCurrency(flags.currency ?? (run.spec as RunSpec).currency);
    const reprice: RepriceOptions = {};
    if (flags.at) reprice.at = parseDate(flags.at, "--at");
    if (flags.as) {
      const slash = flags.as.indexOf("/");
      reprice.as =
        slash > 0 ? { provider: flags.as.slice(0, slash), model: flags.as.slice(slash + 1) } : { model: flags.as };
    }
    const report = await buildRunReport(store, runId, await catalogFor(run.spec as RunSpec), currency, reprice);
    if (!report) throw new UsageError(`no run "${runId}" in the store`);
    for (const warning of costWarnings(report)) process.stderr.write(`${warning}\n`);
    const rows = report.summary.groups.map((g) => {
      const c = costOf(report, g);
      return {
        model: g.model,
        task: g.task,
        n: g.n,
        meanScore: g.meanScore,
        pricedAs: flags.as ?? null,
        at: reprice.at?.toISOString() ?? null,
        currency,
        total: c?.total ?? null,
        perSample: c?.perSample ?? null,
        perCorrect: c?.perCorrect ?? null,
        unpricedCalls: c?.unpricedCalls ?? 0,
      };
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ runId, currency, results: rows }, null, 2)}\n`);
      return;
    }
    const what = [flags.as ? `at ${flags.as}'s prices` : "", reprice.at ? `as of ${reprice.at.toISOString()}` : ""];
    process.stdout.write(`run ${runId} priced ${what.filter(Boolean).join(" ") || "as run"} in ${currency}\n\n`);
    for (const r of rows) {
      const total = r.total === null ? "unknown" : r.total.toFixed(6);
      const perCorrect = r.perCorrect === null ? "-" : r.perCorrect.toFixed(6);
      process.stdout.write(
        `${r.model}  ${r.task}  n=${r.n}  total ${total}  per correct ${perCorrect}${r.unpricedCalls ? `  (${r.unpricedCalls} calls unpriced)` : ""}\n`,
      );
    }
  } finally {
    await store.close();
  }
}
