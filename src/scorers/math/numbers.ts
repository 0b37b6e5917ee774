/**
 * The number arithmetic sympy does when it evaluates `(ground truth)-(given)`, for sympy-equal.ts:
 * - exact rationals (sympy Integer and Rational), in arbitrary precision;
 * - binary floating point with a precision per number (sympy Float, computed by mpmath): a decimal literal gets
 *   max(15, its number of digits) decimal digits of precision, i.e. 53 bits for up to 15 digits, 56 for 16, 63 for
 *   18…; every operation rounds to nearest (ties to even) at the larger precision of its operands, after rounding a
 *   rational operand to that precision; a rational divided by a Float is computed, as sympy does, as the rational
 *   times (1/Float), which rounds twice;
 * - complex doubles for everything else (irrational and symbolic values).
 */

export interface Rat {
  k: "rat";
  n: bigint;
  d: bigint;
}

/** A sympy Float: its exact (dyadic) value and its precision in bits. */
export interface Flt {
  k: "flt";
  v: Rat;
  prec: number;
}

/** A complex value known only numerically. */
export interface Num {
  k: "num";
  re: number;
  im: number;
}

export type Value = Rat | Flt | Num;

/** A value sympy would leave unevaluated or turn into zoo/nan: the comparison is abandoned (not equal). */
export class Unsupported extends Error {
  override name = "Unsupported";
}

export const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rat(n: bigint, d = 1n): Rat {
  if (d === 0n) throw new Unsupported("division by zero (zoo)");
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return { k: "rat", n: (sign * n) / g, d: (sign * d) / g };
}

export function bitLength(x: bigint): number {
  return x === 0n ? 0 : abs(x).toString(2).length;
}

export const isInteger = (x: Rat): boolean => x.d === 1n;

/** x rounded to `prec` significant bits, to nearest, ties to even (mpmath's round_nearest). */
export function roundRat(x: Rat, prec: number): Rat {
  if (x.n === 0n) return x;
  const a = abs(x.n);
  const b = x.d;
  // Find s such that floor(a·2^s / b) has prec+1 bits: the mantissa and one rounding bit.
  const quotient = (s: number): [bigint, bigint] => {
    const num = s >= 0 ? a << BigInt(s) : a;
    const den = s >= 0 ? b : b << BigInt(-s);
    return [num / den, num % den];
  };
  let s = prec + 1 - (bitLength(a) - bitLength(b));
  let [q, r] = quotient(s);
  while (bitLength(q) > prec + 1) [q, r] = quotient(--s);
  while (bitLength(q) < prec + 1) [q, r] = quotient(++s);
  let mantissa = q >> 1n;
  if ((q & 1n) === 1n && (r !== 0n || (mantissa & 1n) === 1n)) mantissa += 1n;
  const exponent = 1 - s;
  const signed = x.n < 0n ? -mantissa : mantissa;
  return exponent >= 0 ? rat(signed << BigInt(exponent)) : rat(signed, 1n << BigInt(-exponent));
}

/** The double nearest to x. */
export function ratToDouble(x: Rat): number {
  if (x.n === 0n) return 0;
  if (abs(x.n) <= 2n ** 53n && x.d <= 2n ** 53n) return Number(x.n) / Number(x.d);
  const r = roundRat(x, 53);
  // r is m·2^e with |m| < 2^53: both conversions are exact (within the double range).
  const dBits = bitLength(r.d) - 1;
  const nBits = bitLength(r.n);
  if (nBits <= 53) return Number(r.n) / 2 ** dBits;
  const shift = nBits - 53;
  return Number(r.n >> BigInt(shift)) * 2 ** shift;
}

/** The exact value of a finite double. */
export function doubleToRat(x: number): Rat {
  if (!Number.isFinite(x)) throw new Unsupported("non-finite float");
  let m = x;
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    e++;
  }
  return rat(BigInt(m), 2n ** BigInt(e));
}

