/**
 * Two models of a run on the same samples: the paired statistics per task (compareModels: exact McNemar with
 * Newcombe's interval for 0/1 scores, a paired bootstrap otherwise, Holm across tasks) and how many samples each
 * model won.
 */
import { type Comparison, compareModels } from "./compare.js";
import type { PairFilter, RunData } from "./run-data.js";

export interface HeadToHead {
  comparison: Comparison;
  /** Per task: every paired score is 0 or 1 (shown as percentages). */
  binary: Record<string, boolean>;
  /** Tasks with fewer than two scored pairs: no test. */
  tooFew: string[];
  /** Per task: paired samples (failed calls included, as a loss) by outcome. */
  counts: Record<string, Record<PairFilter, number>>;
}

export function headToHead(
  data: RunData,
  runId: string,
  modelA: string,
  modelB: string,
  headlines: Map<string, string>,
  options: { margin?: number } = {},
): HeadToHead {
  const paired = [...headlines].map(([task, metric]) => {
    const rows = data.pairedScores(runId, modelA, modelB, task, metric);
    // Sample ids let the comparison reduce several epochs of a sample to one pair, as `arbiter compare` does.
    return { task, a: rows.map((r) => r.a), b: rows.map((r) => r.b), sampleIds: rows.map((r) => r.sampleId) };
  });
  // A paired test needs two pairs at least (a bootstrap of one difference has no spread).
  const comparison = compareModels(
    modelA,
    modelB,
    paired.filter((p) => p.a.length >= 2),
    options.margin === undefined ? {} : { margin: options.margin },
  );
  const counts: HeadToHead["counts"] = {};
  for (const task of headlines.keys()) counts[task] = data.pairCounts(runId, modelA, modelB, headlines, task);
  const binary: Record<string, boolean> = {};
  for (const p of paired) binary[p.task] = [...p.a, ...p.b].every((v) => v === 0 || v === 1);
  return { comparison, binary, tooFew: paired.filter((p) => p.a.length < 2).map((p) => p.task), counts };
}

/** Every unordered pair of models, in the order given (A before B). */
export function modelPairs(models: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) pairs.push([models[i] as string, models[j] as string]);
  }
  return pairs;
}
