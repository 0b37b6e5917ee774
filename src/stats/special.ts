/**
 * Special functions under the distributions: log-gamma, Loader's saddle-point terms, and the regularized incomplete
 * beta and gamma functions. Pure numerics; no allocation on the hot paths.
 *
 * Accuracy, measured against mpmath at 40–50 digits: the regularized incomplete beta has relative error ≲ 4e-14 for
 * shapes from 0.5 to 5e6 (both tails), which carries through to the t, binomial and beta functions.
 */

export const LN_2PI = 1.8378770664093453; // ln(2π)
export const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)
const EPS = 2.220446049250313e-16;
const FPMIN = 1e-300;

// Lanczos (1964) approximation with g = 7, n = 9 (coefficients as tabulated by Godfrey / Numerical Recipes 3rd ed.
// §6.1): relative error < 1e-15 in Γ for Re x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;

/** ln Γ(x) for x > 0 (Lanczos, g = 7; reflection formula below ½). */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0 && Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) s += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ln B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln C(n, k) for real 0 ≤ k ≤ n. */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

// Stirling-series coefficients 1/12, 1/360, 1/1260, 1/1680, 1/1188 (Loader 2000).
const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

/**
 * Loader's stirlerr(n) = ln Γ(n + 1) − (n + ½) ln n + n − ½ ln(2π), the error of Stirling's formula (C. Loader, "Fast
 * and accurate computation of binomial probabilities", 2000). Direct for n ≤ 15, asymptotic series above.
 */
