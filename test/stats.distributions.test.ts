import { describe, expect, it } from "vitest";
import {
  betaCdf,
  betaQuantile,
  binomialCdf,
  binomialLogPmf,
  binomialPmf,
  binomialSf,
  chiSquareCdf,
  chiSquareSf,
  createRng,
  logGamma,
  normalCdf,
  normalQuantile,
  normalVariate,
  studentTCdf,
  studentTQuantile,
  Xoshiro128,
} from "../src/stats/index.js";

/** |actual − expected| ≤ tol·|expected| (relative), with exact zeros compared exactly. */
function expectRel(actual: number, expected: number, tol: number): void {
  if (expected === 0) {
    expect(actual).toBe(0);
    return;
  }
  const rel = Math.abs(actual - expected) / Math.abs(expected);
  expect(rel, `actual ${actual} vs expected ${expected} (rel. error ${rel})`).toBeLessThanOrEqual(tol);
}

describe("xoshiro128** generator", () => {
  it("reproduces the reference algorithm's stream from state (1, 2, 3, 4)", () => {
    // Reference: Blackman & Vigna's xoshiro128starstar.c, transcribed to Python integer arithmetic.
    const g = Xoshiro128.fromState(1, 2, 3, 4);
    const got = Array.from({ length: 6 }, () => g.uint32());
    expect(got).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it("is deterministic per seed, differs across seeds, and is uniform", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(xs);
    const rng = createRng(1);
    const counts = new Array<number>(10).fill(0);
    const N = 100000;
    let outOfRange = 0;
    for (let i = 0; i < N; i++) {
      const k = rng.int(10);
      if (!(Number.isInteger(k) && k >= 0 && k < 10)) outOfRange++;
      else counts[k] = (counts[k] as number) + 1;
    }
    expect(outOfRange).toBe(0);
    // Chi-square goodness of fit, 9 df: 99.9% point is 27.88.
    const chi = counts.reduce((s, c) => s + (c - N / 10) ** 2 / (N / 10), 0);
    expect(chi).toBeLessThan(27.88);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < 20000; i++) {
      const z = normalVariate(rng);
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / 20000)).toBeLessThan(0.03);
    expect(Math.abs(s2 / 20000 - 1)).toBeLessThan(0.04);
  });
});

describe("normal distribution", () => {
  it("CDF matches mpmath.ncdf (40 digits) into the far tail", () => {
    const ref: [number, number][] = [
      [-30, 4.906713927148187e-198],
      [-10, 7.619853024160525e-24],
      [-3, 0.0013498980316300946],
      [-1.96, 0.024997895148220435],
      [0.5, 0.6914624612740131],
      [2, 0.9772498680518208],
    ];
    for (const [x, p] of ref) expectRel(normalCdf(x), p, 2e-14);
    expect(normalCdf(0)).toBe(0.5);
  });

  it("quantile (Acklam + Halley step) matches mpmath to full precision", () => {
    expectRel(normalQuantile(0.975), 1.9599639845400543, 1e-15);
    expectRel(normalQuantile(0.001), -3.0902323061678136, 1e-15);
    expectRel(normalQuantile(1e-10), -6.361340902404057, 1e-15);
    expect(normalQuantile(0.5)).toBe(0);
    // Next to the median x → 0; the refinement forms (Φ(x) − ½) − (p − ½) to keep relative precision (mpmath root).
    expectRel(normalQuantile(0.499), -0.002506630899571766, 1e-14);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    for (const p of [1e-300, 1e-20, 0.01, 0.3, 0.7, 0.99]) expectRel(normalCdf(normalQuantile(p)), p, 1e-13);
  });
});

