/**
 * Paired comparisons of two models scored on the same samples. Differences are always A − B.
 */
import { type BootstrapMethod, bootstrapMeanOf } from "./bootstrap.js";
import { binomialCdf, binomialPmf, normalQuantile, studentTQuantile, studentTSf } from "./distributions.js";
import { wilsonBounds } from "./proportion.js";
import { type RandomSource, toRng, Xoshiro128 } from "./random.js";
import { checkCount, checkLevel, compensatedSum, differences, type Interval, toBinary } from "./util.js";

/** The paired 2×2 table of two models' right/wrong outcomes on the same samples. */
export interface PairedCounts {
  /** Both right. */
  both: number;
  /** A right, B wrong (McNemar's b). */
  onlyA: number;
  /** B right, A wrong (McNemar's c). */
  onlyB: number;
  /** Both wrong. */
  neither: number;
}

/** Counts the paired 2×2 table from two 0/1 (or boolean) outcome vectors. */
export function pairedCounts(a: ArrayLike<number | boolean>, b: ArrayLike<number | boolean>): PairedCounts {
  if (a.length !== b.length) throw new RangeError(`paired vectors differ in length: ${a.length} vs ${b.length}`);
  const c: PairedCounts = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  for (let i = 0; i < a.length; i++) {
    const x = toBinary(a[i] as number | boolean, "a", i);
    const y = toBinary(b[i] as number | boolean, "b", i);
    if (x && y) c.both++;
    else if (x) c.onlyA++;
    else if (y) c.onlyB++;
    else c.neither++;
  }
  return c;
}

export interface McNemarResult {
  /** A right, B wrong. */
  b: number;
  /** B right, A wrong. */
  c: number;
  discordant: number;
  /** Exact conditional McNemar p-value: two-sided binomial test of b ~ Binomial(b + c, ½), min(1, 2·P(X ≤ min(b, c))). */
  pValue: number;
  /** Mid-p variant: 2·(P(X < min(b, c)) + ½P(X = min(b, c))), capped at 1. */
  midPValue: number;
  method: "mcnemar-exact";
}

/**
 * Exact McNemar test on the discordant pairs (McNemar 1947; exact conditional form = R's `binom.test(b, b + c)`),
 * with the mid-p variant recommended by Fagerland, Lydersen & Laake (2013), "The McNemar test for binary matched-pairs
 * data: mid-p and asymptotic are better than exact conditional", BMC Med. Res. Methodol. 13:91. No discordant pairs
 * gives p = 1.
 */
export function mcnemarExact(b: number, c: number): McNemarResult {
  checkCount(b, "b", 0);
  checkCount(c, "c", 0);
  const n = b + c;
  if (n === 0) return { b, c, discordant: 0, pValue: 1, midPValue: 1, method: "mcnemar-exact" };
  const k = Math.min(b, c);
  const cdf = binomialCdf(k, n, 0.5);
  const pmf = binomialPmf(k, n, 0.5);
  return {
    b,
    c,
    discordant: n,
    pValue: Math.min(1, 2 * cdf),
    midPValue: Math.min(1, 2 * (cdf - 0.5 * pmf)),
    method: "mcnemar-exact",
  };
}

