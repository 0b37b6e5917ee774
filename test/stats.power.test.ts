import { describe, expect, it } from "vitest";
import {
  binomialVariate,
  createRng,
  mcnemarPower,
  mcnemarSampleSize,
  pairedMeanSampleSize,
  samplesToSettle,
  twoProportionSampleSize,
} from "../src/stats/index.js";

describe("McNemar sample size (Connor 1987)", () => {
  it("matches the formula [z₀.₉₇₅√ψ + z₀.₈√(ψ − δ²)]²/δ² evaluated in scipy", () => {
    const r = mcnemarSampleSize({ difference: 0.05, discordance: 0.2 });
    expect(r.nExact).toBeCloseTo(625.5473178337214, 9);
    expect(r.n).toBe(626);
    expect(r.method).toBe("Connor (1987)");
    expect(mcnemarSampleSize({ difference: 0.1, discordance: 0.3 }).nExact).toBeCloseTo(233.0945382046738, 9);
    expect(mcnemarSampleSize({ difference: -0.02, discordance: 0.1 }).nExact).toBeCloseTo(1959.8604071253721, 8);
  });

  it("derives δ and (under independence) ψ from expected accuracies, and round-trips with the power", () => {
    const r = mcnemarSampleSize({ accuracyA: 0.8, accuracyB: 0.75 });
    expect(r.difference).toBeCloseTo(0.05, 15);
    expect(r.discordance).toBeCloseTo(0.8 * 0.25 + 0.75 * 0.2, 15);
    expect(r.discordanceAssumed).toBe(true);
    expect(mcnemarPower(r.nExact, { difference: 0.05, discordance: 0.35 })).toBeCloseTo(0.8, 10);
    // Correlated models disagree less and need fewer samples.
    expect(mcnemarSampleSize({ accuracyA: 0.8, accuracyB: 0.75, discordance: 0.15 }).n).toBeLessThan(r.n);
    expect(mcnemarSampleSize({ difference: 0.05, discordance: 0.2, power: 0.9 }).n).toBeGreaterThan(626);
    expect(() => mcnemarSampleSize({ difference: 0.3, discordance: 0.2 })).toThrow(RangeError);
  });

  it("delivers the promised power in simulation (asymptotic McNemar z-test at α = 0.05)", () => {
    // δ = 0.1, ψ = 0.3 → n = 234. 2,000 simulated studies: power SE ≈ 0.9%.
    const n = mcnemarSampleSize({ difference: 0.1, discordance: 0.3 }).n;
    const rng = createRng(2024);
    let reject = 0;
    const studies = 2000;
    for (let s = 0; s < studies; s++) {
      let b = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        if (u < 0.2) b++;
        else if (u < 0.3) c++;
      }
      if (b + c > 0 && Math.abs(b - c) / Math.sqrt(b + c) > 1.959963984540054) reject++;
    }
    expect(reject / studies).toBeGreaterThan(0.77);
    expect(reject / studies).toBeLessThan(0.84);
  });
});

describe("unpaired and graded sample sizes", () => {
  it("two proportions: R power.prop.test(p1 = .5, p2 = .75, power = .9) gives n = 76.7 per group", () => {
    const r = twoProportionSampleSize({ p1: 0.5, p2: 0.75, power: 0.9 });
    expect(r.nExact).toBeCloseTo(76.70692845177743, 9); // closed form (R's uniroot prints 76.7)
    expect(r.n).toBe(77);
  });

  it("paired means: Guenther's formula is within one sample of the exact noncentral-t answer", () => {
    // Exact n from scipy.stats.nct power (R power.t.test(type = "paired")): d = 0.5, 80% → 33.367;
    // d = 0.2, 90% → 264.61; d = 1, 80% → 9.94; d = 0.1, 80% → 786.81.
    const cases: [number, number, number][] = [
      [0.5, 0.8, 33.36720397881091],
      [0.2, 0.9, 264.6137766251509],
      [1, 0.8, 9.937863566261848],
      [0.1, 0.8, 786.810862706157],
    ];
    for (const [d, power, exact] of cases) {
      const r = pairedMeanSampleSize({ difference: d, sdDiff: 1, power });
      expect(Math.abs(r.nExact - exact)).toBeLessThan(0.5);
      expect(Math.abs(r.n - Math.ceil(exact))).toBeLessThanOrEqual(1);
    }
  });
});

describe("samples to settle", () => {
  it("finds the n at which the expected interval just excludes 0", () => {
    // δ̂ = 0.02, σ = 0.4: n = (1.96·0.4/0.02)² = 1536.6 → 1537.
    const r = samplesToSettle({ estimate: 0.02, sdDiff: 0.4, n: 500 });
    expect(r.nTotal).toBe(1537);
    expect(r.nAdditional).toBe(1037);
    expect(r.settledNow).toBe(false);
    const done = samplesToSettle({ estimate: 0.1, sdDiff: 0.4, n: 500 });
    expect(done.settledNow).toBe(true);
    expect(done.nAdditional).toBe(0);
  });

  it("uses the discordance for 0/1 scores, a margin, and a power", () => {
    const r = samplesToSettle({ estimate: 0.03, discordance: 0.2, n: 300 });
    expect(r.sdDiff).toBeCloseTo(Math.sqrt(0.2 - 0.0009), 15);
    const withMargin = samplesToSettle({ estimate: 0.03, discordance: 0.2, n: 300, margin: -0.02 });
    expect(withMargin.nTotal).toBeLessThan(r.nTotal);
    const powered = samplesToSettle({ estimate: 0.03, discordance: 0.2, n: 300, power: 0.8 });
    expect(powered.nTotal).toBeGreaterThan(r.nTotal * 2);
    expect(samplesToSettle({ estimate: 0, sdDiff: 1, n: 10 }).nTotal).toBe(Number.POSITIVE_INFINITY);
    expect(() => samplesToSettle({ estimate: 0.1, n: 10 })).toThrow(RangeError);
  });

  it("is consistent with simulation: at the suggested n, the interval excludes 0 about half the time", () => {
    const rng = createRng(77);
    const n = samplesToSettle({ estimate: 0.05, discordance: 0.25, n: 100 }).nTotal;
    let excluded = 0;
    for (let s = 0; s < 1000; s++) {
      const b = binomialVariate(rng, n, 0.15);
      const c = binomialVariate(rng, n - b, 0.1 / 0.85);
      const d = (b - c) / n;
      const se = Math.sqrt(((b + c) / n - d * d) / n);
      if (d - 1.959963984540054 * se > 0) excluded++;
    }
    expect(excluded / 1000).toBeGreaterThan(0.44);
    expect(excluded / 1000).toBeLessThan(0.56);
  });
});
