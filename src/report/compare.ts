import { nonInferiority } from "../stats/hypotheses.js";
import { adjustPValues } from "../stats/multiple.js";
import { comparePairedBinary, pairedBootstrap } from "../stats/paired.js";

/** Two models' scores on the same samples of one task, paired by (sample, epoch). */
export interface PairedTaskScores {
  task: string;
  a: number[];
  b: number[];
}

export interface TaskComparison {
  task: string;
  n: number;
  meanA: number;
  meanB: number;
  /** A − B with its CI at `level`. */
  difference: number;
  ci: { lower: number; upper: number; level: number };
  pValue: number;
  /** The p-value after adjustment for the number of tasks compared (Holm). */
  pAdjusted: number;
  method: string;
  verdict: "A better" | "B better" | "no significant difference";
  /** With --margin δ: is B no worse than A by more than δ? (one-sided at α = 0.05) */
  nonInferiority?: { margin: number; verdict: string; pValue: number; ci: { lower: number; upper: number } };
}

export interface Comparison {
  modelA: string;
  modelB: string;
  adjustment: string;
  tasks: TaskComparison[];
}

/**
 * Paired comparison of models A and B, task by task: an exact McNemar test with Newcombe's interval when every score
 * is 0/1, a paired bootstrap of the mean difference otherwise; p-values adjusted across tasks with Holm's method.
 */
export function compareModels(
  modelA: string,
  modelB: string,
  tasks: PairedTaskScores[],
  options: { level?: number; margin?: number; seed?: number } = {},
): Comparison {
  const level = options.level ?? 0.95;
  const rows = tasks
    .filter((t) => t.a.length > 0)
    .map((t) => {
      const binary = [...t.a, ...t.b].every((v) => v === 0 || v === 1);
      const meanA = t.a.reduce((s, v) => s + v, 0) / t.a.length;
      const meanB = t.b.reduce((s, v) => s + v, 0) / t.b.length;
      let difference: number;
      let ci: { lower: number; upper: number; level: number };
      let pValue: number;
      let method: string;
      if (binary) {
        const r = comparePairedBinary(t.a, t.b, { level });
        difference = r.estimate;
        ci = r.ci;
        pValue = r.pValue;
        method = "exact McNemar; Newcombe (1998) method 10 interval";
      } else {
        const r = pairedBootstrap(t.a, t.b, { level, seed: options.seed ?? 1 });
        difference = r.estimate;
        ci = r.ci;
        pValue = r.pValue;
        method = `paired bootstrap (${r.resamples} resamples, ${r.method})`;
      }
      const row: TaskComparison = {
        task: t.task,
        n: t.a.length,
        meanA,
        meanB,
        difference,
        ci,
        pValue,
        pAdjusted: pValue,
        method,
        verdict: "no significant difference",
      };
      if (options.margin !== undefined) {
        // nonInferiority(x, y) asks whether x is no worse than y by more than the margin: here B against A.
        const r = nonInferiority(t.b, t.a, { margin: options.margin, method: binary ? "newcombe" : "bootstrap" });
        row.nonInferiority = { margin: options.margin, verdict: r.verdict, pValue: r.pValue, ci: r.ci };
      }
      return row;
    });
  const adjusted = adjustPValues(
    rows.map((r) => r.pValue),
    "holm",
  );
  rows.forEach((r, i) => {
    r.pAdjusted = adjusted.adjusted[i] ?? r.pValue;
    const significant = r.pAdjusted < 1 - level;
    r.verdict = !significant ? "no significant difference" : r.difference > 0 ? "A better" : "B better";
  });
  return { modelA, modelB, adjustment: adjusted.methodName, tasks: rows };
}
