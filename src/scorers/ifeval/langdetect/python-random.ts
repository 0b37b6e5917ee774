/**
 * CPython's `random.Random` (Mersenne Twister MT19937 with Python's integer seeding), limited to what langdetect's
 * detector calls: `seed(int)`, `random()`, `gauss(0, 1)` and `choice(seq)`. With the same seed it returns the same
 * numbers as CPython, so this port's language detection equals Python langdetect's with `DetectorFactory.seed` set.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;
  private gaussNext: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** `random.seed(n)` for a non-negative safe integer: the key is n's 32-bit words, least significant first. */
  seed(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${n}`);
    const key: number[] = [];
    let rest = n;
    do {
      key.push(rest % 0x100000000);
      rest = Math.floor(rest / 0x100000000);
    } while (rest > 0);
    this.initByArray(key);
    this.gaussNext = null;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] as number;
      const mixed = ((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) >>> 0;
      mt[i] = (mixed + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] as number;
      const mixed = ((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) >>> 0;
      mt[i] = (mixed - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      const twist = (a: number, b: number, c: number): number => {
        const y = ((mt[a] as number) & UPPER_MASK) | ((mt[b] as number) & LOWER_MASK);
        return ((mt[c] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
      };
      for (; kk < N - M; kk++) mt[kk] = twist(kk, kk + 1, kk + M);
      for (; kk < N - 1; kk++) mt[kk] = twist(kk, kk + 1, kk + (M - N));
      mt[N - 1] = twist(N - 1, 0, M - 1);
      this.mti = 0;
    }
    let y = mt[this.mti++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random.random()`: 53 random bits in [0, 1). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) * (1 / 9007199254740992);
  }

  /** `random.getrandbits(k)` for 1 ≤ k ≤ 32. */
  private getrandbits(k: number): number {
    return this.nextUint32() >>> (32 - k);
  }

  /** `random.choice(seq)`'s index: rejection sampling on `n.bit_length()` random bits. */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0xffffffff) throw new RangeError(`cannot choose among ${n} items`);
    const k = 32 - Math.clz32(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `random.gauss(mu, sigma)` (Box–Muller, caching the second value like CPython). */
  gauss(mu = 0, sigma = 1): number {
    let z = this.gaussNext;
    this.gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * (2 * Math.PI);
      const g2rad = Math.sqrt(-2 * Math.log(1 - this.random()));
      z = Math.cos(x2pi) * g2rad;
      this.gaussNext = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }
}
