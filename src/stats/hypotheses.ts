/**
 * Margin hypotheses about a paired difference A − B: non-inferiority, superiority and equivalence (TOST), each with
 * an estimate, a two-sided (1 − 2α) interval (whose ends are the one-sided 1 − α bounds), a p-value and a verdict.
 * The verdict reads the interval against the margin, which agrees with p ≤ α (exactly for "t" and "newcombe", up to
 * quantile interpolation for "bootstrap").
 *
 * Methods:
 * - "t" (default): paired t on the differences (Schuirmann 1987 for TOST); any scores, large-sample for 0/1 scores.
 * - "bootstrap": paired percentile bootstrap; p-values by inverting it, p(H₀: μ ≤ m) = (1 + #{θ* ≤ m})/(B + 1).
 * - "newcombe": 0/1 scores only; Newcombe's method-10 interval, p-values by inverting it over the level.
 */
import { bootstrapMeanOf } from "./bootstrap.js";
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile, studentTSf } from "./distributions.js";
import { newcombeBounds, type PairedCounts, pairedCounts, pairedSummary } from "./paired.js";
import type { RandomSource } from "./random.js";
import { checkAlpha, differences, type Interval, quantileSorted } from "./util.js";

export type MarginTestMethod = "t" | "bootstrap" | "newcombe";

export interface MarginTestOptions {
  /** One-sided significance level α, default 0.05 (the interval is then 90%). */
  alpha?: number;
  method?: MarginTestMethod;
  /** Bootstrap resamples ("bootstrap" only), default 10,000. */
  resamples?: number;
  seed?: RandomSource;
}

export interface MarginTestResult<V extends string> {
  hypothesis: "non-inferiority" | "superiority" | "equivalence";
  /** mean(A) − mean(B). */
  estimate: number;
  /** Two-sided 1 − 2α interval for A − B. */
  ci: Interval;
  pValue: number;
  verdict: V;
  margin: number;
  alpha: number;
  method: MarginTestMethod;
  n: number;
}

interface DifferenceModel {
  estimate: number;
  n: number;
  /** Two-sided interval at level 1 − 2α. */
  ci(alpha: number): Interval;
  /** p-value of H₀: μ ≤ m against μ > m. */
  pAbove(m: number): number;
  /** p-value of H₀: μ ≥ m against μ < m. */
  pBelow(m: number): number;
}

function tModel(d: Float64Array): DifferenceModel {
  if (d.length < 2) throw new RangeError("the t method needs at least 2 pairs");
  const { mean, se, df } = pairedSummary(d);
  const stat = (m: number): number => (se > 0 ? (mean - m) / se : mean === m ? 0 : Math.sign(mean - m) * Infinity);
  return {
    estimate: mean,
    n: d.length,
    ci(alpha) {
      const h = studentTQuantile(1 - alpha, df) * se;
      return { lower: mean - h, upper: mean + h, level: 1 - 2 * alpha };
    },
    pAbove: (m) => studentTSf(stat(m), df),
    pBelow: (m) => studentTCdf(stat(m), df),
  };
}

function bootstrapModel(d: Float64Array, options: MarginTestOptions): DifferenceModel {
  const { result, sortedMeans } = bootstrapMeanOf(d, {
    level: 0.9,
    resamples: options.resamples ?? 10000,
    seed: options.seed,
    method: "percentile",
  });
  const B = sortedMeans.length;
  const countAtMost = (m: number): number => {
    let lo = 0;
    let hi = B;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sortedMeans[mid] as number) <= m) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const countBelow = (m: number): number => {
    let lo = 0;
    let hi = B;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sortedMeans[mid] as number) < m) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    estimate: result.estimate,
    n: d.length,
    ci: (alpha) => ({
      lower: quantileSorted(sortedMeans, alpha),
      upper: quantileSorted(sortedMeans, 1 - alpha),
      level: 1 - 2 * alpha,
    }),
    pAbove: (m) => Math.min(1, (1 + countAtMost(m)) / (B + 1)),
    pBelow: (m) => Math.min(1, (1 + B - countBelow(m)) / (B + 1)),
  };
}

