import { describe, expect, it } from "vitest";
import {
  bootstrapMean,
  clopperPearsonInterval,
  clusteredMean,
  mean,
  passAtK,
  proportion,
  reduceAllEpochs,
  reduceEpochs,
  standardDeviation,
  tInterval,
  variance,
  wilsonInterval,
} from "../src/stats/index.js";

describe("Wilson score interval", () => {
  it("matches Newcombe (1998, Stat. Med. 17:857, Table I, method 3) and scipy proportion_ci('wilson')", () => {
    // Newcombe's 4-decimal table: 81/263 0.2553–0.3662; 15/148 0.0624–0.1605; 0/20 0–0.1611; 1/29 0.0061–0.1718.
    // Full digits from scipy.stats.binomtest(x, n).proportion_ci(method="wilson") (= R prop.test(correct = FALSE)).
    const ref: [number, number, number, number][] = [
      [81, 263, 0.2552885198782742, 0.36620957698280004],
      [15, 148, 0.06238639953073629, 0.16048724172330803],
      [0, 20, 0, 0.16112515805281935],
      [1, 29, 0.006113214292762667, 0.17175521879320282],
      [29, 29, 0.8830302015002592, 1],
    ];
    for (const [x, n, lo, hi] of ref) {
      const ci = wilsonInterval(x, n);
      expect(ci.lower).toBeCloseTo(lo, 14);
      expect(ci.upper).toBeCloseTo(hi, 14);
      expect(ci.level).toBe(0.95);
    }
    const ci90 = wilsonInterval(7, 20, { level: 0.9 });
    expect(ci90.lower).toBeCloseTo(0.20226004005676104, 14);
    expect(ci90.upper).toBeCloseTo(0.5334873111515284, 14);
  });

  it("rejects impossible counts", () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, { level: 1 })).toThrow(RangeError);
  });
});

describe("Clopper–Pearson interval", () => {
  it("matches R binom.test and Newcombe (1998) Table I, method 5 (beta quantiles solved in mpmath)", () => {
    // Newcombe: 81/263 0.2527–0.3676; 15/148 0.0578–0.1617; 0/20 0–0.1684; 1/29 0.0009–0.1776. Full digits: roots of
    // mpmath.betainc at 40 digits (scipy's proportion_ci(method="exact") agrees to ~2e-12, its own inversion error).
    const ref: [number, number, number, number][] = [
      [81, 263, 0.25273674558527115, 0.36762192260135135],
      [15, 148, 0.05784401008344856, 0.161650490349479],
      [0, 20, 0, 0.16843347098308534],
      [1, 29, 0.0008726468835799219, 0.17764429548872293],
      [29, 29, 0.8805551309304973, 1],
      // Fagerland, Lydersen & Laake (2017) ch. 8 example, binom.test(13, 16): 0.5435 to 0.9595.
      [13, 16, 0.5435434537683882, 0.9595262660940541],
    ];
    for (const [x, n, lo, hi] of ref) {
      const ci = clopperPearsonInterval(x, n);
      expect(ci.lower).toBeCloseTo(lo, 14);
      expect(ci.upper).toBeCloseTo(hi, 14);
    }
  });

  it("is wider than Wilson and has the closed forms at 0 and n", () => {
    const cp = clopperPearsonInterval(0, 50);
    expect(cp.upper).toBeCloseTo(1 - 0.025 ** (1 / 50), 14);
    const p = proportion(30, 100, { method: "clopper-pearson" });
    const w = proportion(30, 100);
    expect(p.estimate).toBe(0.3);
    expect(p.ci.upper - p.ci.lower).toBeGreaterThan(w.ci.upper - w.ci.lower);
    expect(w.method).toBe("wilson");
  });
});

describe("means and t intervals", () => {
  it("t interval matches scipy.stats.t.interval(0.95, n − 1, mean, sem)", () => {
    const x = [2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 3.9];
    const r = tInterval(x);
    expect(r.estimate).toBeCloseTo(3.425, 14);
    expect(r.se).toBeCloseTo(0.4308421984903521, 14);
    expect(r.df).toBe(7);
    expect(r.ci.lower).toBeCloseTo(2.4062200888401613, 13);
    expect(r.ci.upper).toBeCloseTo(4.443779911159838, 13);
  });

  it("variance is exact for data with a large offset (corrected two-pass)", () => {
    const x = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    expect(variance(x)).toBe(30);
    expect(mean(x)).toBe(1e9 + 10);
    expect(standardDeviation([1, 1, 1])).toBe(0);
    expect(() => tInterval([1])).toThrow(RangeError);
  });
});

