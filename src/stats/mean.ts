/** Means with t intervals, and cluster-robust intervals when samples come in groups. */
import { studentTQuantile } from "./distributions.js";
import { checkLevel, compensatedSum, type Interval, toFloat64 } from "./util.js";

/** Arithmetic mean (compensated summation). */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError("mean of an empty sample");
  return compensatedSum(values) / values.length;
}

/**
 * Sample variance with divisor n − 1, by the corrected two-pass algorithm (Chan, Golub & LeVeque 1983):
 * (Σ(x − x̄)² − (Σ(x − x̄))²/n)/(n − 1), exact to rounding even when the mean is large relative to the spread.
 */
export function variance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) throw new RangeError(`variance needs at least 2 values, got ${n}`);
  const m = mean(values);
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    ss += d * d;
    s += d;
  }
  return Math.max(0, (ss - (s * s) / n) / (n - 1));
}

/** Sample standard deviation (divisor n − 1). */
export function standardDeviation(values: ArrayLike<number>): number {
  return Math.sqrt(variance(values));
}

export interface MeanOptions {
  /** Confidence level, default 0.95. */
  level?: number;
}

export interface MeanEstimate {
  estimate: number;
  /** Standard error of the mean. */
  se: number;
  /** Degrees of freedom of the t critical value. */
  df: number;
  n: number;
  ci: Interval;
  method: "t" | "cluster-robust";
}

/** Student t interval for a mean: x̄ ± t(n − 1; 1 − α/2)·s/√n. Equals R's `t.test(x)$conf.int`. Needs n ≥ 2. */
export function tInterval(values: ArrayLike<number>, options: MeanOptions = {}): MeanEstimate {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const x = toFloat64(values, "values", 2);
  const n = x.length;
  const estimate = mean(x);
  const se = Math.sqrt(variance(x) / n);
  const df = n - 1;
  const h = studentTQuantile(0.5 + level / 2, df) * se;
  return { estimate, se, df, n, ci: { lower: estimate - h, upper: estimate + h, level }, method: "t" };
}

export interface ClusteredMeanEstimate extends MeanEstimate {
  method: "cluster-robust";
  /** Number of clusters G (df = G − 1). */
  clusters: number;
  /** The i.i.d. standard error s/√n, for comparison. */
  naiveSe: number;
  /** (se / naiveSe)²: how much the clustering inflates the variance. */
  designEffect: number;
}

/**
 * Mean of clustered samples with a cluster-robust (CR1) standard error: with residuals eᵢ = yᵢ − ȳ and G clusters,
 *   Var(ȳ) = G/(G − 1) · Σ_g (Σ_{i∈g} eᵢ)² / N²,
 * the sandwich estimator of Liang & Zeger (1986) for an intercept-only regression, with the small-sample factor
 * G/(G − 1)·(N − 1)/(N − K) at K = 1 (Cameron & Miller 2015, "A Practitioner's Guide to Cluster-Robust Inference",
 * J. Human Resources 50(2), §II.C and §VI.A; Stata's `regress y, vce(cluster g)`). The interval uses t(G − 1)
 * critical values, as Cameron & Miller (§VI.C) recommend for few clusters. This is the clustered standard error of
 * Miller (2024), "Adding Error Bars to Evals", with that correction. Clusters are e.g. MMLU subjects, or the
 * epochs of one sample. Needs G ≥ 2.
 */
export function clusteredMean(
  values: ArrayLike<number>,
  clusters: ArrayLike<string | number>,
  options: MeanOptions = {},
): ClusteredMeanEstimate {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const y = toFloat64(values, "values", 2);
  if (clusters.length !== y.length) {
    throw new RangeError(`values and clusters differ in length: ${y.length} vs ${clusters.length}`);
  }
  const n = y.length;
  const estimate = mean(y);
  const sums = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const g = clusters[i] as string | number;
    sums.set(g, (sums.get(g) ?? 0) + ((y[i] as number) - estimate));
  }
  const G = sums.size;
  if (G < 2) throw new RangeError(`cluster-robust standard errors need at least 2 clusters, got ${G}`);
  let meat = 0;
  for (const s of sums.values()) meat += s * s;
  const se = Math.sqrt(((G / (G - 1)) * meat) / (n * n));
  const naiveSe = Math.sqrt(variance(y) / n);
  const df = G - 1;
  const h = studentTQuantile(0.5 + level / 2, df) * se;
  return {
    estimate,
    se,
    df,
    n,
    ci: { lower: estimate - h, upper: estimate + h, level },
    method: "cluster-robust",
    clusters: G,
    naiveSe,
    designEffect: naiveSe > 0 ? (se / naiveSe) ** 2 : Number.NaN,
  };
}
