import { describe, expect, it } from "vitest";
import {
  comparePairedBinary,
  equivalence,
  mcnemarExact,
  newcombePairedInterval,
  nonInferiority,
  pairedBootstrap,
  pairedCounts,
  pairedPermutationTest,
  pairedTTest,
  superiority,
} from "../src/stats/index.js";

/** 0/1 vectors realising a paired 2×2 table (both right, only A, only B, neither). */
function fromTable(both: number, onlyA: number, onlyB: number, neither: number): { a: number[]; b: number[] } {
  const a: number[] = [];
  const b: number[] = [];
  const push = (x: number, y: number, k: number) => {
    for (let i = 0; i < k; i++) {
      a.push(x);
      b.push(y);
    }
  };
  push(1, 1, both);
  push(1, 0, onlyA);
  push(0, 1, onlyB);
  push(0, 0, neither);
  return { a, b };
}

// Cavo et al. (2012) paired table used in Fagerland, Lydersen & Laake (2017), "Statistical Analysis of Contingency
// Tables", ch. 8; reference outputs from the book's R package contingencytables (tests/testthat, chapter 8).
const CAVO = { both: 59, onlyA: 6, onlyB: 16, neither: 80 };

// Graded scores of two models on 10 samples (used for the t, permutation and margin tests).
const A = [0.9, 0.7, 0.8, 0.65, 0.95, 0.5, 0.85, 0.75, 0.6, 0.9];
const B = [0.8, 0.72, 0.7, 0.6, 0.9, 0.55, 0.7, 0.7, 0.5, 0.85];

describe("McNemar exact test", () => {
  it("matches the exact conditional and mid-p values for the Cavo table", () => {
    const r = mcnemarExact(CAVO.onlyA, CAVO.onlyB);
    // contingencytables: "McNemar exact conditional test: P = 0.052479"; scipy.stats.binomtest(6, 22).pvalue.
    expect(r.pValue).toBeCloseTo(0.052478790283203125, 15);
    // contingencytables: "The McNemar mid-P test: P = 0.034690".
    expect(r.midPValue).toBeCloseTo(0.03469, 6);
    expect(r.discordant).toBe(22);
  });

  it("is symmetric in b and c, 1 with no or balanced discordance, and exact for all-one-way tables", () => {
    expect(mcnemarExact(16, 6)).toEqual({ ...mcnemarExact(6, 16), b: 16, c: 6 });
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(7, 7).pValue).toBe(1);
    expect(mcnemarExact(7, 7).midPValue).toBeCloseTo(1, 14);
    expect(mcnemarExact(0, 5).pValue).toBeCloseTo(0.0625, 15); // binom.test(0, 5): 2·0.5⁵
    expect(mcnemarExact(0, 5).midPValue).toBeCloseTo(0.03125, 15);
    expect(mcnemarExact(10, 20).pValue).toBeCloseTo(0.09873714670538905, 14); // scipy binomtest(10, 30)
  });
});

describe("Newcombe interval for paired proportions and the binary comparison", () => {
  it("matches contingencytables::Newcombe_square_and_add_CI_paired_2x2 on the Cavo table", () => {
    // "estimate = -0.0621 (95% CI -0.1186 to -0.0046)"
    const ci = newcombePairedInterval(CAVO);
    expect(ci.lower).toBeCloseTo(-0.1186, 4);
    expect(ci.upper).toBeCloseTo(-0.0046, 4);
  });

  it("comparePairedBinary puts it together from per-sample outcomes", () => {
    const { a, b } = fromTable(CAVO.both, CAVO.onlyA, CAVO.onlyB, CAVO.neither);
    const r = comparePairedBinary(a, b);
    expect(r.counts).toEqual(CAVO);
    expect(r.n).toBe(161);
    expect(r.accuracyA).toBeCloseTo(65 / 161, 15);
    expect(r.accuracyB).toBeCloseTo(75 / 161, 15);
    expect(r.estimate).toBeCloseTo(-0.0621, 4);
    expect(r.ci.lower).toBeCloseTo(-0.1186, 4);
    expect(r.pValue).toBeCloseTo(0.052479, 6);
    expect(pairedCounts([true, false], [1, 1])).toEqual({ both: 1, onlyA: 0, onlyB: 1, neither: 0 });
    expect(() => pairedCounts([0.5], [1])).toThrow(RangeError);
  });

  it("stays inside [−1, 1] and is degenerate-safe", () => {
    const all = newcombePairedInterval({ both: 0, onlyA: 10, onlyB: 0, neither: 0 });
    expect(all.upper).toBeLessThanOrEqual(1);
    expect(all.lower).toBeGreaterThan(0);
    const none = newcombePairedInterval({ both: 5, onlyA: 0, onlyB: 0, neither: 5 });
    expect(none.lower).toBeLessThan(0);
    expect(none.upper).toBeGreaterThan(0);
  });
});