function newcombeModel(counts: PairedCounts): DifferenceModel {
  const n = counts.both + counts.onlyA + counts.onlyB + counts.neither;
  if (n < 1) throw new RangeError("the newcombe method needs at least 1 pair");
  const estimate = (counts.onlyA - counts.onlyB) / n;
  // Largest z (one-sided confidence Φ(z)) at which the bound on `side` still excludes m, by bisection; the bounds
  // widen monotonically with z.
  const solve = (side: 0 | 1, m: number): number => {
    const excludes = (z: number): boolean => {
      const b = newcombeBounds(counts, z);
      return side === 0 ? (b[0] as number) > m : (b[1] as number) < m;
    };
    let lo = 0;
    let hi = 40;
    if (excludes(hi)) return hi;
    for (let i = 0; i < 200 && hi - lo > 1e-13; i++) {
      const mid = 0.5 * (lo + hi);
      if (excludes(mid)) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  return {
    estimate,
    n,
    ci(alpha) {
      const [lower, upper] = newcombeBounds(counts, normalQuantile(1 - alpha));
      return { lower, upper, level: 1 - 2 * alpha };
    },
    pAbove(m) {
      if (estimate === m) return 0.5;
      return estimate > m ? normalCdf(-solve(0, m)) : normalCdf(solve(1, m));
    },
    pBelow(m) {
      if (estimate === m) return 0.5;
      return estimate < m ? normalCdf(-solve(1, m)) : normalCdf(solve(0, m));
    },
  };
}

function model(
  a: ArrayLike<number | boolean>,
  b: ArrayLike<number | boolean>,
  options: MarginTestOptions,
): DifferenceModel {
  const method = options.method ?? "t";
  if (method === "newcombe") return newcombeModel(pairedCounts(a, b));
  const d = differences(a as ArrayLike<number>, b as ArrayLike<number>);
  if (method === "t") return tModel(d);
  if (method === "bootstrap") return bootstrapModel(d, options);
  throw new RangeError(`unknown method: ${String(method)}`);
}

function checkMargin(margin: number, positive: boolean): void {
  if (!Number.isFinite(margin) || (positive && !(margin > 0))) {
    throw new RangeError(`margin must be a ${positive ? "positive" : "finite"} number, got ${margin}`);
  }
}

/**
 * Non-inferiority of A to B with margin δ > 0: H₀: μA − μB ≤ −δ against H₁: μA − μB > −δ, one-sided at α. Verdict
 * "non-inferior" when the lower bound exceeds −δ, "inferior" when the upper bound is below −δ, else "inconclusive".
 * (To ask "is B no worse than A by more than δ", pass B as `a`.)
 */
export function nonInferiority(
  a: ArrayLike<number | boolean>,
  b: ArrayLike<number | boolean>,
  options: MarginTestOptions & { margin: number },
): MarginTestResult<"non-inferior" | "inferior" | "inconclusive"> {
  const alpha = options.alpha ?? 0.05;
  checkAlpha(alpha, 0.5);
  checkMargin(options.margin, true);
  const m = model(a, b, options);
  const ci = m.ci(alpha);
  const d = -options.margin;
  return {
    hypothesis: "non-inferiority",
    estimate: m.estimate,
    ci,
    pValue: m.pAbove(d),
    verdict: ci.lower > d ? "non-inferior" : ci.upper < d ? "inferior" : "inconclusive",
    margin: options.margin,
    alpha,
    method: options.method ?? "t",
    n: m.n,
  };
}

/**
 * Superiority of A over B by more than `margin` (default 0): H₀: μA − μB ≤ margin against H₁: μA − μB > margin,
 * one-sided at α. Verdict "superior" when the lower bound exceeds the margin, "not-superior" when the upper bound is
 * below it, else "inconclusive".
 */
export function superiority(
  a: ArrayLike<number | boolean>,
  b: ArrayLike<number | boolean>,
  options: MarginTestOptions & { margin?: number } = {},
): MarginTestResult<"superior" | "not-superior" | "inconclusive"> {
  const alpha = options.alpha ?? 0.05;
  checkAlpha(alpha, 0.5);
  const margin = options.margin ?? 0;
  checkMargin(margin, false);
  const m = model(a, b, options);
  const ci = m.ci(alpha);
  return {
    hypothesis: "superiority",
    estimate: m.estimate,
    ci,
    pValue: m.pAbove(margin),
    verdict: ci.lower > margin ? "superior" : ci.upper < margin ? "not-superior" : "inconclusive",
    margin,
    alpha,
    method: options.method ?? "t",
    n: m.n,
  };
}

/**
 * Equivalence within ±δ by two one-sided tests (TOST; Schuirmann 1987, J. Pharmacokinet. Biopharm. 15:657):
 * H₀: |μA − μB| ≥ δ, rejected when both one-sided tests reject at α; p = max of the two. Equivalently the 1 − 2α
 * interval lies inside (−δ, δ) → "equivalent"; entirely outside → "not-equivalent"; else "inconclusive".
 */
export function equivalence(
  a: ArrayLike<number | boolean>,
  b: ArrayLike<number | boolean>,
  options: MarginTestOptions & { margin: number },
): MarginTestResult<"equivalent" | "not-equivalent" | "inconclusive"> {
  const alpha = options.alpha ?? 0.05;
  checkAlpha(alpha, 0.5);
  checkMargin(options.margin, true);
  const delta = options.margin;
  const m = model(a, b, options);
  const ci = m.ci(alpha);
  return {
    hypothesis: "equivalence",
    estimate: m.estimate,
    ci,
    pValue: Math.max(m.pAbove(-delta), m.pBelow(delta)),
    verdict:
      ci.lower > -delta && ci.upper < delta
        ? "equivalent"
        : ci.lower > delta || ci.upper < -delta
          ? "not-equivalent"
          : "inconclusive",
    margin: delta,
    alpha,
    method: options.method ?? "t",
    n: m.n,
  };
}
