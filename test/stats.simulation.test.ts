/**
 * Frequentist properties by simulation (seeded, so deterministic). With 4,000 datasets the Monte Carlo SE of a 95%
 * coverage is √(0.95·0.05/4000) ≈ 0.34%, so a 94–96% band is ±2.9 SE around the nominal level.
 */
import { describe, expect, it } from "vitest";
import {
  binomialPmf,
  binomialVariate,
  clusteredMean,
  createRng,
  mcnemarExact,
  newcombePairedInterval,
  normalVariate,
  tInterval,
  wilsonInterval,
} from "../src/stats/index.js";

describe("coverage and size by simulation", () => {
  it("95% Wilson intervals cover p in 94–96% of 4,000 datasets (n = 500, p = 0.2; exact coverage 94.98%)", () => {
    const n = 500;
    const p = 0.2;
    // Exact coverage: Σₓ P(X = x)·[p ∈ CI(x)] — no Monte Carlo error.
    let exact = 0;
    for (let x = 0; x <= n; x++) {
      const ci = wilsonInterval(x, n);
      if (ci.lower <= p && p <= ci.upper) exact += binomialPmf(x, n, p);
    }
    expect(exact).toBeGreaterThan(0.945);
    expect(exact).toBeLessThan(0.955);
    const rng = createRng(11);
    let covered = 0;
    const datasets = 4000;
    for (let s = 0; s < datasets; s++) {
      const ci = wilsonInterval(binomialVariate(rng, n, p), n);
      if (ci.lower <= p && p <= ci.upper) covered++;
    }
    expect(covered / datasets).toBeGreaterThan(0.94);
    expect(covered / datasets).toBeLessThan(0.96);
  });

  it("95% t intervals cover the mean in 94–96% of 4,000 normal samples (n = 15)", () => {
    const rng = createRng(12);
    const x = new Float64Array(15);
    let covered = 0;
    for (let s = 0; s < 4000; s++) {
      for (let i = 0; i < 15; i++) x[i] = 3 + 2 * normalVariate(rng);
      const ci = tInterval(x).ci;
      if (ci.lower <= 3 && 3 <= ci.upper) covered++;
    }
    expect(covered / 4000).toBeGreaterThan(0.94);
    expect(covered / 4000).toBeLessThan(0.96);
  });

  it("exact and mid-p McNemar keep type-I error ≤ α + 1% under the null (4,000 studies, 200 pairs)", () => {
    // Null: P(A right, B wrong) = P(B right, A wrong) = 0.1. Exact sizes (enumerated): 3.46% and 4.83%.
    const rng = createRng(13);
    let rejectExact = 0;
    let rejectMid = 0;
    for (let s = 0; s < 4000; s++) {
      let b = 0;
      let c = 0;
      for (let i = 0; i < 200; i++) {
        const u = rng.next();
        if (u < 0.1) b++;
        else if (u < 0.2) c++;
      }
      const r = mcnemarExact(b, c);
      if (r.pValue <= 0.05) rejectExact++;
      if (r.midPValue <= 0.05) rejectMid++;
    }
    expect(rejectExact / 4000).toBeLessThanOrEqual(0.06);
    expect(rejectMid / 4000).toBeLessThanOrEqual(0.06);
    expect(rejectExact).toBeLessThanOrEqual(rejectMid);
    expect(rejectMid / 4000).toBeGreaterThan(0.03); // not trivially conservative
  });

  it("Newcombe's paired interval covers the true difference in 93.5–96.5% of 2,000 studies", () => {
    // Cell probabilities: both 0.5, only A 0.15, only B 0.1, neither 0.25 → true difference 0.05; n = 150.
    const rng = createRng(14);
    let covered = 0;
    for (let s = 0; s < 2000; s++) {
      const t = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
      for (let i = 0; i < 150; i++) {
        const u = rng.next();
        if (u < 0.5) t.both++;
        else if (u < 0.65) t.onlyA++;
        else if (u < 0.75) t.onlyB++;
        else t.neither++;
      }
      const ci = newcombePairedInterval(t);
      if (ci.lower <= 0.05 && 0.05 <= ci.upper) covered++;
    }
    expect(covered / 2000).toBeGreaterThan(0.935);
    expect(covered / 2000).toBeLessThan(0.965);
  });

  it("cluster-robust intervals keep ~95% coverage with correlated epochs where the naive one fails", () => {
    // 40 samples × 5 epochs, sample difficulty shared across epochs (strong intra-cluster correlation).
    const rng = createRng(15);
    const y = new Float64Array(200);
    const g = new Int32Array(200);
    let clustered = 0;
    let naive = 0;
    const studies = 2000;
    for (let s = 0; s < studies; s++) {
      for (let k = 0; k < 40; k++) {
        const p = 0.6 + 0.35 * (2 * rng.next() - 1);
        for (let e = 0; e < 5; e++) {
          y[k * 5 + e] = rng.next() < p ? 1 : 0;
          g[k * 5 + e] = k;
        }
      }
      const r = clusteredMean(y, g);
      if (r.ci.lower <= 0.6 && 0.6 <= r.ci.upper) clustered++;
      if (r.estimate - 1.96 * r.naiveSe <= 0.6 && 0.6 <= r.estimate + 1.96 * r.naiveSe) naive++;
    }
    expect(clustered / studies).toBeGreaterThan(0.93);
    expect(clustered / studies).toBeLessThan(0.97);
    expect(naive / studies).toBeLessThan(0.9);
  });
});
