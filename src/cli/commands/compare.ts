import { type Comparison, compareModels, EPOCH_REDUCERS, type EpochsReduce } from "../../report/compare.js";
import type { AdjustMethod } from "../../stats/multiple.js";
import type { Store } from "../../store/store.js";
import { UsageError } from "../errors.js";
import { openStore } from "../store-path.js";

export interface CompareFlags {
  /** A's run (default: the latest). */
  run?: string;
  /** B's run (default: A's). */
  runB?: string;
  task?: string;
  margin?: string;
  /** Multiplicity adjustment across tasks: holm (default) or bh. */
  adjust?: string;
  /** How a sample's epochs reduce to one score before pairing: mean (default), max or majority. */
  epochsReduce?: string;
  json?: boolean;
  db?: string;
}

const ADJUSTMENTS: readonly AdjustMethod[] = ["holm", "bh"];

/**
 * `arbiter compare A B`: does A beat B on the same samples, task by task, and how sure can one be? A and B may be
 * two models of one run, or models (even the same one) of two runs: samples pair by (task, sample id, epoch).
 */
export async function compareCommand(modelA: string, modelB: string, flags: CompareFlags): Promise<void> {
  const margin = flags.margin === undefined ? undefined : Number(flags.margin);
  if (margin !== undefined && !(Number.isFinite(margin) && margin > 0 && margin < 1)) {
    throw new UsageError(
      `--margin "${flags.margin}": expected a difference in score between 0 and 1, e.g. 0.02 for 2 points`,
    );
  }
  const adjust = (flags.adjust ?? "holm") as AdjustMethod;
  if (!ADJUSTMENTS.includes(adjust)) {
    throw new UsageError(
      `--adjust "${flags.adjust}": expected holm (family-wise error rate) or bh (Benjamini–Hochberg, false discovery rate)`,
    );
  }
  const epochsReduce = (flags.epochsReduce ?? "mean") as EpochsReduce;
  if (!EPOCH_REDUCERS.includes(epochsReduce)) {
    throw new UsageError(`--epochs-reduce "${flags.epochsReduce}": expected one of ${EPOCH_REDUCERS.join(", ")}`);
  }
  const store = await openStore(flags.db);
  try {
    const runA = flags.run ?? (await store.listRuns(1))[0]?.id;
    if (!runA) throw new UsageError("no runs in the store yet (see: arbiter run)");
    const runB = flags.runB ?? runA;
    for (const [flag, id] of [
      ["--run", runA],
      ["--run-b", runB],
    ] as const) {
      if (!(await store.getRun(id)))
        throw new UsageError(`${flag} ${id}: no such run in the store (see: arbiter runs)`);
    }
    if (runA === runB && modelA === modelB) {
      throw new UsageError(
        `A and B are both "${modelA}" in run ${runA}: name two models, or B's run with --run-b to compare runs`,
      );
    }
    const paired = await store.pairedScoresAcross(runA, modelA, runB, modelB, flags.task);
    if (paired.length === 0) throw new UsageError(await nothingShared(store, runA, modelA, runB, modelB, flags.task));
    for (const t of paired) {
      if (t.targetMismatches) {
        process.stderr.write(
          `warning: ${t.targetMismatches} paired scores of ${t.task} have different targets in runs ${runA} and ${runB}: are both runs on the same data?\n`,
        );
      }
    }
    const comparison = compareModels(modelA, modelB, paired, {
      adjust,
      epochsReduce,
      ...(margin === undefined ? {} : { margin }),
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ runId: runA, runA, runB, ...comparison }, null, 2)}\n`);
      return;
    }
    process.stdout.write(formatComparison(comparison, runA, runB));
  } finally {
    await store.close();
  }
}

/** The comparison as text: one line per task, the methods named. */
export function formatComparison(comparison: Comparison, runA: string, runB: string): string {
  const { modelA, modelB } = comparison;
  const pct = (v: number) => `${(v * 100).toFixed(1)}`;
  const who =
    runA === runB
      ? `run ${runA}: A = ${modelA}, B = ${modelB}`
      : `A = ${modelA} (run ${runA}), B = ${modelB} (run ${runB})`;
  const lines = [
    who,
    `epochs of a sample reduced by ${comparison.epochsReduce} before pairing; p-values adjusted across tasks: ` +
      `${comparison.adjustment} (controls the ${comparison.adjustmentControls})`,
    "",
  ];
  const adj = comparison.adjustMethod === "bh" ? "BH" : "Holm";
  for (const t of comparison.tasks) {
    const n = t.pairs === t.n ? `n=${t.n}` : `n=${t.n} samples (${t.pairs} paired scores)`;
    lines.push(
      `${t.task}: ${n}  A ${pct(t.meanA)}  B ${pct(t.meanB)}  A−B ${pct(t.difference)} [${pct(t.ci.lower)}, ${pct(t.ci.upper)}]  p=${t.pValue.toPrecision(3)}  p(${adj})=${t.pAdjusted.toPrecision(3)}  → ${t.verdict}`,
    );
    if (t.nonInferiority) {
      lines.push(
        `  B non-inferior to A by ${pct(t.nonInferiority.margin)} points: ${t.nonInferiority.verdict} (p=${t.nonInferiority.pValue.toPrecision(3)})`,
      );
    }
    lines.push(`  (${t.method})`);
  }
  return `${lines.join("\n")}\n`;
}

/** Why nothing paired: a model missing from its run, or two runs (or models) with no (task, sample, epoch) in common. */
async function nothingShared(
  store: Store,
  runA: string,
  modelA: string,
  runB: string,
  modelB: string,
  task: string | undefined,
): Promise<string> {
  const groupsOf = async (run: string) => (await store.summary(run))?.groups ?? [];
  const groupsA = await groupsOf(runA);
  const groupsB = runB === runA ? groupsA : await groupsOf(runB);
  const onTask = task === undefined ? "" : ` on task ${task}`;
  const list = (xs: string[]) => [...new Set(xs)].join(", ") || "none";
  for (const [run, model, groups] of [
    [runA, modelA, groupsA],
    [runB, modelB, groupsB],
  ] as const) {
    if (!groups.some((g) => g.model === model)) {
      const models = list(groups.map((g) => g.model));
      return runA === runB
        ? `run ${runA} has no scored samples shared by "${modelA}" and "${modelB}"${onTask} (its models: ${models})`
        : `run ${run} has no model "${model}" (its models: ${models})`;
    }
  }
  const tasksOf = (groups: typeof groupsA, model: string) =>
    list(groups.filter((g) => g.model === model).map((g) => g.task));
  const where = runA === runB ? `run ${runA}` : `runs ${runA} and ${runB}`;
  return (
    `${where} share no scored samples of "${modelA}" and "${modelB}"${onTask}: pairing needs the same task, sample id ` +
    `and epoch on both sides (${modelA}'s tasks in ${runA}: ${tasksOf(groupsA, modelA)}; ${modelB}'s tasks in ${runB}: ${tasksOf(groupsB, modelB)})`
  );
}