describe("Student t distribution", () => {
  it("two-sided 95% critical values match scipy.stats.t.ppf(0.975, df) (textbook t table)", () => {
    const ref: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [3, 3.1824463052837078],
      [5, 2.5705818356363146],
      [10, 2.228138851986274],
      [30, 2.0422724563012378],
      [100, 1.9839715185235518],
      [1000, 1.9623390808264083],
    ];
    for (const [df, t] of ref) expectRel(studentTQuantile(0.975, df), t, 1e-13);
    expectRel(studentTQuantile(0.995, 4), 4.604094871349992, 1e-13);
    expectRel(studentTQuantile(0.005, 20), -2.8453397097861077, 1e-13);
    expectRel(studentTQuantile(0.975, Number.POSITIVE_INFINITY), 1.9599639845400543, 1e-15);
  });

  it("quantile keeps precision next to the median, where scipy loses 10 digits", () => {
    // mpmath (40 digits) root of the exact CDF: −2.63430552421606e-07; scipy.stats.t.ppf gives −2.63430552384e-7.
    expectRel(studentTQuantile(0.4999999, 5), -2.63430552421606e-7, 1e-13);
    // Cauchy (df = 1) as tan(π(p − ½)): mpmath gives −3.1415927569437069e-4 for p = 0.4999.
    expectRel(studentTQuantile(0.4999, 1), -0.0003141592756943707, 1e-14);
  });

  it("CDF matches scipy.stats.t.cdf, including non-integer and huge df", () => {
    expectRel(studentTCdf(-2.5, 7), 0.020496109292876444, 1e-13);
    expectRel(studentTCdf(1.3, 15), 0.8933883394433686, 1e-14);
    expectRel(studentTCdf(-12, 3), 0.0006225079003946681, 1e-13);
    expectRel(studentTCdf(0.2, 2.5), 0.5716951579854872, 1e-14);
    // df = 1e7: mpmath betainc at 40 digits (TOMS 708's continued fraction keeps this; the textbook one loses 1e-10).
    expectRel(studentTCdf(-2, 1e7), 0.022750145445921476, 1e-14);
    expectRel(studentTCdf(-5, 1e7), 2.8665640375042696e-7, 1e-13);
    for (const df of [1, 3.5, 12, 400]) {
      for (const p of [0.001, 0.05, 0.3, 0.9]) expectRel(studentTCdf(studentTQuantile(p, df), df), p, 1e-12);
    }
  });
});

describe("binomial distribution", () => {
  it("PMF and CDF match scipy.stats.binom (Loader's saddle point; large n)", () => {
    expectRel(binomialPmf(6, 22, 0.5), 0.017789125442504886, 1e-14);
    expectRel(binomialPmf(5000, 10000, 0.5), 0.007978646139382158, 1e-13);
    expectRel(binomialPmf(3, 1000000, 1e-6), 0.06131320953854625, 1e-13);
    expectRel(binomialCdf(6, 22, 0.5), 0.026239395141601562, 1e-14);
    expectRel(binomialCdf(40, 100, 0.5), 0.028443966820490444, 1e-13);
    expectRel(binomialCdf(480000, 1000000, 0.49), 2.4254077426524908e-89, 1e-10);
    expect(binomialCdf(22, 22, 0.5)).toBe(1);
    expect(binomialCdf(-1, 22, 0.5)).toBe(0);
    expect(binomialPmf(2.5, 10, 0.5)).toBe(0);
    expect(binomialLogPmf(500000, 1000000, 0.5)).toBeCloseTo(Math.log(binomialPmf(500000, 1000000, 0.5)), 12);
  });

  it("CDF and survival function are complementary, and agree with direct summation", () => {
    for (const [k, n, p] of [
      [3, 10, 0.3],
      [17, 40, 0.45],
      [0, 5, 0.9],
    ] as const) {
      let sum = 0;
      for (let j = 0; j <= k; j++) sum += binomialPmf(j, n, p);
      expectRel(binomialCdf(k, n, p), sum, 1e-13);
      expect(binomialCdf(k, n, p) + binomialSf(k, n, p)).toBeCloseTo(1, 14);
    }
  });
});

describe("beta, chi-square and log-gamma", () => {
  it("beta quantile matches scipy.stats.beta.ppf and inverts the CDF", () => {
    expectRel(betaQuantile(0.025, 13, 4), 0.5435434537683883, 1e-13);
    expectRel(betaQuantile(0.975, 14, 3), 0.9595262660940541, 1e-13);
    expectRel(betaQuantile(0.05, 0.5, 0.5), 0.0061558297024311365, 1e-13);
    for (const [a, b] of [
      [0.3, 0.7],
      [2, 50],
      [3, 1e6],
      [1e4, 1e4],
    ] as const) {
      for (const p of [1e-8, 0.025, 0.5, 0.975]) expectRel(betaCdf(betaQuantile(p, a, b), a, b), p, 1e-12);
    }
  });

  it("chi-square matches scipy.stats.chi2", () => {
    expectRel(chiSquareSf(3.841458820694124, 1), 0.05, 1e-14);
    expectRel(chiSquareCdf(10, 4), 0.9595723180054873, 1e-14);
    expectRel(chiSquareSf(100, 50), 3.454931382984871e-5, 1e-12);
  });

  it("log-gamma matches known values", () => {
    expectRel(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-15);
    expectRel(logGamma(100), 359.1342053695754, 1e-15); // ln(99!)
    expectRel(logGamma(11), Math.log(3628800), 1e-15);
  });
});