export function stirlingError(n: number): number {
  if (n <= 15) return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** Loader's deviance term bd0(x, m) = x ln(x/m) + m − x, by a series when x ≈ m to avoid cancellation. */
export function bd0(x: number, m: number): number {
  return bd0Diff(x, m, x - m);
}

/** bd0(x, m) with the difference d = x − m supplied (callers that know it more precisely than x − m pass it). */
function bd0Diff(x: number, m: number, d: number): number {
  if (x === 0) return m;
  if (Math.abs(d) < 0.1 * (x + m)) {
    let v = d / (x + m);
    let s = d * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log1p(d / m) - d;
}

/**
 * ln of the binomial density C(n, x) pᵡ qⁿ⁻ˣ for real 0 ≤ x ≤ n, q = 1 − p given separately (Loader's dbinom_raw in
 * log space): near machine precision even for n in the millions, where differences of ln Γ would lose 8+ digits.
 */
export function binomialLogDensityRaw(x: number, n: number, p: number, q: number): number {
  if (p === 0) return x === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (q === 0) return x === n ? 0 : Number.NEGATIVE_INFINITY;
  if (x === 0) {
    if (n === 0) return 0;
    return p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q);
  }
  if (x === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
  if (x < 0 || x > n) return Number.NEGATIVE_INFINITY;
  const lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  // ln(2π x (n − x)/n); log1p(−x/n) would lose digits of 1 − x/n when x ≈ n.
  const lf = LN_2PI + Math.log(x) + (2 * x < n ? Math.log1p(-x / n) : Math.log((n - x) / n));
  return lc - 0.5 * lf;
}

/** The binomial density C(n, x) pᵡ qⁿ⁻ˣ (see {@link binomialLogDensityRaw}). */
export function binomialDensityRaw(x: number, n: number, p: number, q: number): number {
  return Math.exp(binomialLogDensityRaw(x, n, p, q));
}

/**
 * xᵃ yᵇ / B(a, b) with y = 1 − x, in Loader's form: it equals dbinom_raw(a; a + b, x, y) · ab/(a + b), so
 * ln = stirlerr(a + b) − stirlerr(a) − stirlerr(b) − bd0(a, (a + b)x) − bd0(b, (a + b)y) − ½ ln(2π ab/(a + b))
 * + ln(ab/(a + b)), with a and b kept separate (no ((a + b) − a) rounding).
 */
export function betaFrontFactor(x: number, y: number, a: number, b: number): number {
  const n = a + b;
  // d = a − n·x = n·y − b, formed from the smaller of x and y: when x ≈ 1 and a is huge, xᵃ is ill-conditioned in x
  // but not in y, which callers (t, binomial) pass exactly.
  const d = x <= y ? a - n * x : n * y - b;
  const lc = stirlingError(n) - stirlingError(a) - stirlingError(b) - bd0Diff(a, n * x, d) - bd0Diff(b, n * y, -d);
  const lr = Math.log(a) + Math.log(b) - Math.log(n); // ln(ab/(a + b))
  return Math.exp(lc + 0.5 * lr - 0.5 * LN_2PI);
}

/** Beta density x^(a−1) y^(b−1) / B(a, b), y = 1 − x. */
export function betaDensity(x: number, a: number, b: number, y: number = 1 - x): number {
  if (x < 0 || y < 0) return 0;
  if (x === 0) return a < 1 ? Number.POSITIVE_INFINITY : a === 1 ? b : 0;
  if (y === 0) return b < 1 ? Number.POSITIVE_INFINITY : b === 1 ? a : 0;
  return betaFrontFactor(x, y, a, b) / (x * y);
}

/**
 * I_x(a, b) for x ≤ a/(a + b), by the continued fraction BFRAC of Didonato & Morris (ACM TOMS 708, 1992, §3), evaluated
 * forward with renormalisation. Unlike the textbook fraction (Numerical Recipes eq. 6.4.5, which loses ~√a·1e-16 and
 * more when x → 1 with a large), every term is formed from λ = a − (a + b)x = (a + b)y − b, computed from the
 * smaller of x and y, so there is no cancellation: relative error ≲ 4e-14 for shapes from 0.5 to 5e6 (checked
 * against mpmath). Takes O(√min(a, b)) terms near the mean, a handful in the tails.
 */
function betaFraction(a: number, b: number, x: number, y: number, lambda: number): number {
  const c = 1 + lambda;
  const c0 = b / a;
  const c1 = 1 + 1 / a;
  const yp1 = y + 1;
  let n = 0;
  let p = 1;
  let s = a + 1;
  let an = 0;
  let bn = 1;
  let anp1 = 1;
  let bnp1 = c / c1;
  let r = c1 / c;
  const maxIter = 10000 + Math.ceil(10 * Math.sqrt(Math.min(a, b)));
  for (let iter = 0; iter < maxIter; iter++) {
    n += 1;
    let t = n / a;
    const w = n * (b - n) * x;
    let e = a / s;
    const alpha = p * (p + c0) * e * e * (w * x);
    e = (1 + t) / (c1 + t + t);
    const beta = n + w / s + e * (c + n * yp1);
    p = 1 + t;
    s += 2;
    t = alpha * an + beta * anp1;
    an = anp1;
    anp1 = t;
    t = alpha * bn + beta * bnp1;
    bn = bnp1;
    bnp1 = t;
    const r0 = r;
    r = anp1 / bnp1;
    if (Math.abs(r - r0) <= EPS * r) break;
    an /= bnp1;
    bn /= bnp1;
    anp1 = r;
    bnp1 = 1;
  }
  return betaFrontFactor(x, y, a, b) * r;
}

/**
 * Regularized incomplete beta I_x(a, b) (or its complement 1 − I_x(a, b) when `upper`), with y = 1 − x passed
 * separately when the caller knows it more precisely than 1 − x. Evaluates BFRAC on the side of the mean where it
 * applies (I_x(a, b) directly if x ≤ a/(a + b), else 1 − I_y(b, a)), so both tails keep full relative precision.
 */
export function regularizedBeta(x: number, a: number, b: number, y: number = 1 - x, upper = false): number {
  if (!(a > 0 && b > 0) || Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x <= 0) return upper ? 1 : 0;
  if (y <= 0) return upper ? 0 : 1;
  const lambda = x <= y ? a - (a + b) * x : (a + b) * y - b;
  if (lambda >= 0) {
    const v = betaFraction(a, b, x, y, lambda);
    return upper ? 1 - v : v;
  }
  const v = betaFraction(b, a, y, x, -lambda);
  return upper ? v : 1 - v;
}

/** xᵃ e⁻ˣ / Γ(a): direct for small a, Loader's Poisson form a·exp(−stirlerr(a) − bd0(a, x))/√(2πa) otherwise. */
function gammaFrontFactor(a: number, x: number): number {
  if (a < 10) return Math.exp(a * Math.log(x) - x - logGamma(a));
  return (a * Math.exp(-stirlingError(a) - bd0(a, x))) / Math.sqrt(2 * Math.PI * a);
}

/** Series for P(a, x) without the front factor (NR 3rd ed. §6.2, eq. 6.2.5). */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < 100000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum;
}

/** Continued fraction for Q(a, x) without the front factor (NR 3rd ed. §6.2, eq. 6.2.7, modified Lentz). */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) break;
  }
  return h;
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a), or the upper Q(a, x) = 1 − P when `upper`. */
export function regularizedGamma(a: number, x: number, upper = false): number {
  if (!(a > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return upper ? 1 : 0;
  if (x === Number.POSITIVE_INFINITY) return upper ? 0 : 1;
  if (x < a + 1) {
    const p = gammaFrontFactor(a, x) * gammaSeries(a, x);
    return upper ? 1 - p : p;
  }
  const q = gammaFrontFactor(a, x) * gammaContinuedFraction(a, x);
  return upper ? q : 1 - q;
}

/**
 * erfc(z/√2) = 2·Φ(−z) for z ≥ 0, as Q(½, z²/2). The factor e^(−z²/2) is evaluated by splitting z into a part with
 * few significant bits and a remainder (as in Cody's and R's pnorm), so the rounding of z² does not cost relative
 * accuracy in the far tail.
 */
export function erfcOverSqrt2(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z < 0) return 2 - erfcOverSqrt2(-z);
  const x = 0.5 * z * z;
  if (x < 1.5) return 1 - gammaFrontFactor(0.5, x) * gammaSeries(0.5, x);
  if (z > 40) return 0;
  const zr = Math.trunc(z * 16) / 16;
  const expo = Math.exp(-0.5 * zr * zr) * Math.exp(-0.5 * (z - zr) * (z + zr));
  // Q(½, x) = xᐟ² e⁻ˣ / Γ(½) · CF(x) with x^½ = z/√2 and Γ(½) = √π.
  return ((expo * z) / Math.sqrt(2 * Math.PI)) * gammaContinuedFraction(0.5, x);
}