describe("paired t, bootstrap and permutation tests", () => {
  it("paired t matches scipy.stats.ttest_rel", () => {
    const r = pairedTTest(A, B);
    expect(r.t).toBeCloseTo(3.08751446829639, 12);
    expect(r.pValue).toBeCloseTo(0.01298146373738236, 14);
    expect(r.ci.lower).toBeCloseTo(0.01550461518818682, 13);
    expect(r.ci.upper).toBeCloseTo(0.1004953848118132, 13);
  });

  it("exact sign-flip enumeration matches a brute-force count (24 of 1024 patterns)", () => {
    const r = pairedPermutationTest(A, B);
    expect(r.method).toBe("exact");
    expect(r.permutations).toBe(1024);
    expect(r.pValue).toBeCloseTo(24 / 1024, 15);
    const mc = pairedPermutationTest(A, B, { exactMaxN: 0, resamples: 40000, seed: 5 });
    expect(mc.method).toBe("monte-carlo");
    expect(Math.abs(mc.pValue - 24 / 1024)).toBeLessThan(0.005);
  });

  it("on 0/1 outcomes the exact permutation test equals the exact McNemar test", () => {
    const { a, b } = fromTable(3, 4, 12, 5);
    const perm = pairedPermutationTest(a, b);
    expect(perm.nonZero).toBe(16);
    expect(perm.pValue).toBeCloseTo(mcnemarExact(4, 12).pValue, 14);
    expect(pairedPermutationTest([1, 1], [1, 1]).pValue).toBe(1);
  });

  it("paired bootstrap agrees with the paired t on a large sample and is reproducible", () => {
    const n = 2000;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = ((i * 7919) % 1000) / 1000;
      a[i] = u;
      b[i] = Math.min(1, Math.max(0, u - 0.03 + (((i * 104729) % 97) / 97 - 0.5) * 0.4));
    }
    const t = pairedTTest(a, b);
    const boot = pairedBootstrap(a, b, { resamples: 4000, seed: 11 });
    expect(boot.estimate).toBeCloseTo(t.estimate, 14);
    expect(Math.abs(boot.ci.lower - t.ci.lower)).toBeLessThan(0.15 * (t.ci.upper - t.ci.lower));
    expect(Math.abs(boot.ci.upper - t.ci.upper)).toBeLessThan(0.15 * (t.ci.upper - t.ci.lower));
    expect(Math.abs(boot.se - t.se) / t.se).toBeLessThan(0.1);
    expect(pairedBootstrap(a, b, { resamples: 4000, seed: 11 })).toEqual(boot);
    // A clear effect gives the smallest attainable p-value, 1/(B + 1).
    expect(boot.pValue).toBeCloseTo(1 / 4001, 12);
    // No effect: large p.
    const same = pairedBootstrap(A, A.slice().reverse(), { resamples: 2000 });
    expect(same.pValue).toBeGreaterThan(0.5);
    expect(() => pairedBootstrap([1, 2], [1])).toThrow(RangeError);
  });
});

describe("non-inferiority, superiority and equivalence", () => {
  // References: scipy.stats.t.sf / t.cdf on (mean(d) ± margin)/se with df = 9, mean(d) = 0.058,
  // se = 0.018785337071473833; 90% CI from scipy.stats.t.ppf(0.95, 9).
  it("t method matches the one-sided t-tests and TOST", () => {
    const ni = nonInferiority(A, B, { margin: 0.02 });
    expect(ni.pValue).toBeCloseTo(0.0012381796559256231, 14);
    expect(ni.ci.lower).toBeCloseTo(0.023564355669974682, 13);
    expect(ni.ci.upper).toBeCloseTo(0.09243564433002534, 13);
    expect(ni.ci.level).toBeCloseTo(0.9, 15);
    expect(ni.verdict).toBe("non-inferior");

    const sup = superiority(A, B);
    expect(sup.pValue).toBeCloseTo(0.006490731868691175, 14);
    expect(sup.verdict).toBe("superior");
    const sup3 = superiority(A, B, { margin: 0.03 });
    expect(sup3.pValue).toBeCloseTo(0.08513781852814908, 14);
    expect(sup3.verdict).toBe("inconclusive");

    const eq = equivalence(A, B, { margin: 0.1 });
    expect(eq.pValue).toBeCloseTo(0.026100622821204015, 14);
    expect(eq.verdict).toBe("equivalent");
    const eq7 = equivalence(A, B, { margin: 0.07 });
    expect(eq7.pValue).toBeCloseTo(0.2694351327661963, 14);
    expect(eq7.verdict).toBe("inconclusive");
    expect(equivalence(A, B, { margin: 0.01 }).verdict).toBe("not-equivalent");
    expect(nonInferiority(B, A, { margin: 0.01 }).verdict).toBe("inferior");
    expect(superiority(B, A).verdict).toBe("not-superior");
  });

  it("verdicts agree with p ≤ α for every method", () => {
    const { a, b } = fromTable(120, 30, 18, 32);
    for (const method of ["t", "bootstrap", "newcombe"] as const) {
      for (const margin of [0.01, 0.03, 0.06, 0.12]) {
        const ni = nonInferiority(a, b, { margin, method, resamples: 4000 });
        expect(ni.verdict === "non-inferior", `${method} NI ${margin}`).toBe(ni.pValue <= 0.05);
        const sup = superiority(a, b, { margin: margin - 0.05, method, resamples: 4000 });
        expect(sup.verdict === "superior", `${method} sup ${margin}`).toBe(sup.pValue <= 0.05);
        const eq = equivalence(a, b, { margin: margin + 0.05, method, resamples: 4000 });
        expect(eq.verdict === "equivalent", `${method} eq ${margin}`).toBe(eq.pValue <= 0.05);
      }
    }
  });

  it("newcombe p-values invert the Newcombe interval", () => {
    const counts = { both: 120, onlyA: 30, onlyB: 18, neither: 32 };
    const { a, b } = fromTable(counts.both, counts.onlyA, counts.onlyB, counts.neither);
    const ni = nonInferiority(a, b, { margin: 0.01, method: "newcombe" });
    expect(ni.estimate).toBeCloseTo(0.06, 15);
    // The (1 − 2p) interval's lower bound sits exactly on the margin.
    const ci = newcombePairedInterval(counts, { level: 1 - 2 * ni.pValue });
    expect(ci.lower).toBeCloseTo(-0.01, 9);
    expect(() => nonInferiority([0.5], [1], { margin: 0.1, method: "newcombe" })).toThrow(RangeError);
    expect(() => nonInferiority(a, b, { margin: 0 })).toThrow(RangeError);
  });
});