/** Newcombe's square-and-add bounds at critical value z (internal; also used to invert the interval into p-values). */
export function newcombeBounds(counts: PairedCounts, z: number): [number, number] {
  const { both, onlyA, onlyB, neither } = counts;
  const n = both + onlyA + onlyB + neither;
  const pA = (both + onlyA) / n;
  const pB = (both + onlyB) / n;
  const estimate = (onlyA - onlyB) / n;
  if (z === 0) return [estimate, estimate];
  const [l1, u1] = wilsonBounds(both + onlyA, n, z);
  const [l2, u2] = wilsonBounds(both + onlyB, n, z);
  // Newcombe's continuity-adjusted correlation φ*: with D = both·neither − onlyA·onlyB, φ* = (D − n/2)/√(margins)
  // if D > n/2, 0 if 0 ≤ D ≤ n/2, D/√(margins) if D < 0; 0 when a margin is empty.
  const margins = (both + onlyA) * (onlyB + neither) * (both + onlyB) * (onlyA + neither);
  const D = both * neither - onlyA * onlyB;
  const phi = margins === 0 ? 0 : D > n / 2 ? (D - n / 2) / Math.sqrt(margins) : D >= 0 ? 0 : D / Math.sqrt(margins);
  const dl = pA - l1;
  const du = u2 - pB;
  const el = u1 - pA;
  const eu = pB - l2;
  const delta = Math.sqrt(Math.max(0, dl * dl - 2 * phi * dl * du + du * du));
  const eps = Math.sqrt(Math.max(0, el * el - 2 * phi * el * eu + eu * eu));
  return [Math.max(-1, estimate - delta), Math.min(1, estimate + eps)];
}

/**
 * Newcombe's interval for the difference of paired proportions pA − pB, his method 10 (Newcombe 1998, "Improved
 * confidence intervals for the difference between binomial proportions based on paired data", Stat. Med.
 * 17:2635–2650): Wilson score intervals (l₁, u₁), (l₂, u₂) for the two marginal proportions (no continuity
 * correction), combined by square-and-add with Newcombe's adjusted correlation φ* of the 2×2 table:
 *   lower = θ̂ − √((p̂A − l₁)² − 2φ*(p̂A − l₁)(u₂ − p̂B) + (u₂ − p̂B)²),
 *   upper = θ̂ + √((u₁ − p̂A)² − 2φ*(u₁ − p̂A)(p̂B − l₂) + (p̂B − l₂)²),
 * where, with D = n₁₁n₂₂ − n₁₂n₂₁, φ* = (D − n/2)/√(n₁₊n₂₊n₊₁n₊₂) if D > n/2, 0 if 0 ≤ D ≤ n/2, and D/√(…) if D < 0.
 * Matches R's contingencytables::Newcombe_square_and_add_CI_paired_2x2 (Fagerland, Lydersen & Laake 2017,
 * "Statistical Analysis of Contingency Tables", ch. 8). A simulation in test/stats.simulation.test.ts checks coverage.
 */
export function newcombePairedInterval(counts: PairedCounts, options: { level?: number } = {}): Interval {
  const level = options.level ?? 0.95;
  checkLevel(level);
  for (const key of ["both", "onlyA", "onlyB", "neither"] as const) checkCount(counts[key], key, 0);
  const n = counts.both + counts.onlyA + counts.onlyB + counts.neither;
  checkCount(n, "number of pairs");
  const [lower, upper] = newcombeBounds(counts, normalQuantile(0.5 + level / 2));
  return { lower, upper, level };
}

export interface PairedBinaryComparison {
  n: number;
  accuracyA: number;
  accuracyB: number;
  /** accuracyA − accuracyB. */
  estimate: number;
  /** Newcombe (method 10) interval for the difference. */
  ci: Interval;
  /** Exact McNemar p-value (two-sided). */
  pValue: number;
  /** Mid-p McNemar p-value. */
  midPValue: number;
  counts: PairedCounts;
  method: "newcombe-10 + mcnemar-exact";
}

/** Two models' right/wrong outcomes on the same samples: difference in accuracy, Newcombe CI and exact McNemar test. */
export function comparePairedBinary(
  a: ArrayLike<number | boolean>,
  b: ArrayLike<number | boolean>,
  options: { level?: number } = {},
): PairedBinaryComparison {
  const counts = pairedCounts(a, b);
  const n = a.length;
  checkCount(n, "number of pairs");
  const ci = newcombePairedInterval(counts, options);
  const test = mcnemarExact(counts.onlyA, counts.onlyB);
  return {
    n,
    accuracyA: (counts.both + counts.onlyA) / n,
    accuracyB: (counts.both + counts.onlyB) / n,
    estimate: (counts.onlyA - counts.onlyB) / n,
    ci,
    pValue: test.pValue,
    midPValue: test.midPValue,
    counts,
    method: "newcombe-10 + mcnemar-exact",
  };
}