/** mpmath `dps_to_prec`: bits for a number of decimal digits (Python `round`, ties to even). */
function dpsToPrec(dps: number): number {
  const x = (dps + 1) * 3.3219280948873626;
  const floor = Math.floor(x);
  const rounded = x - floor > 0.5 || (x - floor === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return Math.max(1, rounded);
}

/** `sympy.Float("…")` of a Python float literal (underscores already removed). */
export function floatLiteral(text: string): Flt {
  const m = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$/.exec(text);
  if (m === null) throw new Unsupported(`float literal ${text}`);
  const whole = m[1] ?? "";
  const fraction = m[2] ?? "";
  const exponent = Number(m[3] ?? "0") - fraction.length;
  const digits = BigInt(`${whole}${fraction}` || "0");
  const value = exponent >= 0 ? rat(digits * 10n ** BigInt(exponent)) : rat(digits, 10n ** BigInt(-exponent));
  // Decimal's coefficient digits: leading zeros dropped, trailing ones kept ("3.00" has 3, "0.050" has 2).
  let dps = (`${whole}${fraction}`.replace(/^0+/, "") || "0").length;
  if (!text.includes(".") && isInteger(value)) dps = Math.max(dps, value.n.toString().length);
  const prec = dpsToPrec(Math.max(15, dps));
  return { k: "flt", v: roundRat(value, prec), prec };
}

function flt(v: Rat, prec: number): Flt {
  return { k: "flt", v: roundRat(v, prec), prec };
}

function exactAdd(a: Rat, b: Rat): Rat {
  return rat(a.n * b.d + b.n * a.d, a.d * b.d);
}

function exactMul(a: Rat, b: Rat): Rat {
  return rat(a.n * b.n, a.d * b.d);
}

function exactDiv(a: Rat, b: Rat): Rat {
  if (b.n === 0n) throw new Unsupported("division by zero (zoo)");
  return rat(a.n * b.d, a.d * b.n);
}

export function ratNeg(a: Rat): Rat {
  return { k: "rat", n: -a.n, d: a.d };
}

/** An operand of a Float operation at precision `prec`: a Float as it is, a rational rounded (`_as_mpf_op`). */
function operand(x: Rat | Flt, prec: number): Rat {
  return x.k === "flt" ? x.v : roundRat(x, prec);
}

const precOf = (a: Rat | Flt, b: Rat | Flt): number => Math.max(a.k === "flt" ? a.prec : 0, b.k === "flt" ? b.prec : 0);

/** sympy Number arithmetic where at least one side is a Float. */
export function floatArith(op: "+" | "-" | "*" | "/", a: Rat | Flt, b: Rat | Flt): Flt {
  const prec = precOf(a, b);
  if (op === "/" && a.k === "rat" && b.k === "flt") {
    // Rational.__truediv__(Float) is self*(1/other).
    if (b.v.n === 0n) throw new Unsupported("division by zero (zoo)");
    const inverse = flt(exactDiv(rat(1n), b.v), b.prec);
    return floatArith("*", a, inverse);
  }
  const x = operand(a, prec);
  const y = operand(b, prec);
  switch (op) {
    case "+":
      return flt(exactAdd(x, y), prec);
    case "-":
      return flt(exactAdd(x, ratNeg(y)), prec);
    case "*":
      return flt(exactMul(x, y), prec);
    case "/":
      return flt(exactDiv(x, y), prec);
  }
}

const MAX_BITS = 100_000;

/** Exact rational power with an integer exponent. */
export function ratPow(base: Rat, e: bigint): Rat {
  if (e === 0n) return rat(1n);
  if (base.n === 0n) {
    if (e < 0n) throw new Unsupported("0 to a negative power (zoo)");
    return rat(0n);
  }
  const p = abs(e);
  if (Number(p) * Math.max(bitLength(base.n), bitLength(base.d)) > MAX_BITS) throw new Unsupported("power too large");
  const n = base.n ** p;
  const d = base.d ** p;
  return e > 0n ? rat(n, d) : rat(d, n);
}

/** Float ** Integer: the exact power rounded once (mpmath `mpf_pow_int`). */
export function floatPowInt(base: Flt, e: bigint): Flt {
  return flt(ratPow(base.v, e), base.prec);
}

/** The integer square root of a non-negative bigint, or null when it is not a perfect square. */
export function exactSqrt(x: bigint): bigint | null {
  const r = isqrt(x);
  return r * r === x ? r : null;
}

function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let y = x;
  let z = (y + 1n) / 2n;
  while (z < y) {
    y = z;
    z = (y + x / y) / 2n;
  }
  return y;
}

