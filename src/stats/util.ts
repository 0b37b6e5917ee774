/** Shared types and input checks for `src/stats`. */

/** A two-sided confidence interval. `level` is its nominal coverage (0.95 = 95%). */
export interface Interval {
  lower: number;
  upper: number;
  level: number;
}

/** Throws unless 0 < level < 1. */
export function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
}

/** Throws unless 0 < alpha < 1 (or < ½ when one-sided at 1 − 2α is formed). */
export function checkAlpha(alpha: number, max = 1): void {
  if (!(alpha > 0 && alpha < max)) throw new RangeError(`alpha must be in (0, ${max}), got ${alpha}`);
}

/** Throws unless n is a positive integer. */
export function checkCount(n: number, name: string, min = 1): void {
  if (!(Number.isInteger(n) && n >= min)) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${n}`);
}

/** Copies finite values into a Float64Array (throws on NaN/±Infinity or fewer than `min` values). */
export function toFloat64(values: ArrayLike<number>, name = "values", min = 1): Float64Array {
  const n = values.length;
  if (n < min) throw new RangeError(`${name} needs at least ${min} value(s), got ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`${name}[${i}] is not a finite number: ${v}`);
    out[i] = v;
  }
  return out;
}

/** Per-sample differences a[i] − b[i] of two equally long score vectors. */
export function differences(a: ArrayLike<number>, b: ArrayLike<number>, min = 1): Float64Array {
  if (a.length !== b.length) throw new RangeError(`paired vectors differ in length: ${a.length} vs ${b.length}`);
  const n = a.length;
  if (n < min) throw new RangeError(`paired comparison needs at least ${min} pair(s), got ${n}`);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RangeError(`pair ${i} is not finite: (${x}, ${y})`);
    d[i] = x - y;
  }
  return d;
}

/** A 0/1 outcome from a boolean or a number that is exactly 0 or 1. */
export function toBinary(v: number | boolean, name: string, i: number): 0 | 1 {
  if (v === true || v === 1) return 1;
  if (v === false || v === 0) return 0;
  throw new RangeError(`${name}[${i}] must be 0, 1, true or false, got ${String(v)}`);
}

/**
 * The p-quantile of already sorted values by linear interpolation between order statistics (Hyndman & Fan 1996 type
 * 7, the default of R's `quantile` and numpy's `percentile`). Infinite order statistics are returned as they are.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantile of an empty sample");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  const frac = h - lo;
  if (frac === 0 || a === b) return a;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return frac < 0.5 ? a : b;
  return a + frac * (b - a);
}

/** Nearest-rank p-quantile of already sorted, non-empty values: a value of the sample, as the store's p50/p95 are. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

/** Neumaier-compensated sum (error independent of n to first order). */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) c += sum - t + v;
    else c += v - t + sum;
    sum = t;
  }
  return sum + c;
}