export interface PairedTTestResult {
  /** Mean of A − B. */
  estimate: number;
  se: number;
  df: number;
  t: number;
  /** Two-sided p-value for mean difference 0. */
  pValue: number;
  ci: Interval;
  n: number;
}

/** Paired t-test on the differences A − B (= R's `t.test(a, b, paired = TRUE)`, scipy.stats.ttest_rel). Needs n ≥ 2. */
export function pairedTTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { level?: number } = {},
): PairedTTestResult {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const d = differences(a, b, 2);
  const s = pairedSummary(d);
  const t = s.se > 0 ? s.mean / s.se : s.mean === 0 ? 0 : Math.sign(s.mean) * Number.POSITIVE_INFINITY;
  const h = studentTQuantile(0.5 + level / 2, s.df) * s.se;
  return {
    estimate: s.mean,
    se: s.se,
    df: s.df,
    t,
    pValue: Math.min(1, 2 * studentTSf(Math.abs(t), s.df)),
    ci: { lower: s.mean - h, upper: s.mean + h, level },
    n: d.length,
  };
}

/** Mean, standard error and df of paired differences. */
export function pairedSummary(d: Float64Array): { mean: number; se: number; df: number } {
  const n = d.length;
  const m = compensatedSum(d) / n;
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = (d[i] as number) - m;
    ss += e * e;
    s += e;
  }
  const v = Math.max(0, (ss - (s * s) / n) / (n - 1));
  return { mean: m, se: Math.sqrt(v / n), df: n - 1 };
}

export interface PairedBootstrapOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** Bootstrap resamples, default 10,000. */
  resamples?: number;
  seed?: RandomSource;
  /** Interval method, default "percentile". */
  method?: BootstrapMethod;
}

export interface PairedBootstrapResult {
  /** Mean of A − B. */
  estimate: number;
  ci: Interval;
  /**
   * Two-sided bootstrap p-value for "no difference": the bootstrap distribution shifted to mean 0 is the null
   * (Efron & Tibshirani 1993, §16.4), p = (1 + #{|θ*ᵣ − θ̂| ≥ |θ̂|})/(B + 1) (Davison & Hinkley 1997, eq. 4.11).
   */
  pValue: number;
  /** Bootstrap standard error of the mean difference. */
  se: number;
  method: BootstrapMethod;
  resamples: number;
  n: number;
}

/**
 * Paired bootstrap of the mean difference A − B: resamples sample indices with replacement (so each resample keeps
 * pairs together), on precomputed differences in a Float64Array with the generator inlined and no per-resample
 * allocation. 10,000 samples × 10,000 resamples runs in ~0.15 s on one core (bench/stats.mjs).
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const d = differences(a, b);
  const { result, sortedMeans } = bootstrapMeanOf(d, options);
  const est = result.estimate;
  const target = Math.abs(est);
  const tol = 1e-12 * Math.max(1, target);
  let extreme = 0;
  for (let i = 0; i < sortedMeans.length; i++) {
    if (Math.abs((sortedMeans[i] as number) - est) >= target - tol) extreme++;
  }
  return {
    estimate: est,
    ci: result.ci,
    pValue: Math.min(1, (1 + extreme) / (sortedMeans.length + 1)),
    se: result.se,
    method: result.method,
    resamples: result.resamples,
    n: d.length,
  };
}

export interface PermutationOptions {
  /** Monte Carlo sign-flip draws when not enumerating exactly, default 10,000. */
  resamples?: number;
  /** Enumerate all 2^m sign patterns when the number m of non-zero differences is at most this, default 20. */
  exactMaxN?: number;
  seed?: RandomSource;
}

