import { describe, expect, it } from "vitest";
import { costPerCorrect, createRng, paretoDominanceBootstrap, paretoFrontier } from "../src/stats/index.js";

describe("cost per correct answer", () => {
  it("is total cost over total quality, with a bootstrap interval around it", () => {
    const r = costPerCorrect([1, 0, 1, 1, 0, 1], [0.01, 0.02, 0.01, 0.03, 0.02, 0.01], { resamples: 2000, seed: 1 });
    expect(r.estimate).toBeCloseTo(0.1 / 4, 15);
    expect(r.totalCost).toBeCloseTo(0.1, 15);
    expect(r.totalQuality).toBe(4);
    expect(r.ci.lower).toBeLessThan(r.estimate);
    expect(r.ci.upper).toBeGreaterThan(r.estimate);
    expect(costPerCorrect([0, 0], [1, 1]).estimate).toBe(Number.POSITIVE_INFINITY);
    expect(() => costPerCorrect([1, 1], [1])).toThrow(RangeError);
    expect(() => costPerCorrect([1], [-1])).toThrow(RangeError);
  });

  it("agrees with the delta-method standard error of a ratio on a large sample", () => {
    // Var(R̂) ≈ Σ(cᵢ − R qᵢ)² / (Σqᵢ)² (Cochran 1977, "Sampling Techniques", eq. 6.13 with f = 0).
    const rng = createRng(3);
    const n = 3000;
    const q = new Float64Array(n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      q[i] = rng.next() < 0.7 ? 1 : 0;
      c[i] = 0.002 + 0.004 * rng.next() + (q[i] ? 0 : 0.003);
    }
    const r = costPerCorrect(q, c, { resamples: 4000, seed: 2 });
    let sumQ = 0;
    for (let i = 0; i < n; i++) sumQ += q[i] as number;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += ((c[i] as number) - r.estimate * (q[i] as number)) ** 2;
    const se = Math.sqrt(ss) / sumQ;
    const half = (r.ci.upper - r.ci.lower) / 2;
    expect(Math.abs(half / (1.959963984540054 * se) - 1)).toBeLessThan(0.1);
  });
});

describe("Pareto frontier", () => {
  it("keeps the points no other point beats on both cost and quality", () => {
    const pts = [
      { id: "A", cost: 1, quality: 0.7 },
      { id: "B", cost: 2, quality: 0.8 },
      { id: "C", cost: 2, quality: 0.75 },
      { id: "D", cost: 0.5, quality: 0.6 },
      { id: "E", cost: 3, quality: 0.8 },
      { id: "F", cost: 1, quality: 0.7 },
      { id: "G", cost: 1.5, quality: 0.65 },
    ];
    const r = paretoFrontier(pts);
    expect(r.filter((p) => p.onFrontier).map((p) => p.id)).toEqual(["A", "B", "D", "F"]);
    expect(r.find((p) => p.id === "C")?.dominatedBy).toEqual(["B"]);
    expect(r.find((p) => p.id === "E")?.dominatedBy).toEqual(["B"]);
    expect(r.find((p) => p.id === "G")?.dominatedBy).toEqual(["A", "F"]);
  });

  it("flags a model dominated in ≥ 95% of resamples, but not one that is only dominated by noise", () => {
    const rng = createRng(8);
    const n = 800;
    const make = (acc: number, cost: number) => {
      const quality = new Float64Array(n);
      const costs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        quality[i] = rng.next() < acc ? 1 : 0;
        costs[i] = cost * (0.5 + rng.next());
      }
      return { quality, cost: costs };
    };
    const models = [
      { id: "cheap-good", ...make(0.8, 1) },
      { id: "pricey-worse", ...make(0.6, 3) }, // clearly dominated
      { id: "near-twin", ...make(0.79, 1.01) }, // a hair worse and dearer: dominated only by chance
      { id: "pricey-best", ...make(0.95, 5) },
    ];
    const r = paretoDominanceBootstrap(models, { resamples: 400, seed: 5 });
    const by = Object.fromEntries(r.models.map((m) => [m.id, m]));
    expect(by["pricey-worse"]?.dominated).toBe(true);
    expect(by["pricey-worse"]?.dominatedFraction).toBeGreaterThan(0.99);
    expect(by["near-twin"]?.dominated).toBe(false);
    expect(by["near-twin"]?.dominatedFraction).toBeGreaterThan(0.05);
    expect(by["cheap-good"]?.dominated).toBe(false);
    expect(by["pricey-best"]?.dominated).toBe(false);
    expect(by["pricey-best"]?.onFrontier).toBe(true);
    expect(r.threshold).toBe(0.95);
    expect(() => paretoDominanceBootstrap([{ id: "x", quality: [1, 0], cost: [1] }])).toThrow(RangeError);
  });
});
