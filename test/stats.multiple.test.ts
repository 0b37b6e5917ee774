import { describe, expect, it } from "vitest";
import { adjustPValues, benjaminiHochberg, holm } from "../src/stats/index.js";

// The 15 p-values of Benjamini & Hochberg (1995, JRSS B 57:289, §4.2); at q = 0.05 BH rejects the first four.
const BH95 = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1,
];

describe("multiple-comparison adjustments", () => {
  it("Benjamini–Hochberg matches scipy.stats.false_discovery_control (= R p.adjust 'BH')", () => {
    const expected = [
      0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.06385714285714286, 0.06385714285714286, 0.0645, 0.07650000000000001,
      0.486, 0.5811818181818181, 0.7148749999999999, 0.7532307692307693, 0.8132142857142857, 1,
    ];
    const got = benjaminiHochberg(BH95);
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i] as number, 14);
    expect(got.filter((p) => p <= 0.05)).toHaveLength(4);
  });

  it("Holm matches R p.adjust 'holm' (step-down, cumulative max)", () => {
    const expected = [0.0015, 0.0056, 0.0247, 0.114, 0.2211, 0.278, 0.278, 0.278, 0.3213, 1, 1, 1, 1, 1, 1];
    for (const [i, v] of holm(BH95).entries()) expect(v).toBeCloseTo(expected[i] as number, 14);
  });

  it("keeps the input order for unsorted p-values", () => {
    const p = [0.04, 0.01, 0.03, 0.005, 0.5, 0.02];
    const h = holm(p);
    for (const [i, v] of [0.09, 0.05, 0.09, 0.03, 0.5, 0.08].entries()) expect(h[i]).toBeCloseTo(v, 14);
    const bh = benjaminiHochberg(p);
    for (const [i, v] of [0.048, 0.03, 0.045, 0.03, 0.5, 0.04].entries()) expect(bh[i]).toBeCloseTo(v, 14);
    const named = adjustPValues(p, "bh");
    expect(named.methodName).toBe("Benjamini–Hochberg (1995) step-up");
    expect(named.controls).toBe("false discovery rate");
    expect(named.adjusted).toEqual(bh);
    expect(adjustPValues(p, "holm").controls).toBe("family-wise error rate");
    expect(adjustPValues([], "holm").adjusted).toEqual([]);
    expect(() => holm([0.2, 1.5])).toThrow(RangeError);
  });
});