export interface PermutationResult {
  /** Mean of A − B. */
  estimate: number;
  /** Two-sided p-value for "A and B are exchangeable on every sample". */
  pValue: number;
  method: "exact" | "monte-carlo";
  /** Sign patterns evaluated (2^m exact, or the Monte Carlo draws). */
  permutations: number;
  n: number;
  /** Differences that are not 0 (zeros cannot change sign and are left out of the enumeration). */
  nonZero: number;
}

/**
 * Paired permutation (sign-flip) test of the mean difference (Fisher 1935; Good 2005, "Permutation, Parametric and
 * Bootstrap Tests of Hypotheses", §3.7): under H₀ each difference is equally likely to have either sign. Statistic
 * T = Σ dᵢ; p = P(|T*| ≥ |T_obs|). Exact by Gray-code enumeration of all 2^m sign patterns of the m non-zero
 * differences when m ≤ `exactMaxN`; otherwise Monte Carlo with p = (1 + #{|T*| ≥ |T|})/(B + 1) (Phipson & Smyth 2010,
 * "Permutation p-values should never be zero"). On 0/1 outcomes the exact test equals the exact McNemar test.
 */
export function pairedPermutationTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: PermutationOptions = {},
): PermutationResult {
  const d = differences(a, b);
  const n = d.length;
  const exactMaxN = options.exactMaxN ?? 20;
  if (!(Number.isInteger(exactMaxN) && exactMaxN >= 0 && exactMaxN <= 30)) {
    throw new RangeError(`exactMaxN must be an integer in [0, 30], got ${exactMaxN}`);
  }
  const nz: number[] = [];
  let absSum = 0;
  for (let i = 0; i < n; i++) {
    const v = d[i] as number;
    if (v !== 0) {
      nz.push(v);
      absSum += Math.abs(v);
    }
  }
  const m = nz.length;
  const estimate = compensatedSum(d) / n;
  const tObs = Math.abs(compensatedSum(nz));
  const tol = 1e-9 * absSum;
  if (m === 0) return { estimate, pValue: 1, method: "exact", permutations: 1, n, nonZero: 0 };
  const dz = Float64Array.from(nz);
  if (m <= exactMaxN) {
    // Gray code: pattern k differs from k − 1 in bit ctz(k); T is updated by ±2·d_j.
    const total = 2 ** m;
    const positive = new Uint8Array(m).fill(1);
    let t = compensatedSum(dz);
    let count = Math.abs(t) >= tObs - tol ? 1 : 0;
    for (let k = 1; k < total; k++) {
      const j = 31 - Math.clz32(k & -k);
      const v = dz[j] as number;
      if (positive[j]) {
        t -= 2 * v;
        positive[j] = 0;
      } else {
        t += 2 * v;
        positive[j] = 1;
      }
      if (Math.abs(t) >= tObs - tol) count++;
    }
    return { estimate, pValue: count / total, method: "exact", permutations: total, n, nonZero: m };
  }
  const resamples = options.resamples ?? 10000;
  checkCount(resamples, "resamples");
  const rng = toRng(options.seed);
  const fast = rng instanceof Xoshiro128 ? rng : null;
  let count = 0;
  for (let r = 0; r < resamples; r++) {
    let t = 0;
    let bits = 0;
    for (let i = 0; i < m; i++) {
      if ((i & 31) === 0) bits = fast ? fast.uint32() : rng.uint32();
      t += bits & 1 ? (dz[i] as number) : -(dz[i] as number);
      bits >>>= 1;
    }
    if (Math.abs(t) >= tObs - tol) count++;
  }
  return {
    estimate,
    pValue: (1 + count) / (resamples + 1),
    method: "monte-carlo",
    permutations: resamples,
    n,
    nonZero: m,
  };
}