describe("cluster-robust standard errors", () => {
  it("matches the CR1 formula G/(G−1)·Σ_g(Σ e)²/N² with a t(G−1) interval (numpy reference)", () => {
    const y = [1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0.5, 0.5, 1];
    const g = ["a", "a", "a", "b", "b", "c", "c", "c", "c", "d", "d", "e", "e", "e", "f", "f", "g", "g"];
    const r = clusteredMean(y, g);
    expect(r.estimate).toBeCloseTo(0.6666666666666666, 14);
    expect(r.se).toBeCloseTo(0.037420850780809076, 14);
    expect(r.clusters).toBe(7);
    expect(r.df).toBe(6);
    expect(r.ci.lower).toBeCloseTo(0.575101143411177, 13);
    expect(r.ci.upper).toBeCloseTo(0.7582321899221562, 13);
    expect(r.naiveSe).toBeCloseTo(0.10694815798662467, 14);
  });

  it("reduces to the i.i.d. standard error when every sample is its own cluster", () => {
    const y = [0.3, 0.9, 0.1, 0.5, 0.7, 0.2, 0.8];
    const r = clusteredMean(
      y,
      y.map((_, i) => i),
    );
    expect(r.se).toBeCloseTo(r.naiveSe, 15);
    expect(r.designEffect).toBeCloseTo(1, 12);
    expect(r.ci.lower).toBeCloseTo(tInterval(y).ci.lower, 13);
  });

  it("grows with intra-cluster correlation (epochs of the same sample)", () => {
    // 20 samples × 4 identical epochs: the clustered SE must be ~√4 × the naive one.
    const y: number[] = [];
    const g: number[] = [];
    for (let s = 0; s < 20; s++) {
      for (let e = 0; e < 4; e++) {
        y.push(s % 3 === 0 ? 1 : 0);
        g.push(s);
      }
    }
    const r = clusteredMean(y, g);
    expect(r.designEffect).toBeGreaterThan(3.5);
    expect(r.designEffect).toBeLessThan(4.5);
    expect(() => clusteredMean([1, 2], ["x", "x"])).toThrow(RangeError);
  });
});

describe("bootstrap intervals for a mean", () => {
  // Right-skewed sample; scipy.stats.bootstrap(..., n_resamples=200000), mean over 5 seeds (MC sd ≤ 0.0032):
  // percentile [0.50247, 1.57314], BCa [0.58047, 1.78960].
  const x = [
    0.2, 0.4, 0.1, 3.5, 0.3, 0.9, 0.15, 1.8, 0.05, 0.6, 0.25, 7.2, 0.4, 0.33, 1.1, 0.08, 0.5, 2.4, 0.12, 0.7, 0.3, 0.45,
    0.2, 4.1, 0.6, 0.09, 0.25, 0.35, 1.5, 0.2,
  ];

  it("percentile and BCa intervals agree with scipy.stats.bootstrap", () => {
    const p = bootstrapMean(x, { resamples: 100000, seed: 3 });
    const b = bootstrapMean(x, { resamples: 100000, seed: 3, method: "bca" });
    expect(p.estimate).toBeCloseTo(0.9706666666666667, 14);
    expect(Math.abs(p.ci.lower - 0.50247)).toBeLessThan(0.01);
    expect(Math.abs(p.ci.upper - 1.57314)).toBeLessThan(0.015);
    expect(Math.abs(b.ci.lower - 0.58047)).toBeLessThan(0.01);
    expect(Math.abs(b.ci.upper - 1.7896)).toBeLessThan(0.02);
    // BCa shifts right for right-skewed data.
    expect(b.ci.upper).toBeGreaterThan(p.ci.upper + 0.1);
    // Bootstrap SE ≈ s/√n·√((n−1)/n).
    expect(p.se).toBeCloseTo((standardDeviation(x) / Math.sqrt(30)) * Math.sqrt(29 / 30), 2);
  });

  it("is reproducible from the seed and degenerate for constant data", () => {
    const a = bootstrapMean(x, { resamples: 500, seed: 9 });
    const b = bootstrapMean(x, { resamples: 500, seed: 9 });
    const c = bootstrapMean(x, { resamples: 500, seed: 10 });
    expect(a).toEqual(b);
    expect(a.ci.lower).not.toBe(c.ci.lower);
    const k = bootstrapMean([2, 2, 2, 2], { method: "bca", resamples: 100 });
    expect(k.ci.lower).toBe(2);
    expect(k.ci.upper).toBe(2);
  });

  it("BCa handles 0/1 data with many tied resample means", () => {
    const y = Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const r = bootstrapMean(y, { method: "bca", resamples: 20000, seed: 1 });
    const w = wilsonInterval(45, 60);
    expect(r.ci.lower).toBeGreaterThan(w.lower - 0.03);
    expect(r.ci.upper).toBeLessThan(w.upper + 0.03);
    expect(r.ci.lower).toBeLessThan(0.75);
    expect(r.ci.upper).toBeGreaterThan(0.75);
  });
});

describe("epoch reducers and pass@k", () => {
  it("pass@k equals 1 − C(n−c, k)/C(n, k) (Chen et al. 2021)", () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 15);
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 15);
    expect(passAtK(200, 10, 10)).toBeCloseTo(0.40854786608141713, 14); // 1 − C(190,10)/C(200,10), Python math.comb
    expect(passAtK(200, 50, 1)).toBeCloseTo(0.25, 15);
    expect(passAtK(5, 4, 2)).toBe(1);
    expect(passAtK(5, 0, 3)).toBe(0);
    expect(() => passAtK(5, 2, 6)).toThrow(RangeError);
  });

  it("mean, max, majority (ties to the lower score) and pass@k reducers", () => {
    expect(reduceEpochs([1, 0, 1, 1], "mean")).toBe(0.75);
    expect(reduceEpochs([0, 0.5, 0.25], "max")).toBe(0.5);
    expect(reduceEpochs([1, 0, 1], "majority")).toBe(1);
    expect(reduceEpochs([1, 0, 1, 0], "majority")).toBe(0);
    expect(reduceEpochs([1, 0, 0, 1, 0], { passAtK: 2 })).toBeCloseTo(passAtK(5, 2, 2), 15);
    expect(reduceEpochs([0.9, 0.4, 0.7], { passAtK: 1, threshold: 0.6 })).toBeCloseTo(2 / 3, 15);
    expect(
      Array.from(
        reduceAllEpochs(
          [
            [1, 1],
            [0, 1],
            [0, 0],
          ],
          "mean",
        ),
      ),
    ).toEqual([1, 0.5, 0]);
    expect(() => reduceEpochs([], "mean")).toThrow(RangeError);
  });
});
