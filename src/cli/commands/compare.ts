import { compareModels } from "../../report/compare.js";
import { UsageError } from "../errors.js";
import { openStore } from "../store-path.js";

export interface CompareFlags {
  run?: string;
  task?: string;
  margin?: string;
  json?: boolean;
  db?: string;
}

/** `arbiter compare A B`: does A beat B on the same samples, task by task, and how sure can one be? */
export async function compareCommand(modelA: string, modelB: string, flags: CompareFlags): Promise<void> {
  const margin = flags.margin === undefined ? undefined : Number(flags.margin);
  if (margin !== undefined && !(Number.isFinite(margin) && margin > 0 && margin < 1)) {
    throw new UsageError(
      `--margin "${flags.margin}": expected a difference in score between 0 and 1, e.g. 0.02 for 2 points`,
    );
  }
  const store = await openStore(flags.db);
  try {
    const runId = flags.run ?? (await store.listRuns(1))[0]?.id;
    if (!runId) throw new UsageError("no runs in the store yet (see: arbiter run)");
    const paired = await store.pairedScores(runId, modelA, modelB, flags.task);
    if (paired.length === 0) {
      const run = await store.summary(runId);
      const models = [...new Set(run?.groups.map((g) => g.model) ?? [])].join(", ");
      throw new UsageError(
        `run ${runId} has no scored samples shared by "${modelA}" and "${modelB}"${flags.task ? ` on task ${flags.task}` : ""} (its models: ${models || "none"})`,
      );
    }
    const comparison = compareModels(modelA, modelB, paired, margin === undefined ? {} : { margin });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ runId, ...comparison }, null, 2)}\n`);
      return;
    }
    const pct = (v: number) => `${(v * 100).toFixed(1)}`;
    process.stdout.write(
      `run ${runId}: A = ${modelA}, B = ${modelB} (p-values adjusted: ${comparison.adjustment})\n\n`,
    );
    for (const t of comparison.tasks) {
      process.stdout.write(
        `${t.task}: n=${t.n}  A ${pct(t.meanA)}  B ${pct(t.meanB)}  A−B ${pct(t.difference)} [${pct(t.ci.lower)}, ${pct(t.ci.upper)}]  p=${t.pValue.toPrecision(3)}  p(adj)=${t.pAdjusted.toPrecision(3)}  → ${t.verdict}\n`,
      );
      if (t.nonInferiority) {
        process.stdout.write(
          `  B non-inferior to A by ${pct(t.nonInferiority.margin)} points: ${t.nonInferiority.verdict} (p=${t.nonInferiority.pValue.toPrecision(3)})\n`,
        );
      }
      process.stdout.write(`  (${t.method})\n`);
    }
  } finally {
    await store.close();
  }
}
