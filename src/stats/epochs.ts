/**
 * Epoch reducers: several scored attempts ("epochs") at one sample become one score per sample.
 */
import { checkCount } from "./util.js";

/**
 * - "mean": average score over epochs.
 * - "max": best score (an oracle "any attempt right" reading; optimistic).
 * - "majority": the most frequent score (majority vote); a tie goes to the smallest of the tied scores, so a 1–1
 *   split of right/wrong counts as wrong (conservative, deterministic).
 * - { passAtK: k }: the unbiased pass@k estimate from n epochs of which c pass (score ≥ threshold, default 1).
 */
export type EpochReducer = "mean" | "max" | "majority" | { passAtK: number; threshold?: number };

/**
 * Unbiased pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained on Code" (Codex /
 * HumanEval), eq. 1: pass@k = 1 − C(n − c, k)/C(n, k) for n samples of which c are correct, computed as the stable
 * product 1 − ∏_{i = n−c+1}^{n} (1 − k/i) (the paper's numpy reference code); 1 when n − c < k.
 */
export function passAtK(n: number, c: number, k: number): number {
  checkCount(n, "n");
  checkCount(k, "k");
  if (!(Number.isInteger(c) && c >= 0 && c <= n)) throw new RangeError(`c must be an integer in [0, n], got ${c}`);
  if (k > n) throw new RangeError(`pass@k needs k ≤ n (got k = ${k}, n = ${n})`);
  if (n - c < k) return 1;
  let prod = 1;
  for (let i = n - c + 1; i <= n; i++) prod *= 1 - k / i;
  return 1 - prod;
}

/** One sample's epoch scores reduced to a single score. */
export function reduceEpochs(scores: ArrayLike<number>, reducer: EpochReducer): number {
  const n = scores.length;
  if (n === 0) throw new RangeError("reduceEpochs needs at least one epoch score");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i] as number)) throw new RangeError(`epoch score ${i} is not finite: ${scores[i]}`);
  }
  if (reducer === "mean") {
    let s = 0;
    for (let i = 0; i < n; i++) s += scores[i] as number;
    return s / n;
  }
  if (reducer === "max") {
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) m = Math.max(m, scores[i] as number);
    return m;
  }
  if (reducer === "majority") {
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) counts.set(scores[i] as number, (counts.get(scores[i] as number) ?? 0) + 1);
    let best = Number.POSITIVE_INFINITY;
    let bestCount = 0;
    for (const [v, c] of counts) {
      if (c > bestCount || (c === bestCount && v < best)) {
        best = v;
        bestCount = c;
      }
    }
    return best;
  }
  const threshold = reducer.threshold ?? 1;
  let c = 0;
  for (let i = 0; i < n; i++) if ((scores[i] as number) >= threshold) c++;
  return passAtK(n, c, reducer.passAtK);
}

/** Every sample's epochs reduced: `perSample[i]` holds the epoch scores of sample i. */
export function reduceAllEpochs(perSample: ReadonlyArray<ArrayLike<number>>, reducer: EpochReducer): Float64Array {
  const out = new Float64Array(perSample.length);
  for (let i = 0; i < perSample.length; i++) out[i] = reduceEpochs(perSample[i] as ArrayLike<number>, reducer);
  return out;
}
