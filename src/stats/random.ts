/**
 * Seeded pseudo-random numbers for resampling. Everything random in `src/stats` is driven by an {@link Rng}, so a
 * result is a pure function of its inputs and its seed.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4),
 * 2021): 128 bits of state, period 2^128 − 1, passes BigCrush; 32-bit outputs from 32-bit integer arithmetic, which
 * JavaScript does exactly with `Math.imul` and `>>>`. The state is filled from the seed by SplitMix32 (the 32-bit
 * variant of Steele, Lea & Flood's SplitMix, with Mueller's finaliser constants), so nearby seeds give unrelated
 * streams.
 */

export interface Rng {
  /** Uniform on [0, 1), a multiple of 2^-32. */
  next(): number;
  /**
   * Uniform integer in [0, n) for 1 ≤ n ≤ 2^32, as floor(u32 · n / 2^32) (Lemire's multiply-shift without rejection):
   * each value has probability within n/2^32 of 1/n (relative bias < 2.4e-6 at n = 10,000), far below any Monte Carlo
   * error of a resampling method.
   */
  int(n: number): number;
  /** A raw 32-bit output as an unsigned integer. */
  uint32(): number;
}

/** A seed (any finite number; it is hashed) or an existing generator to draw from. */
export type RandomSource = number | Rng;

/** The seed used when none is given: results are reproducible by default. */
export const DEFAULT_SEED = 20240229;

const TWO_POW_32 = 4294967296;

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** xoshiro128** with public state words (read by hot loops that inline the generator). */
export class Xoshiro128 implements Rng {
  s0: number;
  s1: number;
  s2: number;
  s3: number;

  constructor(seed: number = DEFAULT_SEED) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    // Mix both halves of the seed (integers up to 2^53 and fractional seeds both give distinct streams).
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    const frac = Math.floor((seed - Math.floor(seed)) * TWO_POW_32) >>> 0;
    const st = { s: lo ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(frac, 0xc2b2ae35) };
    this.s0 = splitmix32(st);
    this.s1 = splitmix32(st);
    this.s2 = splitmix32(st);
    this.s3 = splitmix32(st);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with the given state (not all zero); for reproducing reference streams. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    const g = new Xoshiro128(0);
    g.s0 = s0 | 0;
    g.s1 = s1 | 0;
    g.s2 = s2 | 0;
    g.s3 = s3 | 0;
    if ((g.s0 | g.s1 | g.s2 | g.s3) === 0) throw new RangeError("xoshiro128** state must not be all zero");
    return g;
  }

  uint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  int(n: number): number {
    return Math.floor((this.uint32() * n) / TWO_POW_32);
  }
}

/** A new generator from a seed. */
export function createRng(seed: number = DEFAULT_SEED): Rng {
  return new Xoshiro128(seed);
}

/** The generator to use for a `seed`/`rng` option: the given generator, or a new one from the seed (default seed if none). */
export function toRng(source: RandomSource | undefined): Rng {
  if (source === undefined) return new Xoshiro128(DEFAULT_SEED);
  if (typeof source === "number") return new Xoshiro128(source);
  return source;
}

/** A standard normal variate (Marsaglia polar method). */
export function normalVariate(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** A Binomial(n, p) variate by n Bernoulli trials (O(n); meant for tests and small simulations). */
export function binomialVariate(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k++;
  return k;
}
