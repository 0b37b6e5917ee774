/**
 * Nonparametric bootstrap of a mean: percentile and BCa intervals (Efron & Tibshirani 1993, "An Introduction to the
 * Bootstrap", ch. 13–14). The resampling core allocates nothing per resample and inlines the generator.
 */
import { normalCdf, normalQuantile } from "./distributions.js";
import { type RandomSource, type Rng, toRng, Xoshiro128 } from "./random.js";
import { checkCount, checkLevel, compensatedSum, type Interval, quantileSorted, toFloat64 } from "./util.js";

export type BootstrapMethod = "percentile" | "bca";

export interface BootstrapOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** Number of bootstrap resamples, default 10,000. */
  resamples?: number;
  /** Seed or generator (default: the fixed default seed, so results are reproducible). */
  seed?: RandomSource;
  /** Interval method, default "percentile". */
  method?: BootstrapMethod;
}

export interface BootstrapResult {
  estimate: number;
  ci: Interval;
  /** Standard deviation of the bootstrap means (the bootstrap standard error). */
  se: number;
  method: BootstrapMethod;
  resamples: number;
}

const TWO_POW_32 = 4294967296;

/**
 * `resamples` bootstrap means of x (each the mean of n draws with replacement), written into `out`. Index draws are
 * floor(u32·n/2³²) from the generator; with an {@link Xoshiro128} the generator is inlined (same stream as
 * `rng.int(n)`), which makes 10⁴ × 10⁴ draws take ~0.15 s on one core (Node 20).
 */
export function resampleMeans(
  x: Float64Array,
  resamples: number,
  rng: Rng,
  out: Float64Array = new Float64Array(resamples),
): Float64Array {
  const n = x.length;
  if (n === 0) throw new RangeError("cannot resample an empty sample");
  if (out.length < resamples) throw new RangeError("output buffer too small");
  const scale = n / TWO_POW_32;
  if (rng instanceof Xoshiro128) {
    let s0 = rng.s0;
    let s1 = rng.s1;
    let s2 = rng.s2;
    let s3 = rng.s3;
    for (let r = 0; r < resamples; r++) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const m = Math.imul(s1, 5);
        const u = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        sum += x[(u * scale) >>> 0] as number;
      }
      out[r] = sum / n;
    }
    rng.s0 = s0;
    rng.s1 = s1;
    rng.s2 = s2;
    rng.s3 = s3;
    return out;
  }
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[rng.int(n)] as number;
    out[r] = sum / n;
  }
  return out;
}

/** Standard deviation (divisor B − 1) of bootstrap replicates. */
function replicateSd(reps: Float64Array): number {
  const B = reps.length;
  if (B < 2) return Number.NaN;
  let m = 0;
  for (let i = 0; i < B; i++) m += reps[i] as number;
  m /= B;
  let ss = 0;
  for (let i = 0; i < B; i++) ss += ((reps[i] as number) - m) ** 2;
  return Math.sqrt(ss / (B - 1));
}

/**
 * Interval from sorted bootstrap means of x around the estimate.
 * - percentile: the α/2 and 1 − α/2 quantiles (type 7) of the replicates.
 * - BCa: quantiles at α₁ = Φ(z₀ + (z₀ + z_{α/2})/(1 − a(z₀ + z_{α/2}))) and likewise α₂ (Efron 1987; Efron &
 *   Tibshirani 1993 eq. 14.10), with bias correction z₀ = Φ⁻¹((#{θ* < θ̂} + ½#{θ* = θ̂})/B) (ties split, which matters
 *   for 0/1 scores; the proportion is clamped to [1/(2B), 1 − 1/(2B)]) and acceleration from the jackknife, which for
 *   a mean is exactly a = Σ(xᵢ − x̄)³ / (6(Σ(xᵢ − x̄)²)^{3/2}) (eq. 14.15).
 */
export function bootstrapInterval(
  x: Float64Array,
  estimate: number,
  sortedMeans: Float64Array,
  level: number,
  method: BootstrapMethod,
): Interval {
  const alpha = 1 - level;
  const B = sortedMeans.length;
  if (method === "percentile") {
    return { lower: quantileSorted(sortedMeans, alpha / 2), upper: quantileSorted(sortedMeans, 1 - alpha / 2), level };
  }
  let s2 = 0;
  let s3 = 0;
  let maxAbs = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - estimate;
    s2 += d * d;
    s3 += d * d * d;
    maxAbs = Math.max(maxAbs, Math.abs(x[i] as number));
  }
  if (s2 === 0) return { lower: estimate, upper: estimate, level };
  const accel = s3 / (6 * s2 ** 1.5);
  const tol = 8 * 2.220446049250313e-16 * maxAbs;
  let below = 0;
  let equal = 0;
  for (let i = 0; i < B; i++) {
    const v = sortedMeans[i] as number;
    if (v < estimate - tol) below++;
    else if (v <= estimate + tol) equal++;
  }
  const prop = Math.min(Math.max((below + 0.5 * equal) / B, 1 / (2 * B)), 1 - 1 / (2 * B));
  const z0 = normalQuantile(prop);
  const adjust = (z: number): number => {
    const w = z0 + z;
    const p = normalCdf(z0 + w / (1 - accel * w));
    return Number.isFinite(p) ? Math.min(Math.max(p, 0), 1) : z < 0 ? 0 : 1;
  };
  const zLo = normalQuantile(alpha / 2);
  return {
    lower: quantileSorted(sortedMeans, adjust(zLo)),
    upper: quantileSorted(sortedMeans, adjust(-zLo)),
    level,
  };
}

/** Shared driver: resample, sort, interval, standard error. */
export function bootstrapMeanOf(
  x: Float64Array,
  options: BootstrapOptions,
): { result: BootstrapResult; sortedMeans: Float64Array } {
  const level = options.level ?? 0.95;
  checkLevel(level);
  const resamples = options.resamples ?? 10000;
  checkCount(resamples, "resamples", 2);
  const method = options.method ?? "percentile";
  if (method !== "percentile" && method !== "bca") throw new RangeError(`unknown bootstrap method: ${String(method)}`);
  const estimate = compensatedSum(x) / x.length;
  const means = resampleMeans(x, resamples, toRng(options.seed));
  const se = replicateSd(means);
  means.sort();
  const ci = bootstrapInterval(x, estimate, means, level, method);
  return { result: { estimate, ci, se, method, resamples }, sortedMeans: means };
}

/** Bootstrap interval for the mean of `values` (percentile by default, or BCa). */
export function bootstrapMean(values: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapResult {
  return bootstrapMeanOf(toFloat64(values), options).result;
}