/** sqrt of a non-negative Float, correctly rounded at its precision (mpmath `mpf_sqrt`). */
export function floatSqrt(x: Flt): Flt {
  if (x.v.n === 0n) return x;
  // x = n/2^k. With N = n·2^(2t-k) an integer of at least 2(prec+2) bits, sqrt(x) = sqrt(N)/2^t, and the integer
  // root r has prec+2 bits or more: the true root lies in [r, r+1), which no rounding boundary at prec bits
  // crosses, so r (if exact) or r + 1/2 (if not) rounds as the true root does.
  const k = bitLength(x.v.d) - 1;
  const t = Math.max(Math.ceil(k / 2), Math.ceil((2 * (x.prec + 2) - bitLength(x.v.n) + k) / 2)) + 1;
  const big = x.v.n << BigInt(2 * t - k);
  const root = isqrt(big);
  const twice = root * root === big ? 2n * root : 2n * root + 1n;
  return flt(rat(twice, 2n ** BigInt(t + 1)), x.prec);
}

/** Prime factors of n > 0 by trial division; a cofactor too large to factor counts as one prime. */
function primeFactors(n: bigint): Map<bigint, number> {
  const factors = new Map<bigint, number>();
  let m = n;
  for (let p = 2n; p * p <= m && p < 1_000_000n; p += p === 2n ? 1n : 2n) {
    while (m % p === 0n) {
      factors.set(p, (factors.get(p) ?? 0) + 1);
      m /= p;
    }
  }
  if (m > 1n) {
    const root = exactSqrt(m);
    if (root !== null) factors.set(root, (factors.get(root) ?? 0) + 2);
    else factors.set(m, (factors.get(m) ?? 0) + 1);
  }
  return factors;
}

/**
 * sqrt(x) of a rational as sympy writes it: coefficient × sqrt(squarefree radicand), the radicand's primes, and
 * whether x was negative (then the value is i times that). sqrt(8) = 2·sqrt(2), sqrt(1/2) = sqrt(2)/2.
 */
export function rationalSqrt(x: Rat): { coefficient: Rat; radicand: bigint; primes: bigint[]; negative: boolean } {
  const negative = x.n < 0n;
  const m = abs(x.n) * x.d;
  let square = 1n;
  let radicand = 1n;
  const primes: bigint[] = [];
  for (const [p, count] of primeFactors(m)) {
    square *= p ** BigInt(Math.floor(count / 2));
    if (count % 2 === 1) {
      radicand *= p;
      primes.push(p);
    }
  }
  return { coefficient: rat(square, x.d), radicand, primes, negative };
}

// Complex doubles

export const num = (re: number, im = 0): Num => ({ k: "num", re, im });
export const cadd = (a: Num, b: Num): Num => num(a.re + b.re, a.im + b.im);
export const csub = (a: Num, b: Num): Num => num(a.re - b.re, a.im - b.im);
export const cmul = (a: Num, b: Num): Num => num(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
export function cdiv(a: Num, b: Num): Num {
  const den = b.re * b.re + b.im * b.im;
  return num((a.re * b.re + a.im * b.im) / den, (a.im * b.re - a.re * b.im) / den);
}
export const cabs = (a: Num): number => Math.hypot(a.re, a.im);
export const clog = (a: Num): Num => num(Math.log(cabs(a)), Math.atan2(a.im, a.re));
export function cexp(a: Num): Num {
  const m = Math.exp(a.re);
  return num(m * Math.cos(a.im), m * Math.sin(a.im));
}
/** Principal branch, as sympy evaluates complex powers. */
export function cpow(a: Num, b: Num): Num {
  if (a.re === 0 && a.im === 0) {
    if (b.re > 0) return num(0);
    throw new Unsupported("0 to a non-positive power");
  }
  return cexp(cmul(b, clog(a)));
}
export function cpowInt(a: Num, e: bigint): Num {
  let p = abs(e);
  if (p > 100_000n) return cpow(a, num(Number(e)));
  let result = num(1);
  let base = a;
  while (p > 0n) {
    if (p & 1n) result = cmul(result, base);
    base = cmul(base, base);
    p >>= 1n;
  }
  return e < 0n ? cdiv(num(1), result) : result;
}
/** Principal square root. */
export function csqrt(a: Num): Num {
  const r = cabs(a);
  const im = Math.sqrt(Math.max(0, (r - a.re) / 2));
  return num(Math.sqrt((r + a.re) / 2), a.im < 0 ? -im : im);
}
export const csin = (a: Num): Num => num(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));

export function toNum(v: Value): Num {
  if (v.k === "num") return v;
  return num(ratToDouble(v.k === "flt" ? v.v : v));
}
