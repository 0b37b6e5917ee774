import { type EpochReducer, reduceEpochs } from "../stats/epochs.js";
import { nonInferiority } from "../stats/hypotheses.js";
import { type AdjustedPValues, type AdjustMethod, adjustPValues } from "../stats/multiple.js";
import { comparePairedBinary, pairedBootstrap, pairedPermutationTest } from "../stats/paired.js";

/** Two models' scores on the same samples of one task, paired by (sample, epoch). */
export interface PairedTaskScores {
  task: string;
  a: number[];
  b: number[];
  /**
   * The sample id of each pair (parallel to `a` and `b`). With it, a sample's epochs are reduced to one score per
   * side before testing; without it every pair counts as a sample of its own.
   */
  sampleIds?: string[];
  /** Pairs whose sample has a different target in the two runs (two datasets sharing ids?). */
  targetMismatches?: number;
}

/** How the epochs of one sample become one score before pairing: the reducers of stats/epochs.ts that keep a scale. */
export type EpochsReduce = "mean" | "max" | "majority";

export const EPOCH_REDUCERS: readonly EpochsReduce[] = ["mean", "max", "majority"];

export interface TaskComparison {
  task: string;
  /** Paired samples tested (after reducing each sample's epochs to one score). */
  n: number;
  /** Paired (sample, epoch) scores before reduction: n × epochs when every sample has them all. */
  pairs: number;
  meanA: number;
  meanB: number;
  /** A − B with its CI at `level`. */
  difference: number;
  ci: { lower: number; upper: number; level: number };
  pValue: number;
  /** The p-value after adjustment for the number of tasks compared (the comparison's `adjustment`). */
  pAdjusted: number;
  method: string;
  verdict: "A better" | "B better" | "no significant difference";
  /** With --margin δ: is B no worse than A by more than δ? (one-sided at α = 0.05) */
  nonInferiority?: { margin: number; verdict: string; pValue: number; ci: { lower: number; upper: number } };
}

export interface Comparison {
  modelA: string;
  modelB: string;
  /** The multiplicity adjustment's name, e.g. "Holm (1979) step-down". */
  adjustment: string;
  adjustMethod: AdjustMethod;
  /** What the adjusted p-values control. */
  adjustmentControls: AdjustedPValues["controls"];
  /** How each sample's epochs were reduced before pairing. */
  epochsReduce: EpochsReduce;
  tasks: TaskComparison[];
}

export interface CompareOptions {
  level?: number;
  margin?: number;
  seed?: number;
  /** Multiplicity adjustment across tasks, default "holm". */
  adjust?: AdjustMethod;
  /** Default "mean". */
  epochsReduce?: EpochsReduce;
}

/**
 * One score per sample and side: a sample's paired epochs reduced with the same reducer on both sides. Epochs are
 * paired before reducing (the store joins on the epoch), so both sides reduce over the same number of attempts; a
 * max over 5 epochs against a max over 1 would favour the side with more tries.
 */
export function reducePairedEpochs(
  t: PairedTaskScores,
  reducer: EpochReducer,
): { a: number[]; b: number[]; pairs: number } {
  if (t.sampleIds === undefined) return { a: t.a, b: t.b, pairs: t.a.length };
  if (t.sampleIds.length !== t.a.length || t.b.length !== t.a.length) {
    throw new RangeError(`task ${t.task}: sampleIds, a and b differ in length`);
  }
  const bySample = new Map<string, { a: number[]; b: number[] }>();
  t.sampleIds.forEach((id, i) => {
    let s = bySample.get(id);
    if (!s) {
      s = { a: [], b: [] };
      bySample.set(id, s);
    }
    s.a.push(t.a[i] as number);
    s.b.push(t.b[i] as number);
  });
  const a: number[] = [];
  const b: number[] = [];
  for (const s of bySample.values()) {
    a.push(reduceEpochs(s.a, reducer));
    b.push(reduceEpochs(s.b, reducer));
  }
  return { a, b, pairs: t.a.length };
}

const mean = (x: number[]): number => x.reduce((s, v) => s + v, 0) / x.length;

/**
 * Paired comparison of models A and B, task by task, after reducing each sample's epochs (default: their mean): an
 * exact McNemar test with Newcombe's interval when every reduced score is 0/1; otherwise a paired bootstrap interval
 * of the mean difference with a paired permutation (sign-flip) test's p-value, which holds its level on small samples
 * where a bootstrap test does not. p-values are adjusted across tasks (Holm by default, or Benjamini–Hochberg).
 */
export function compareModels(
  modelA: string,
  modelB: string,
  tasks: PairedTaskScores[],
  options: CompareOptions = {},
): Comparison {
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 1;
  const epochsReduce = options.epochsReduce ?? "mean";
  if (!EPOCH_REDUCERS.includes(epochsReduce)) {
    throw new RangeError(`epochsReduce must be one of ${EPOCH_REDUCERS.join(", ")}, got ${String(epochsReduce)}`);
  }
  const rows = tasks
    .filter((t) => t.a.length > 0)
    .map((t) => {
      const { a, b, pairs } = reducePairedEpochs(t, epochsReduce);
      const binary = [...a, ...b].every((v) => v === 0 || v === 1);
      let difference: number;
      let ci: { lower: number; upper: number; level: number };
      let pValue: number;
      let method: string;
      if (binary) {
        const r = comparePairedBinary(a, b, { level });
        difference = r.estimate;
        ci = r.ci;
        pValue = r.pValue;
        method = "exact McNemar; Newcombe (1998) method 10 interval";
      } else {
        const boot = pairedBootstrap(a, b, { level, seed });
        const perm = pairedPermutationTest(a, b, { seed });
        difference = boot.estimate;
        ci = boot.ci;
        pValue = perm.pValue;
        method =
          `paired bootstrap interval (${boot.resamples} resamples, ${boot.method}); paired permutation test ` +
          `(${perm.method === "exact" ? `exact, ${perm.permutations} sign patterns` : `Monte Carlo, ${perm.permutations} sign flips`})`;
      }
      const row: TaskComparison = {
        task: t.task,
        n: a.length,
        pairs,
        meanA: mean(a),
        meanB: mean(b),
        difference,
        ci,
        pValue,
        pAdjusted: pValue,
        method,
        verdict: "no significant difference",
      };
      if (options.margin !== undefined) {
        // nonInferiority(x, y) asks whether x is no worse than y by more than the margin: here B against A.
        const r = nonInferiority(b, a, { margin: options.margin, method: binary ? "newcombe" : "bootstrap", seed });
        row.nonInferiority = { margin: options.margin, verdict: r.verdict, pValue: r.pValue, ci: r.ci };
      }
      return row;
    });
  const adjusted = adjustPValues(
    rows.map((r) => r.pValue),
    options.adjust ?? "holm",
  );
  rows.forEach((r, i) => {
    r.pAdjusted = adjusted.adjusted[i] ?? r.pValue;
    const significant = r.pAdjusted < 1 - level;
    r.verdict = !significant ? "no significant difference" : r.difference > 0 ? "A better" : "B better";
  });
  return {
    modelA,
    modelB,
    adjustment: adjusted.methodName,
    adjustMethod: adjusted.method,
    adjustmentControls: adjusted.controls,
    epochsReduce,
    tasks: rows,
  };
}
